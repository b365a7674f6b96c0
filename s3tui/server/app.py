"""The aiohttp.web application: managed links, the JSON API and the upload API.

Built by one factory (``build_server``) from its parts, so tests run the real thing on
loopback with their own clock and password hasher.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from aiohttp import web

from s3tui.s3 import S3Client, S3Error
from s3tui.services.managed import ManagedLinks, Verdict
from s3tui.services.passwords import PasswordHasher
from s3tui.services.share import content_disposition

from .pages import SECURITY_HEADERS, page, password_form, refusal
from .ratelimit import RateLimiter
from .uploads import UploadRules, confirm_upload, upload_url

STATIC = Path(__file__).parent / "static"
LINK_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
MAX_BODY = 64 * 1024  # JSON and form bodies; uploads go straight to S3, never through us

REFUSED = {
    Verdict.EXPIRED: "This link has expired.",
    Verdict.REVOKED: "This link was revoked by its owner.",
    Verdict.USED_UP: "This link has been used as many times as it allows.",
}


@dataclass
class ServeConfig:
    """What ``s3tui serve`` is told on its command line (and tests set directly)."""

    base_url: str = ""
    redirect_ttl: int = 60  # seconds the presigned URL behind a redirect lives
    requests_per_minute: int = 600  # per client, on /s/ and the API
    creates_per_minute: int = 10  # per token owner (the seed's 10 links a minute)
    password_failures_per_minute: int = 5  # per link and per client; the next gets 429
    trust_proxy: bool = False  # behind a reverse proxy: the client is X-Forwarded-For's last hop
    uploads: UploadRules = field(default_factory=UploadRules)


@dataclass
class Server:
    """The parts the routes use."""

    config: ServeConfig
    client: S3Client
    links: ManagedLinks
    hasher: PasswordHasher = field(default_factory=PasswordHasher)
    clock: Callable[[], float] = time.time

    def __post_init__(self) -> None:
        cfg = self.config
        self.per_client = RateLimiter(cfg.requests_per_minute)
        self.creates = RateLimiter(cfg.creates_per_minute)
        self.pw_failures = RateLimiter(cfg.password_failures_per_minute)

    # -- managed links ------------------------------------------------------------------
    async def follow(self, request: web.Request) -> web.StreamResponse:
        """GET or POST (password) /s/{id}: a redirect to a fresh presigned GET, or why not."""
        who = self.client_of(request)
        if not self.per_client.hit(f"client:{who}"):
            return self._too_many(request, self.per_client, f"client:{who}")
        link_id = request.match_info["id"]
        found = self.links.get(link_id) if LINK_ID.match(link_id) else None
        password = None
        if request.method == "POST":
            form = await request.post()
            password = str(form.get("password", ""))
        if found is None:
            if password is not None:  # same work as for a real link: no oracle
                await asyncio.to_thread(self.hasher.verify, password, None)
            return refusal(request, 404, "unknown", "There is no such link.")
        link, stored = found
        now = self.clock()
        verdict = link.verdict(now)
        if verdict is not Verdict.OK:
            return refusal(request, 410, str(verdict), REFUSED[verdict])
        if link.has_password:
            if password is None:
                return password_form(request, link_id, "This link needs a password.")
            keys = (f"link:{link_id}", f"client:{who}")
            if any(self.pw_failures.blocked(k) for k in keys):
                return self._too_many(request, self.pw_failures, keys[0])
            if not await asyncio.to_thread(self.hasher.verify, password, stored):
                for k in keys:
                    self.pw_failures.hit(k)
                return password_form(request, link_id, "Wrong password; try again.")
        if not self.links.take_download(link_id, now):
            again = self.links.get(link_id)
            verdict = again[0].verdict(now) if again else Verdict.UNKNOWN
            return refusal(request, 410, str(verdict), REFUSED.get(verdict, "Not available."))
        url = self.client.generate_presigned_url(
            "GET",
            link.bucket,
            link.key,
            self.config.redirect_ttl,
            {"ResponseContentDisposition": content_disposition(link.filename)},
        )
        raise web.HTTPFound(url)

    def client_of(self, request: web.Request) -> str:
        """Who is asking, for the limits: the peer, or with --trust-proxy the address our
        proxy appended last (earlier hops are whatever the client claimed)."""
        if self.config.trust_proxy:
            hops = [h.strip() for h in request.headers.get("X-Forwarded-For", "").split(",")]
            if hops and hops[-1]:
                return hops[-1]
        return request.remote or "?"

    def _too_many(self, request: web.Request, limiter: RateLimiter, key: str) -> web.Response:
        wait = limiter.retry_after(key)
        return refusal(
            request,
            429,
            "rate-limited",
            f"Too many requests; try again in {wait} s.",
            **{"Retry-After": str(wait)},
        )

    # -- the JSON API -------------------------------------------------------------------
    def owner(self, request: web.Request) -> str:
        """The token's owner; 401 JSON if the token is missing or unknown."""
        auth = request.headers.get("Authorization", "")
        token = auth[7:].strip() if auth[:7].lower() == "bearer " else ""
        owner = self.links.owner_of(token) if token else None
        if owner is None:
            raise web.HTTPUnauthorized(
                text='{"error": "token", "message": "a valid API token is required"}',
                content_type="application/json",
                headers={"WWW-Authenticate": "Bearer"},
            )
        return owner

    async def body(self, request: web.Request) -> dict:
        """The JSON object sent; 400 JSON if it is not one."""
        try:
            data = await request.json()
        except ValueError:
            data = None
        if not isinstance(data, dict):
            raise bad_request("send a JSON object")
        return data

    async def create(self, request: web.Request) -> web.Response:
        """POST /api/links: a new managed link (rate-limited per owner)."""
        owner = self.owner(request)
        data = await self.body(request)
        if not self.creates.hit(f"owner:{owner}"):
            return self._too_many(request, self.creates, f"owner:{owner}")
        password = data.get("password")
        try:
            pw_hash = await asyncio.to_thread(self.hasher.hash, str(password)) if password else None
            link = self.links.create(
                bucket=str(data.get("bucket", "")),
                key=str(data.get("key", "")),
                owner=owner,
                expires_in=int(data.get("expires_in", 86400)),
                now=self.clock(),
                filename=str(data.get("filename") or ""),
                note=str(data.get("note") or ""),
                max_downloads=_opt_int(data.get("max_downloads")),
                password_hash=pw_hash,
            )
        except (ValueError, TypeError) as exc:
            raise bad_request(str(exc)) from None
        return web.json_response(link.as_json(self._base(request)), status=201)

    async def list_links(self, request: web.Request) -> web.Response:
        """GET /api/links: the caller's own links."""
        owner = self.owner(request)
        base = self._base(request)
        return web.json_response({"links": [x.as_json(base) for x in self.links.list(owner)]})

    async def revoke(self, request: web.Request) -> web.Response:
        """POST /api/links/{id}/revoke."""
        owner = self.owner(request)
        if not self.links.revoke(request.match_info["id"], owner):
            raise web.HTTPNotFound(text='{"error": "unknown"}', content_type="application/json")
        return web.json_response({"revoked": True})

    async def extend(self, request: web.Request) -> web.Response:
        """POST /api/links/{id}/extend {"expires_in": seconds from now}."""
        owner = self.owner(request)
        data = await self.body(request)
        try:
            done = self.links.extend(
                request.match_info["id"], owner, int(data.get("expires_in", 0)), self.clock()
            )
        except (ValueError, TypeError) as exc:
            raise bad_request(str(exc)) from None
        if not done:
            raise web.HTTPNotFound(text='{"error": "unknown"}', content_type="application/json")
        found = self.links.get(request.match_info["id"])
        assert found is not None
        return web.json_response(found[0].as_json(self._base(request)))

    async def purge(self, request: web.Request) -> web.Response:
        """POST /api/links/purge-expired: delete the caller's expired and revoked links."""
        owner = self.owner(request)
        return web.json_response({"purged": self.links.purge_expired(owner, self.clock())})

    def _base(self, request: web.Request) -> str:
        return self.config.base_url or f"{request.scheme}://{request.host}"

    # -- uploads --------------------------------------------------------------------------
    async def upload_url(self, request: web.Request) -> web.Response:
        """POST /api/upload-url: a presigned POST for an allowed type and size."""
        owner = self.owner(request)
        data = await self.body(request)
        if not self.creates.hit(f"owner:{owner}"):
            return self._too_many(request, self.creates, f"owner:{owner}")
        try:
            answer = upload_url(
                self.client, self.config.uploads, data, datetime.fromtimestamp(self.clock(), UTC)
            )
        except ValueError as exc:
            raise bad_request(str(exc)) from None
        return web.json_response(answer)

    async def confirm(self, request: web.Request) -> web.Response:
        """POST /api/confirm-upload {"key"}: what S3 holds under that key now."""
        self.owner(request)
        data = await self.body(request)
        try:
            return web.json_response(
                await confirm_upload(self.client, self.config.uploads, str(data.get("key", "")))
            )
        except ValueError as exc:
            raise bad_request(str(exc)) from None
        except S3Error as exc:
            raise web.HTTPNotFound(
                text='{"error": "missing", "message": "no such upload"}',
                content_type="application/json",
            ) from exc

    async def upload_page(self, request: web.Request) -> web.Response:
        """GET /upload: the page with the file picker (its script is /static/upload.js)."""
        return page("Upload a file", (STATIC / "upload.html").read_text(encoding="utf-8"))

    async def health(self, request: web.Request) -> web.Response:
        """GET /healthz."""
        return web.json_response({"ok": True})


