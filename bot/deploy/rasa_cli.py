"""`python -m bot.deploy.rasa_cli run ...`: the `rasa` command with four adjustments.

1. Our structured logs. Rasa installs coloredlogs on the root logger after parsing its
   arguments, and coloredlogs removes any other handler writing to stderr, so neither a
   `--logging-config-file` nor an earlier `logging_config.configure()` survives. Rasa gets
   our setup in place of its coloredlogs call (the one function `rasa.__main__` looks up on
   `rasa.utils.io` at run time): one key=value or JSON line per record, without message
   text, SQL parameters or secrets, like the action server and the worker.
2. Action server responses validated with a validator built once. Rasa 3.6 calls
   `jsonschema.validate()` on every response, which first checks the (constant) schema
   against the JSON Schema meta-schema: with jsonschema 4.17 about 70 ms of CPU per custom
   action, most of a turn (`make bench`). The same check, the same errors, without that.
3. The loaded model frozen out of garbage collection. Its millions of objects live as long
   as the process; without `gc.freeze()` every full collection walks them all, a pause of
   several hundred milliseconds in whichever turn triggers it (p99 in `make bench`).
4. Calls to the action server over connections kept open (bot/deploy/kept_sessions.py).
"""

import functools
import gc
import logging
from typing import Any, Dict, Optional, Union

import rasa.core.run
import rasa.utils.io
from rasa.core.actions.action import RemoteAction

from bot import logging_config
from bot.deploy import kept_sessions


def structured_logging(loglevel: Optional[Union[int, str]] = None) -> None:
    level = logging.getLevelName(loglevel) if isinstance(loglevel, str) else loglevel
    logging_config.configure("rasa", level=level if isinstance(level, int) else None)


_rasa_validate_action_result = RemoteAction._validate_action_result


def _action_result_validator():
    from jsonschema import validators

    schema = RemoteAction.action_response_format_spec()
    cls = validators.validator_for(schema)
    cls.check_schema(schema)  # once, as jsonschema.validate() does on every call
    return cls(schema)


def validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
    """RemoteAction._validate_action_result with the validator built once."""
    from jsonschema import exceptions

    error = exceptions.best_match(_VALIDATOR.iter_errors(result))  # what jsonschema.validate() raises
    if error is None:
        return True
    return _rasa_validate_action_result(self, result)  # Rasa's own message on the error


_VALIDATOR = _action_result_validator()


def frozen_after_loading(load_agent):
    """Rasa's `load_agent_on_start`, then everything alive moved out of the collector's reach."""

    @functools.wraps(load_agent)
    async def load_and_freeze(*args, **kwargs):
        agent = await load_agent(*args, **kwargs)
        gc.collect()
        gc.freeze()
        return agent

    return load_and_freeze


def main() -> None:
    from rasa.__main__ import main as rasa_main

    rasa.utils.io.configure_colored_logging = structured_logging
    RemoteAction._validate_action_result = validate_action_result
    rasa.core.run.load_agent_on_start = frozen_after_loading(rasa.core.run.load_agent_on_start)
    kept_sessions.install()
    rasa_main()


if __name__ == "__main__":
    main()
