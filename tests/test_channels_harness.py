"""A connector's blueprint served by a real Sanic server in a thread, for the channel tests,
with a small on_new_message that records what Rasa would get and can reply like Rasa."""

import asyncio
import socket
import threading
import urllib.error
import urllib.request
import uuid

import pytest
from sanic import Sanic

from bot.channels import common

# Several apps in one process: Sanic then keeps its patched methods apart (as sanic-testing does).
Sanic.test_mode = True


def free_port() -> int:
    # Sanic takes port=0 for "the default, 8000": ask the system for a free one instead.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ConnectorServer:
    """Serves `channel.blueprint(...)` at /webhooks/<name>/ as Rasa does."""

    def __init__(self, channel, reply=None) -> None:
        self.messages = []
        self.reply = reply  # async (message) -> None, e.g. send through message.output_channel
        self.app = Sanic(f"test_{uuid.uuid4().hex[:8]}")
        self.app.blueprint(channel.blueprint(self._on_new_message),
                           url_prefix=f"/webhooks/{channel.url_prefix()}")
        self.loop = asyncio.new_event_loop()
        started = threading.Event()
        self.thread = threading.Thread(target=self._serve, args=(started,), daemon=True)
        self.thread.start()
        assert started.wait(20), "the Sanic test server did not start"

    async def _on_new_message(self, message) -> None:
        self.messages.append(message)
        if self.reply:
            await self.reply(message)

    def _serve(self, started: threading.Event) -> None:
        asyncio.set_event_loop(self.loop)
        self.server = self.loop.run_until_complete(self.app.create_server(
            host="127.0.0.1", port=free_port(), return_asyncio_server=True, access_log=False))
        self.loop.run_until_complete(self.server.startup())
        self.port = self.server.server.sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        started.set()
        self.loop.run_forever()

    def post(self, path: str, body: bytes, headers: dict, timeout: float = 10):
        request = urllib.request.Request(self.url + path, body, headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def get(self, path: str):
        with urllib.request.urlopen(self.url + path, timeout=10) as response:
            return response.status, response.read()

    def run(self, coroutine, timeout: float = 30):
        """Runs a coroutine on the server's loop (where the connector's Bot lives)."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def close(self) -> None:
        async def stop():
            self.server.close()
            await self.server.wait_closed()

        asyncio.run_coroutine_threadsafe(stop(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


@pytest.fixture
def channel_store(store, monkeypatch):
    """The `store` fixture (SQLite and PostgreSQL) as the channels' own store."""
    monkeypatch.setenv("DATABASE_URL", store.url)
    common.store.cache_clear()
    yield store
    common.store.cache_clear()


def test_an_unconfigured_channel_answers_503_and_says_so(channel_store, monkeypatch):
    from bot.channels.telegram.connector import TelegramInput
    from bot.channels.whatsapp.connector import WhatsAppInput

    for name in ("TELEGRAM_BOT_TOKEN", "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_WHATSAPP_FROM"):
        monkeypatch.delenv(name, raising=False)
    for channel in (TelegramInput(), WhatsAppInput()):
        server = ConnectorServer(channel)
        try:
            path = f"/webhooks/{channel.name()}/webhook"
            assert server.post(path, b"{}", {"Content-Type": "application/json"})[0] == 503
            assert b"not configured" in server.get(f"/webhooks/{channel.name()}/")[1]
            assert server.messages == []
        finally:
            server.close()
