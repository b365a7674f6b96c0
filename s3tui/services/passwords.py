"""Link passwords: salted scrypt, checked in constant time, with the same work either way.

A wrong password, a right one and a password for a link that has none (or does not exist)
each cost exactly one scrypt derivation, so timing tells nothing; the derived key is
compared with ``hmac.compare_digest``. Only ``scrypt$n$r$p$salt$hash`` is ever stored.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field

N, R, P = 2**14, 8, 1  # 16 MiB and ~50 ms per derivation
DKLEN = 32


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class PasswordHasher:
    """Derives and checks; ``calls`` counts derivations (what the tests assert on)."""

    n: int = N
    r: int = R
    p: int = P
    calls: int = 0
    _dummy: str = field(default="", repr=False)

    def derive(self, password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
        """One scrypt derivation."""
        self.calls += 1
        return hashlib.scrypt(
            password.encode("utf-8"),
            salt=salt,
            n=n,
            r=r,
            p=p,
            maxmem=256 * 1024 * 1024,
            dklen=DKLEN,
        )

    def hash(self, password: str) -> str:
        """A new salted hash for storing."""
        if not password:
            raise ValueError("a password cannot be empty")
        salt = secrets.token_bytes(16)
        key = self.derive(password, salt, self.n, self.r, self.p)
        return f"scrypt${self.n}${self.r}${self.p}${_b64(salt)}${_b64(key)}"

    def _dummy_hash(self) -> str:
        if not self._dummy:
            salt = secrets.token_bytes(16)
            self._dummy = f"scrypt${self.n}${self.r}${self.p}${_b64(salt)}${_b64(bytes(DKLEN))}"
        return self._dummy

    def verify(self, password: str, stored: str | None) -> bool:
        """True if ``password`` matches ``stored``; one derivation whatever the case."""
        real = stored is not None
        try:
            scheme, n, r, p, salt, key = (stored or self._dummy_hash()).split("$")
            if scheme != "scrypt":
                raise ValueError(scheme)
            params = int(n), int(r), int(p)
        except ValueError:
            real = False
            scheme, n, r, p, salt, key = self._dummy_hash().split("$")
            params = int(n), int(r), int(p)
        derived = self.derive(password, _unb64(salt), *params)
        return hmac.compare_digest(derived, _unb64(key)) and real
