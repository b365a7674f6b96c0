"""App-wide messages."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class OpenBucket(Message):
    """Open a bucket (at a prefix) in the objects screen."""

    bucket: str
    prefix: str = ""
