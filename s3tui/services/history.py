"""The share ledger: every link made, in SQLite in the user's data directory (mode 0600).

One schema with numbered migrations (the managed-links server will extend it). URLs are
kept so a link can be copied again, except that a session token is never written: links
signed with temporary credentials are stored with the token cut out, and marked so.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from .share import Link

MIGRATIONS: list[str] = [
    """
    CREATE TABLE links (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        bucket TEXT NOT NULL,
        key TEXT NOT NULL,
        kind TEXT NOT NULL,
        variant TEXT NOT NULL,
        method TEXT NOT NULL,
        url TEXT NOT NULL,
        reusable INTEGER NOT NULL DEFAULT 1,
        created_at REAL NOT NULL,
        expires_at REAL NOT NULL,
        profile TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX links_expires ON links (expires_at);
    """,
    # 2: managed links served by `s3tui serve`, and the API tokens that own them
    """
    CREATE TABLE managed_links (
        id TEXT PRIMARY KEY,
        bucket TEXT NOT NULL,
        key TEXT NOT NULL,
        filename TEXT NOT NULL,
        owner TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        created_at REAL NOT NULL,
        expires_at REAL NOT NULL,
        max_downloads INTEGER,
        downloads INTEGER NOT NULL DEFAULT 0,
        revoked INTEGER NOT NULL DEFAULT 0,
        password_hash TEXT
    );
    CREATE INDEX managed_owner ON managed_links (owner, created_at);
    CREATE TABLE api_tokens (
        token_hash TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        created_at REAL NOT NULL
    );
    """,
]
TOKEN_PARAMS = ("X-Amz-Security-Token", "x-amz-security-token")


def default_history_path() -> Path:
    """Where the app and ``s3tui presign`` keep the ledger: <data dir>/history.sqlite3."""
    from .config import data_dir

    return data_dir() / "history.sqlite3"


@dataclass(frozen=True)
class HistoryEntry:
    """One recorded link."""

    id: int
    bucket: str
    key: str
    kind: str
    variant: str
    method: str
    url: str
    reusable: bool
    created_at: datetime
    expires_at: datetime
    profile: str

    def seconds_left(self, now: datetime | None = None) -> int:
        """Seconds until expiry (negative once expired)."""
        now = now or datetime.now(UTC)
        return int((self.expires_at - now).total_seconds())


def strip_token(url: str) -> tuple[str, bool]:
    """Remove a session token from a URL's query; (url, True if nothing was removed)."""
    parts = urlsplit(url)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if k not in TOKEN_PARAMS]
    if len(kept) == len(pairs):
        return url, True
    return urlunsplit(parts._replace(query=urlencode(kept))), False


class ShareHistory:
    """The ledger file; open it once per process."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():  # create it private before SQLite writes anything
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        os.chmod(path, 0o600)
        self.db = sqlite3.connect(path, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        # WAL + NORMAL: a commit survives the process crashing, not a power cut, and does
        # not fsync; with FULL every counted download waited for the disk
        self.db.execute("PRAGMA synchronous=NORMAL")
        self._migrate()

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            with self.db:
                self.db.executescript(script)
                self.db.execute(f"PRAGMA user_version = {number}")

    def close(self) -> None:
        """Close the database."""
        self.db.close()

    def record(self, link: Link, profile: str = "") -> int:
        """Store a link (its session token removed); returns its id."""
        url, reusable = strip_token(link.url)
        with self.db:
            cur = self.db.execute(
                "INSERT INTO links (bucket, key, kind, variant, method, url, reusable, "
                "created_at, expires_at, profile) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    link.bucket,
                    link.key,
                    str(link.kind),
                    str(link.variant),
                    link.method,
                    url,
                    int(reusable),
                    link.created_at.timestamp(),
                    link.expires_at.timestamp(),
                    profile,
                ),
            )
        return int(cur.lastrowid)

    def entries(self, now: datetime | None = None, limit: int = 1000) -> list[HistoryEntry]:
        """Live links first (soonest to expire first), then expired ones (newest first)."""
        stamp = (now or datetime.now(UTC)).timestamp()
        rows = self.db.execute(
            "SELECT id, bucket, key, kind, variant, method, url, reusable, created_at, "
            "expires_at, profile FROM links ORDER BY (expires_at <= ?), "
            "CASE WHEN expires_at > ? THEN expires_at ELSE -created_at END LIMIT ?",
            (stamp, stamp, limit),
        ).fetchall()
        return [
            HistoryEntry(
                r[0],
                r[1],
                r[2],
                r[3],
                r[4],
                r[5],
                r[6],
                bool(r[7]),
                datetime.fromtimestamp(r[8], UTC),
                datetime.fromtimestamp(r[9], UTC),
                r[10],
            )
            for r in rows
        ]

    def purge_expired(self, older_than: int = 0, now: datetime | None = None) -> int:
        """Delete links expired more than ``older_than`` seconds ago; how many went."""
        stamp = (now or datetime.now(UTC)).timestamp() - older_than
        with self.db:
            cur = self.db.execute("DELETE FROM links WHERE expires_at < ?", (stamp,))
        return cur.rowcount
