"""A LibreTranslate client (POST /translate).

deep-translator's LibreTranslator knows only 17 languages (no Dutch, Tigrinya, Somali or
Persian) and sends requests without a timeout, so a hanging server would block a worker
thread for good; LibreTranslate's API is one call, so it is done here with a timeout.
"""

import requests

from bot.translate import TranslationUnavailable


class LibreTranslate:
    name = "libre"

    def __init__(self, url: str, api_key: str = None, timeout: float = 8.0) -> None:
        self.url = url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout

    def translate(self, text: str, source: str, target: str) -> str:
        body = {"q": text, "source": source, "target": target, "format": "text"}
        if self.api_key:
            body["api_key"] = self.api_key
        try:
            response = requests.post(f"{self.url}/translate", json=body, timeout=self.timeout)
        except requests.RequestException as error:
            raise TranslationUnavailable(f"LibreTranslate unreachable: {type(error).__name__}") from error
        if response.status_code != 200:
            raise TranslationUnavailable(f"LibreTranslate answered {response.status_code}")
        try:
            return response.json()["translatedText"]
        except (ValueError, KeyError) as error:
            raise TranslationUnavailable("LibreTranslate sent no translation") from error
