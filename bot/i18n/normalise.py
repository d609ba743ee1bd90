"""Spelling normalisation that makes variants of one word look the same to the NLU.

Arabic is written with or without hamza on alef, with or without diacritics and with
tatweel for length; Persian keyboards give their own yeh and kaf. People on WhatsApp mix
all of these, so the model sees one form.
"""

import re
import unicodedata

_ARABIC_DIACRITICS = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_TATWEEL = "\u0640"
_TRANSLATE = str.maketrans({
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",  # alef with hamza or madda -> bare alef
    "ى": "ی",  # alef maqsura -> yeh (the Persian form below: translate() maps once)
    "ي": "ی", "ك": "ک",  # Arabic yeh/kaf -> Persian forms (one form for both languages)
    "ة": "ه",  # teh marbuta -> heh
    "ؤ": "و", "ئ": "ی",
    "٠": "0", "١": "1", "٢": "2", "٣": "3", "٤": "4", "٥": "5", "٦": "6", "٧": "7", "٨": "8", "٩": "9",
    "۰": "0", "۱": "1", "۲": "2", "۳": "3", "۴": "4", "۵": "5", "۶": "6", "۷": "7", "۸": "8", "۹": "9",
})


def normalise_word(word: str) -> str:
    # Turkish dotted capital I casefolds to "i" + combining dot; people type plain "i".
    word = unicodedata.normalize("NFKC", word.replace("İ", "i")).casefold()
    word = _ARABIC_DIACRITICS.sub("", word).replace(_TATWEEL, "")
    return word.translate(_TRANSLATE)
