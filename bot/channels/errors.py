"""The one exception the channels' sending APIs raise."""


class ChannelError(Exception):
    """Sending failed. `retryable`: a 5xx, a timeout or a rate limit (try again later);
    not retryable: the platform refused this message or recipient (e.g. chat not found).
    `code` is the platform's error code or HTTP status, for logs; never message text."""

    def __init__(self, message: str, retryable: bool, code: str = "") -> None:
        super().__init__(message)
        self.retryable = retryable
        self.code = code
