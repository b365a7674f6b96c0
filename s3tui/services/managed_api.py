"""A client for a running ``s3tui serve`` (its JSON API), for the app and for scripts.

Blocking stdlib HTTP on purpose: callers run it in a thread (the app's workers), and the
services layer needs no HTTP library of its own for four small JSON calls.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import quote

TIMEOUT = 10.0


class ManagedApiError(Exception):
    """The server refused or could not be reached; the message says which and why."""


@dataclass(frozen=True)
class ServerAccess:
    """Where the server is and the API token that owns our links."""

    url: str
    token: str = field(repr=False)

    def __post_init__(self) -> None:
        if not self.url.startswith(("http://", "https://")):
            raise ValueError(f"the server URL must start with http:// or https://: {self.url}")


@dataclass(frozen=True)
class ManagedRequest:
    """What the share dialog asks the server for."""

    bucket: str
    key: str
    expires_in: int
    max_downloads: int | None = None
    password: str | None = field(default=None, repr=False)
    note: str = ""
    filename: str = ""


MAX_MANAGED = 366 * 86400  # the server re-signs, so no 7-day limit; a year at most


def check_managed(request: ManagedRequest) -> ManagedRequest:
    """Refuse what the server would refuse, with the reason, before asking it."""
    if not 1 <= request.expires_in <= MAX_MANAGED:
        raise ValueError("a managed link lives at most 366 days")
    if request.max_downloads is not None and not 1 <= request.max_downloads <= 1_000_000:
        raise ValueError("max downloads must be 1…1000000 (empty: unlimited)")
    if len(request.note) > 500:
        raise ValueError("a note is at most 500 characters")
    return request


class ManagedApi:
    """create / list / revoke / extend managed links on the server."""

    def __init__(self, access: ServerAccess) -> None:
        self.access = access

    def _call(self, method: str, path: str, body: dict | None = None) -> dict:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            self.access.url.rstrip("/") + path,
            data=data,
            method=method,
            headers={
                "Authorization": f"Bearer {self.access.token}",
                "Accept": "application/json",
                "Content-Type": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as resp:
                return json.loads(resp.read() or b"{}")
        except urllib.error.HTTPError as exc:
            try:
                message = json.loads(exc.read()).get("message", "")
            except ValueError:
                message = ""
            reason = {401: "the API token was refused", 429: "too many requests"}.get(
                exc.code, message or exc.reason
            )
            raise ManagedApiError(f"the share server said {exc.code}: {reason}") from None
        except (urllib.error.URLError, OSError) as exc:
            why = getattr(exc, "reason", exc)
            raise ManagedApiError(
                f"cannot reach the share server at {self.access.url}: {why}"
            ) from None
        except ValueError:
            raise ManagedApiError("the share server answered something that is not JSON") from None

    def create(
        self,
        bucket: str,
        key: str,
        expires_in: int,
        *,
        max_downloads: int | None = None,
        password: str | None = None,
        note: str = "",
        filename: str = "",
    ) -> dict:
        """A new managed link: its id, url, expiry…"""
        body = {"bucket": bucket, "key": key, "expires_in": expires_in, "note": note}
        if max_downloads:
            body["max_downloads"] = max_downloads
        if password:
            body["password"] = password
        if filename:
            body["filename"] = filename
        return self._call("POST", "/api/links", body)

    def create_from(self, request: ManagedRequest) -> dict:
        """``create`` from a dialog's request."""
        return self.create(
            request.bucket,
            request.key,
            request.expires_in,
            max_downloads=request.max_downloads,
            password=request.password,
            note=request.note,
            filename=request.filename,
        )

    def list(self) -> list[dict]:
        """Our links, newest first, with downloads used."""
        return list(self._call("GET", "/api/links").get("links", []))

    def revoke(self, link_id: str) -> None:
        """Revoke one of our links."""
        self._call("POST", f"/api/links/{quote(link_id, safe='')}/revoke")

    def extend(self, link_id: str, expires_in: int) -> dict:
        """Make one of our links expire ``expires_in`` seconds from now."""
        return self._call(
            "POST", f"/api/links/{quote(link_id, safe='')}/extend", {"expires_in": expires_in}
        )
