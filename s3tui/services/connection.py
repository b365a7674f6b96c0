"""What the app connects with: an endpoint, a region and a key pair (secrets never shown)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from s3tui.s3 import S3Client
from s3tui.s3.addressing import AddressingStyle


@dataclass(frozen=True)
class Connection:
    """A resolved set of credentials and where to use them."""

    label: str
    access_key: str
    secret_key: str = field(repr=False)
    region: str = "us-east-1"
    endpoint_url: str | None = None
    session_token: str | None = field(default=None, repr=False)
    addressing_style: AddressingStyle = "auto"

    def __repr__(self) -> str:
        where = self.endpoint_url or "aws"
        return f"Connection({self.label!r}, {where}, region={self.region!r}, secret=***)"

    @property
    def where(self) -> str:
        """Endpoint for display: the URL, or 'AWS REGION'."""
        return self.endpoint_url or f"AWS {self.region}"

    def client(self, **kwargs) -> S3Client:
        """A new S3 client for this connection."""
        return S3Client(
            self.access_key,
            self.secret_key,
            region=self.region,
            endpoint_url=self.endpoint_url,
            session_token=self.session_token,
            addressing_style=self.addressing_style,
            **kwargs,
        )


def from_environment(env: Mapping[str, str] | None = None) -> Connection | None:
    """Credentials from the standard AWS environment variables, if both keys are set."""
    env = os.environ if env is None else env
    access = env.get("AWS_ACCESS_KEY_ID", "").strip()
    secret = env.get("AWS_SECRET_ACCESS_KEY", "").strip()
    if not access or not secret:
        return None
    return Connection(
        label="environment",
        access_key=access,
        secret_key=secret,
        session_token=env.get("AWS_SESSION_TOKEN") or env.get("AWS_SECURITY_TOKEN") or None,
        region=env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "us-east-1",
        endpoint_url=env.get("AWS_ENDPOINT_URL_S3") or env.get("AWS_ENDPOINT_URL") or None,
    )
