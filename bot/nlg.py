"""Rasa's natural language generator for Korte Lijnen (loaded from endpoints.yml).

Runs in the Rasa process. It subclasses TemplatedNaturalLanguageGenerator because the
agent only refreshes `responses` after loading a model for that class.
"""

import asyncio
import functools
from typing import Any, Dict, Optional, Text

from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.trackers import DialogueStateTracker

from bot import translate
from bot.i18n.machine import PIVOT, translate_message
from bot.i18n.render import render
from bot.store import Store
from bot.vocabulary import LANGUAGES, SOURCE_LANGUAGE


@functools.lru_cache(maxsize=1)
def _translator() -> translate.Translator:
    return translate.CachedTranslator(translate.from_env(), Store.from_env())


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
        language = kwargs.pop("language", None) or tracker.get_slot("language") or SOURCE_LANGUAGE
        variables = {**tracker.current_slot_values(), **kwargs}
        if language in LANGUAGES:
            return render(utter_action, language, output_channel, variables, self._payloads(utter_action))
        # A language without a catalog: English, machine-translated off the event loop.
        message = render(utter_action, PIVOT, output_channel, variables, self._payloads(utter_action))
        if message is None:
            return None
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, translate_message, message, language, _translator())

    def _payloads(self, utter_action: Text) -> Optional[list]:
        variations = self.responses.get(utter_action) or [{}]
        buttons = variations[0].get("buttons") or []
        return [button["payload"] for button in buttons] or None
