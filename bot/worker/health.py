"""A tiny HTTP health endpoint for the worker (GET /health), like Rasa's and the action
server's: 200 while rounds keep coming, 503 when the loop is stuck."""

import asyncio
import json
from datetime import timedelta

from bot.store.models import utcnow

STUCK = timedelta(seconds=60)


async def serve(worker, port: int) -> asyncio.AbstractServer:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
        except (asyncio.TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            writer.close()
            return
        alive = worker.last_tick is not None and utcnow() - worker.last_tick < STUCK
        body = json.dumps({"status": "ok" if alive else "stuck",
                           "last_round": worker.last_tick.isoformat() if worker.last_tick else None,
                           "totals": dict(worker.stats)}).encode()
        status = b"200 OK" if alive else b"503 Service Unavailable"
        writer.write(b"HTTP/1.1 " + status + b"\r\nContent-Type: application/json\r\nContent-Length: "
                     + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body)
        await writer.drain()
        writer.close()

    return await asyncio.start_server(handle, "127.0.0.1", port)
