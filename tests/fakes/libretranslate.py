"""A local stand-in for a LibreTranslate server (POST /translate), for tests.

It "translates" by tagging: "[nl] <text>", so a test can tell a translation from the
original. `fail_next` makes it answer 500, `hang` makes it not answer in time.
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeLibreTranslate:
    def __init__(self) -> None:
        self.requests = []
        self.fail_next = 0
        self.hang = 0.0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                server.requests.append(body)
                if server.hang:
                    time.sleep(server.hang)
                if server.fail_next:
                    server.fail_next -= 1
                    return self._send(500, {"error": "down"})
                if self.path != "/translate" or "q" not in body:
                    return self._send(400, {"error": "bad request"})
                self._send(200, {"translatedText": f"[{body['target']}] {body['q']}"})

            def _send(self, status, payload):
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
