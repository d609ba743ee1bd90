"""A local stand-in for Twilio's Messages API, as the twilio library calls it, for tests.

POST /2010-04-01/Accounts/<sid>/Messages.json (form fields, HTTP basic auth) creates a
message; GET .../Media/<id> serves a file registered in `media`. Every call is recorded
in `requests` as {"method", "path", "auth", "params"}. `fail_next` answers that many calls
with 500, `hang` delays every answer, `outside_window` holds addresses that get Twilio's
error 63016 for free-form text, `missing` addresses that get 21211 (invalid 'To').
`sign(url, params)` signs a webhook the way Twilio does, with the real RequestValidator.
"""

import base64
import itertools
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

from twilio.request_validator import RequestValidator

ACCOUNT_SID = "AC" + "0" * 31 + "1"
AUTH_TOKEN = "test-auth-token-0123456789abcdef"


class FakeTwilioAPI:
    def __init__(self, account_sid: str = ACCOUNT_SID, auth_token: str = AUTH_TOKEN) -> None:
        self.account_sid, self.auth_token = account_sid, auth_token
        self.requests = []
        self.fail_next = 0
        self.hang = 0.0
        self.outside_window = set()
        self.missing = set()
        self.media = {}  # path (/2010-04-01/Accounts/.../Media/ME..) -> (content_type, bytes)
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                params = {key: values[-1] for key, values in parse_qs(body.decode()).items()}
                fake._answer(self, "POST", params)

            def do_GET(self):  # noqa: N802
                fake._answer(self, "GET", {})

            def log_message(self, *args):
                pass

        self.httpd = _Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    # What tests use ----------------------------------------------------------------------

    def sign(self, url: str, params: dict) -> str:
        return RequestValidator(self.auth_token).compute_signature(url, params)

    def messages(self, to: str = None) -> list:
        """The parameters of every message created (To, From, Body or ContentSid, ...)."""
        return [request["params"] for request in list(self.requests)
                if request["method"] == "POST" and request["path"].endswith("/Messages.json")
                and (to is None or request["params"].get("To") == to)]

    def media_url(self, content_type: str, data: bytes) -> str:
        number = next(self._ids)
        path = (f"/2010-04-01/Accounts/{self.account_sid}/Messages/MM{number:032d}"
                f"/Media/ME{number:032d}")
        self.media[path] = (content_type, data)
        return self.url + path

    def wait_for(self, predicate, timeout: float = 30.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = predicate()
            if result:
                return result
            time.sleep(0.05)
        raise AssertionError(f"the fake Twilio API did not see what was expected in {timeout} s")

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    # The API ---------------------------------------------------------------------------

    def _answer(self, handler, method: str, params: dict) -> None:
        auth = _basic_auth(handler.headers.get("Authorization", ""))
        self.requests.append({"method": method, "path": handler.path, "auth": auth, "params": params})
        if self.hang:
            time.sleep(self.hang)
        with self._lock:
            failing = self.fail_next > 0
            self.fail_next -= failing
        if failing:
            return _error(handler, 500, 20500, "Internal Server Error")
        if auth != (self.account_sid, self.auth_token):
            return _error(handler, 401, 20003, "Authenticate")
        prefix = f"/2010-04-01/Accounts/{self.account_sid}/"
        if method == "GET" and handler.path in self.media:
            return _raw(handler, *self.media[handler.path])
        if method == "POST" and handler.path == prefix + "Messages.json":
            return self._create(handler, params)
        _error(handler, 404, 20404, "The requested resource was not found")

    def _create(self, handler, params: dict) -> None:
        to = params.get("To", "")
        if to in self.missing:
            return _error(handler, 400, 21211, "Invalid 'To' Phone Number")
        if "Body" in params and to in self.outside_window:
            return _error(handler, 400, 63016, "Failed to send freeform message because you are "
                                               "outside the allowed window")
        if not params.get("Body") and not params.get("ContentSid"):
            return _error(handler, 400, 21619, "A text message body or media urls must be specified")
        sid = f"SM{next(self._ids):032d}"
        _json(handler, 201, {"sid": sid, "account_sid": self.account_sid, "to": to,
                             "from": params.get("From"), "body": params.get("Body", ""),
                             "status": "queued", "num_segments": "1", "direction": "outbound-api",
                             "api_version": "2010-04-01", "uri": f"/2010-04-01/Accounts/"
                             f"{self.account_sid}/Messages/{sid}.json"})


def _basic_auth(header: str):
    if not header.startswith("Basic "):
        return None
    user, _, password = base64.b64decode(header[6:]).decode().partition(":")
    return user, password


def _error(handler, status: int, code: int, message: str) -> None:
    _json(handler, status, {"code": code, "message": message, "status": status,
                            "more_info": f"https://www.twilio.com/docs/errors/{code}"})


def _json(handler, status: int, payload) -> None:
    _raw(handler, "application/json", json.dumps(payload).encode(), status)


def _raw(handler, content_type: str, data: bytes, status: int = 200) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a client that gave up waiting (the timeout tests) is not an error here
