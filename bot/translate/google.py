"""Google Translate through deep-translator (its free web endpoint; no key)."""

import concurrent.futures

from deep_translator import GoogleTranslator
from deep_translator.exceptions import BaseError
from requests import RequestException

from bot.translate import TranslationUnavailable

# deep-translator sends without a timeout: run it in a small pool and stop waiting.
_POOL = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="google-translate")


class Google:
    name = "google"

    def __init__(self, timeout: float = 8.0) -> None:
        self.timeout = timeout

    def translate(self, text: str, source: str, target: str) -> str:
        try:
            client = GoogleTranslator(source=source or "auto", target=target)
            return _POOL.submit(client.translate, text).result(timeout=self.timeout)
        except concurrent.futures.TimeoutError as error:
            raise TranslationUnavailable("Google Translate did not answer in time") from error
        except (BaseError, RequestException) as error:
            raise TranslationUnavailable(f"Google Translate failed: {type(error).__name__}") from error
