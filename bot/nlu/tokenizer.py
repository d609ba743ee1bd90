"""A whitespace tokenizer that hands normalised words to the featurizers.

Token positions stay those of the original text, so entity annotations still line up.
"""

import hashlib
from pathlib import Path
from typing import Any, Dict, List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message

from bot.i18n import normalise
from bot.i18n.normalise import normalise_word


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class NormalisingTokenizer(WhitespaceTokenizer):
    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> str:
        """Rasa's training cache sees our config, not our code: without this, a change to the
        normalisation would keep the model trained on the old tokens."""
        sources = (Path(__file__), Path(normalise.__file__))
        return hashlib.sha256(b"".join(path.read_bytes() for path in sources)).hexdigest()

    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        tokens = super().tokenize(message, attribute)
        for token in tokens:
            token.text = normalise_word(token.text)
        return tokens
