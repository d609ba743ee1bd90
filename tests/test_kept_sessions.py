"""Rasa's calls to the action server reuse one connection (bot/deploy/kept_sessions.py):
real requests through Rasa's EndpointConfig to a local HTTP server."""

import asyncio

from aiohttp import web
from rasa.utils.endpoints import EndpointConfig

from bot.deploy import kept_sessions


def test_requests_share_one_connection_and_keep_headers_and_auth(monkeypatch):
    monkeypatch.setattr(EndpointConfig, "session", kept_sessions.kept_session)
    seen = []

    async def webhook(request: web.Request) -> web.Response:
        seen.append((request.transport.get_extra_info("peername")[1], request.headers.get("Authorization"),
                     request.headers.get("X-Replica"), await request.json()))
        return web.json_response({"events": [], "responses": []})

    async def scenario():
        app = web.Application()
        app.router.add_post("/webhook", webhook)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        endpoint = EndpointConfig(f"http://127.0.0.1:{port}/webhook", headers={"X-Replica": "a"},
                                  basic_auth={"username": "rasa", "password": "geheim"})
        try:
            answers = [await endpoint.request(json={"next_action": f"action_{n}"}) for n in range(3)]
            session = endpoint.__dict__["_kept_session"][1]
            await session.close()  # a closed session is replaced, not reused
            answers.append(await endpoint.request(json={"next_action": "action_3"}))
        finally:
            await endpoint.__dict__["_kept_session"][1].close()
            await runner.cleanup()
        return answers

    answers = asyncio.run(scenario())
    assert answers == [{"events": [], "responses": []}] * 4
    ports = [port for port, *_ in seen]
    assert ports[0] == ports[1] == ports[2] != ports[3]  # one connection, then a new one
    assert {auth for _, auth, _, _ in seen} == {"Basic cmFzYTpnZWhlaW0="}
    assert {replica for _, _, replica, _ in seen} == {"a"}
    assert [body["next_action"] for *_, body in seen] == [f"action_{n}" for n in range(4)]


def test_each_event_loop_gets_its_own_session():
    endpoint = EndpointConfig("http://127.0.0.1:9/webhook")

    async def session_of_this_loop():
        async with kept_sessions.kept_session(endpoint) as session:
            same = kept_sessions.kept_session(endpoint).session is session
            await session.close()
            return session, same

    first, first_same = asyncio.run(session_of_this_loop())
    second, second_same = asyncio.run(session_of_this_loop())
    assert first_same and second_same and first is not second
