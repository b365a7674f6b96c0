"""`s3tui serve` run in the test's event loop on a free loopback port, over a real store."""

from __future__ import annotations

import time
from pathlib import Path

from aiohttp import web

from s3tui.server.app import ServeConfig, Server, build_server
from s3tui.services.managed import ManagedLinks
from s3tui.services.passwords import PasswordHasher

JSON = {"Accept": "application/json"}
FAST_SCRYPT = {"n": 2**10, "r": 8, "p": 1}  # the same code path, less memory and time


class Running:
    """A server on a free loopback port; ``restart()`` keeps the same ledger file."""

    def __init__(self, endpoint, db: Path, config: ServeConfig) -> None:
        self.endpoint, self.db, self.config = endpoint, db, config
        self.clock_offset = 0.0
        self.hasher = PasswordHasher(**FAST_SCRYPT)
        self.runner: web.AppRunner | None = None
        self.url = ""
        self.token = ""

    async def start(self) -> None:
        links = ManagedLinks(self.db)
        if not self.token:
            self.token = links.add_token("alice", time.time())
            self.other = links.add_token("bob", time.time())
        self.server = Server(
            self.config,
            self.endpoint.client(),
            links,
            self.hasher,
            clock=lambda: time.time() + self.clock_offset,
        )
        self.runner = web.AppRunner(build_server(self.server))
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"

    async def stop(self) -> None:
        await self.runner.cleanup()

    async def restart(self) -> None:
        await self.stop()
        await self.start()

    def auth(self, token: str | None = None) -> dict:
        return {"Authorization": f"Bearer {token or self.token}", **JSON}
