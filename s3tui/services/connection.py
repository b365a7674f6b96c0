"""What the app connects with: an endpoint, a region and a key pair (secrets never shown)."""

from __future__ import annotations

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
