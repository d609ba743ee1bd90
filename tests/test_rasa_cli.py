"""The Rasa entry point's validator of action server responses: same verdicts as Rasa's."""

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from bot.deploy import rasa_cli


@pytest.fixture
def action():
    return RemoteAction("action_route", action_endpoint=None)


def test_a_valid_response_passes(action):
    result = {"events": [{"event": "slot", "name": "language", "value": "ar"}],
              "responses": [{"response": "utter_greet", "language": "ar"}]}
    assert rasa_cli.validate_action_result(action, result) is True


@pytest.mark.parametrize("result", [{"events": "not a list"}, {"responses": [{"text": 3}], "events": 7}])
def test_an_invalid_response_fails_with_rasas_message(action, result):
    with pytest.raises(ValidationError) as ours:
        rasa_cli.validate_action_result(action, result)
    with pytest.raises(ValidationError) as theirs:
        RemoteAction._validate_action_result(action, result)
    assert ours.value.message == theirs.value.message
    assert "Failed to validate Action server response" in ours.value.message


def test_the_loaded_model_is_frozen_out_of_garbage_collection():
    import asyncio
    import gc

    loaded = []

    async def load_agent(model_path):
        loaded.append({"model": model_path})  # stands for the agent Rasa loads
        return loaded[-1]

    before = gc.get_freeze_count()
    try:
        agent = asyncio.run(rasa_cli.frozen_after_loading(load_agent)("models/korte-lijnen.tar.gz"))
        assert agent == {"model": "models/korte-lijnen.tar.gz"}
        assert gc.get_freeze_count() > before
    finally:
        gc.unfreeze()
