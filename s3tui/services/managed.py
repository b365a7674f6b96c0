"""Managed links: the ledger behind ``s3tui serve`` (same SQLite file as the share history).

A managed link is an unguessable id that the server turns into a fresh presigned GET on
each valid request, so it can expire later than 7 days, be revoked or extended, count its
downloads and ask for a password. Each download is decided by one atomic UPDATE, so the
count is exact however many requests arrive at once.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from s3tui.s3 import check_bucket, check_key

from .history import ShareHistory

ID_BYTES = 18  # 144 bits, 24 URL-safe characters
MAX_LIFETIME = 366 * 86400


class Verdict(StrEnum):
    """Why a request for a link is served or refused."""

    OK = "ok"
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    REVOKED = "revoked"
    USED_UP = "used-up"


@dataclass(frozen=True)
class ManagedLink:
    """One managed link as stored (never the password, only whether there is one)."""

    id: str
    bucket: str
    key: str
    filename: str
    owner: str
    note: str
    created_at: float
    expires_at: float
    max_downloads: int | None
    downloads: int
    revoked: bool
    has_password: bool

    def verdict(self, now: float) -> Verdict:
        """Whether it may be served at ``now`` (not counting this request)."""
        if self.revoked:
            return Verdict.REVOKED
        if self.expires_at <= now:
            return Verdict.EXPIRED
        if self.max_downloads is not None and self.downloads >= self.max_downloads:
            return Verdict.USED_UP
        return Verdict.OK

    def as_json(self, base_url: str = "") -> dict:
        """What the API returns for it."""
        return {
            "id": self.id,
            "url": f"{base_url.rstrip('/')}/s/{self.id}" if base_url else f"/s/{self.id}",
            "bucket": self.bucket,
            "key": self.key,
            "filename": self.filename,
            "owner": self.owner,
            "note": self.note,
            "created_at": datetime.fromtimestamp(self.created_at, UTC).isoformat(),
            "expires_at": datetime.fromtimestamp(self.expires_at, UTC).isoformat(),
            "max_downloads": self.max_downloads,
            "downloads": self.downloads,
            "revoked": self.revoked,
            "password": self.has_password,
        }


_COLUMNS = (
    "id, bucket, key, filename, owner, note, created_at, expires_at, max_downloads, "
    "downloads, revoked, password_hash"
)


def _row(r) -> tuple[ManagedLink, str | None]:
    link = ManagedLink(
        r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], bool(r[10]), r[11] is not None
    )
    return link, r[11]


def token_hash(token: str) -> str:
    """Tokens are stored as SHA-256 (they are random; no need for a slow hash)."""
    return hashlib.sha256(token.encode()).hexdigest()


class ManagedLinks:
    """Create, find, count, revoke, extend and purge managed links; API tokens too."""

    def __init__(self, path: Path) -> None:
        self.history = ShareHistory(path)  # opens the file and runs the migrations
        self.db = self.history.db

    def close(self) -> None:
        """Close the database."""
        self.history.close()

    # -- tokens -------------------------------------------------------------------------
    def add_token(self, owner: str, now: float) -> str:
        """A new API token for ``owner`` (shown once; only its hash is kept)."""
        if not owner.strip():
            raise ValueError("a token needs an owner name")
        token = secrets.token_urlsafe(32)
        with self.db:
            self.db.execute(
                "INSERT INTO api_tokens (token_hash, owner, created_at) VALUES (?, ?, ?)",
                (token_hash(token), owner.strip(), now),
            )
        return token

    def owner_of(self, token: str) -> str | None:
        """The owner of a token, or None (the lookup is by hash: no timing on the token)."""
        row = self.db.execute(
            "SELECT owner FROM api_tokens WHERE token_hash = ?", (token_hash(token),)
        ).fetchone()
        return row[0] if row else None

    # -- links --------------------------------------------------------------------------
    def create(
        self,
        *,
        bucket: str,
        key: str,
        owner: str,
        expires_in: int,
        now: float,
        filename: str = "",
        note: str = "",
        max_downloads: int | None = None,
        password_hash: str | None = None,
    ) -> ManagedLink:
        """Store a new link; ValueError with the reason for bad input."""
        check_bucket(bucket)
        check_key(key)
        if not 1 <= int(expires_in) <= MAX_LIFETIME:
            raise ValueError(f"expires_in must be 1…{MAX_LIFETIME} seconds")
        if max_downloads is not None and not 1 <= int(max_downloads) <= 1_000_000:
            raise ValueError("max_downloads must be 1…1000000")
        if len(note) > 500:
            raise ValueError("a note is at most 500 characters")
        link_id = secrets.token_urlsafe(ID_BYTES)
        name = filename or key.rsplit("/", 1)[-1] or "download"
        with self.db:
            self.db.execute(
                f"INSERT INTO managed_links ({_COLUMNS}) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?)",
                (
                    link_id,
                    bucket,
                    key,
                    name,
                    owner,
                    note,
                    now,
                    now + int(expires_in),
                    max_downloads,
                    password_hash,
                ),
            )
        found = self.get(link_id)
        assert found is not None
        return found[0]

    def get(self, link_id: str) -> tuple[ManagedLink, str | None] | None:
        """The link and its password hash, or None."""
        row = self.db.execute(
            f"SELECT {_COLUMNS} FROM managed_links WHERE id = ?", (link_id,)
        ).fetchone()
        return _row(row) if row else None

    def take_download(self, link_id: str, now: float) -> bool:
        """Count one download if the link may still be used: one atomic UPDATE decides."""
        with self.db:
            cur = self.db.execute(
                "UPDATE managed_links SET downloads = downloads + 1 WHERE id = ? AND revoked = 0 "
                "AND expires_at > ? AND (max_downloads IS NULL OR downloads < max_downloads)",
                (link_id, now),
            )
        return cur.rowcount == 1

    def list(self, owner: str) -> list[ManagedLink]:
        """The owner's links, newest first."""
        rows = self.db.execute(
            f"SELECT {_COLUMNS} FROM managed_links WHERE owner = ? ORDER BY created_at DESC",
            (owner,),
        ).fetchall()
        return [_row(r)[0] for r in rows]

    def revoke(self, link_id: str, owner: str) -> bool:
        """Revoke one of the owner's links; False if there is no such link of theirs."""
        with self.db:
            cur = self.db.execute(
                "UPDATE managed_links SET revoked = 1 WHERE id = ? AND owner = ?", (link_id, owner)
            )
        return cur.rowcount == 1

    def extend(self, link_id: str, owner: str, expires_in: int, now: float) -> bool:
        """Make one of the owner's links expire ``expires_in`` seconds from now."""
        if not 1 <= int(expires_in) <= MAX_LIFETIME:
            raise ValueError(f"expires_in must be 1…{MAX_LIFETIME} seconds")
        with self.db:
            cur = self.db.execute(
                "UPDATE managed_links SET expires_at = ? WHERE id = ? AND owner = ?",
                (now + int(expires_in), link_id, owner),
            )
        return cur.rowcount == 1

    def purge_expired(self, owner: str, now: float) -> int:
        """Delete the owner's expired or revoked links; how many went."""
        with self.db:
            cur = self.db.execute(
                "DELETE FROM managed_links WHERE owner = ? AND (expires_at <= ? OR revoked = 1)",
                (owner, now),
            )
        return cur.rowcount
