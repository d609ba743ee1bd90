"""A local stand-in for the Telegram Bot API, as python-telegram-bot calls it, for tests.

POST /bot<token>/<method> with form fields (nested values JSON-encoded, as the library
sends them); GET /file/bot<token>/<file_path> for downloads. Every call is recorded in
`requests` as {"method", "token", "params", "status"}. `fail_next` answers that many calls with 500,
`hang` delays every answer by that many seconds, `missing_chats` answers "chat not found".
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


class FakeTelegramAPI:
    def __init__(self) -> None:
        self.requests = []
        self.fail_next = 0
        self.hang = 0.0
        self.missing_chats = set()
        self.files = {}  # file_id -> (file_path, bytes)
        self._next_message_id = 1000
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                fake._answer(self, self.path, _form(body, self.headers.get("Content-Type", "")))

            def do_GET(self):  # noqa: N802
                fake._answer(self, self.path.split("?")[0], {})

            def log_message(self, *args):
                pass

        self.httpd = _Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    # What tests read ---------------------------------------------------------------------

    def calls(self, method: str) -> list:
        return [request for request in list(self.requests) if request["method"] == method]

    def sent(self, chat_id=None) -> list:
        """The parameters of the messages sent (answered 200), optionally to one chat."""
        return [call["params"] for call in self.calls("sendMessage") if call["status"] == 200
                and (chat_id is None or str(call["params"].get("chat_id")) == str(chat_id))]

    def wait_for(self, predicate, timeout: float = 30.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = predicate()
            if result:
                return result
            time.sleep(0.05)
        last = [(r["method"], r["status"], r["params"].get("chat_id")) for r in self.requests[-5:]]
        raise AssertionError(f"the fake Telegram API did not see what was expected in {timeout} s; "
                             f"its last calls: {last}")

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    # The API ---------------------------------------------------------------------------

    def _answer(self, handler, path: str, params: dict) -> None:
        parts = path.strip("/").split("/")
        is_file = parts[0] == "file"
        token = (parts[1] if is_file else parts[0])[3:]
        method = "download" if is_file else parts[-1]
        record = {"method": method, "token": token, "params": params, "status": None,
                  "path": "/".join(parts[2:]) if is_file else None}
        self.requests.append(record)
        if self.hang:
            time.sleep(self.hang)
        with self._lock:
            if self.fail_next:
                self.fail_next -= 1
                return _send(handler, 500, record, {"ok": False, "error_code": 500,
                                            "description": "Internal Server Error"})
        if is_file:
            return self._download(handler, "/".join(parts[2:]), record)
        answer = getattr(self, f"_{method}", None)
        if answer is None:
            return _send(handler, 404, record, {"ok": False, "error_code": 404, "description": "Not Found"})
        status, result = answer(params)
        if status != 200:
            return _send(handler, status, record, {"ok": False, "error_code": status, "description": result})
        _send(handler, 200, record, {"ok": True, "result": result})

    def _sendMessage(self, params):  # noqa: N802 (the Bot API's method names)
        chat_id = int(params["chat_id"])
        if str(chat_id) in self.missing_chats:
            return 400, "Bad Request: chat not found"
        if len(params.get("text", "").encode("utf-16-le")) // 2 > 4096:
            return 400, "Bad Request: message is too long"
        with self._lock:
            self._next_message_id += 1
            message_id = self._next_message_id
        return 200, {"message_id": message_id, "date": int(time.time()), "text": params.get("text"),
                     "chat": {"id": chat_id, "type": "private"}}

    def _answerCallbackQuery(self, params):  # noqa: N802
        return 200, True

    def _setWebhook(self, params):  # noqa: N802
        return 200, True

    def _getMe(self, params):  # noqa: N802
        return 200, {"id": 1, "is_bot": True, "first_name": "Korte Lijnen", "username": "kl_bot"}

    def _getFile(self, params):  # noqa: N802
        if params.get("file_id") not in self.files:
            return 400, "Bad Request: invalid file_id"
        path, data = self.files[params["file_id"]]
        return 200, {"file_id": params["file_id"], "file_unique_id": "u" + params["file_id"],
                     "file_size": len(data), "file_path": path}

    def _download(self, handler, path: str, record: dict) -> None:
        for file_path, data in self.files.values():
            if file_path == path:
                record["status"] = 200
                handler.send_response(200)
                handler.send_header("Content-Length", str(len(data)))
                handler.end_headers()
                handler.wfile.write(data)
                return
        _send(handler, 404, record, {"ok": False})


def _form(body: bytes, content_type: str) -> dict:
    if "json" in content_type:
        return json.loads(body or b"{}")
    params = {key: values[-1] for key, values in parse_qs(body.decode()).items()}
    for key, value in params.items():
        if value[:1] in ("{", "["):
            params[key] = json.loads(value)
    return params


def _send(handler, status: int, record: dict, payload) -> None:
    record["status"] = status
    data = json.dumps(payload).encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a client that gave up waiting (the timeout tests) is not an error here