def bad_request(message: str) -> web.HTTPBadRequest:
    """400 with a JSON reason."""
    return web.HTTPBadRequest(
        text=json.dumps({"error": "bad-request", "message": message}),
        content_type="application/json",
    )


def _opt_int(value: object) -> int | None:
    return None if value in (None, "", 0) else int(value)  # type: ignore[arg-type]


@web.middleware
async def security_headers(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """Every answer, error pages included, carries the security headers."""
    try:
        response = await handler(request)
    except web.HTTPException as exc:
        if exc.status < 400:  # a redirect (to our own presigned URL): raised as it was
            for name, value in SECURITY_HEADERS.items():
                exc.headers.setdefault(name, value)
            raise
        if exc.content_type == "text/plain":  # aiohttp's own 404/405/413…: say it our way
            response = refusal(request, exc.status, "http", exc.reason)
        else:
            response = web.Response(status=exc.status, body=exc.body, headers=exc.headers)
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def build_server(server: Server) -> web.Application:
    """The aiohttp application for ``server``."""
    app = web.Application(middlewares=[security_headers], client_max_size=MAX_BODY)
    app.router.add_get("/s/{id}", server.follow)
    app.router.add_post("/s/{id}", server.follow)
    app.router.add_get("/api/links", server.list_links)
    app.router.add_post("/api/links", server.create)
    app.router.add_post("/api/links/purge-expired", server.purge)
    app.router.add_post("/api/links/{id}/revoke", server.revoke)
    app.router.add_post("/api/links/{id}/extend", server.extend)
    app.router.add_post("/api/upload-url", server.upload_url)
    app.router.add_post("/api/confirm-upload", server.confirm)
    app.router.add_get("/upload", server.upload_page)
    app.router.add_get("/healthz", server.health)
    app.router.add_static("/static", STATIC, show_index=False, follow_symlinks=False)

    async def close(_app: web.Application) -> None:
        await server.client.close()
        server.links.close()

    app.on_cleanup.append(close)
    return app
