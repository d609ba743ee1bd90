"""Rasa's natural language generator for Korte Lijnen (loaded from endpoints.yml).

Runs in the Rasa process. It subclasses TemplatedNaturalLanguageGenerator because the
agent only refreshes `responses` after loading a model for that class.
"""

from typing import Any, Dict, Optional, Text

from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.trackers import DialogueStateTracker

from bot.i18n.render import render
from bot.vocabulary import SOURCE_LANGUAGE


class CatalogNLG(TemplatedNaturalLanguageGenerator):
    """Renders a response in the language of the `language` slot (or a `language` kwarg)."""

    def __init__(self, endpoint_config: Any = None, domain: Any = None) -> None:
        super().__init__(domain.responses if domain is not None else {})

    async def generate(
        self,
        utter_action: Text,
        tracker: DialogueStateTracker,
        output_channel: Text,
        **kwargs: Any,
    ) -> Optional[Dict[Text, Any]]:
        # An action that just changed the language passes it along: the tracker it
        # renders against does not hold the action's own events yet.
        language = kwargs.pop("language", None) or tracker.get_slot("language")
        variables = {**tracker.current_slot_values(), **kwargs}
        return render(
            utter_action,
            language or SOURCE_LANGUAGE,
            output_channel,
            variables,
            payloads=self._payloads(utter_action),
        )

    def _payloads(self, utter_action: Text) -> Optional[list]:
        variations = self.responses.get(utter_action) or [{}]
        buttons = variations[0].get("buttons") or []
        return [button["payload"] for button in buttons] or None
