"""Jump to a typed ``s3://bucket/prefix/`` path."""

from __future__ import annotations

from dataclasses import dataclass

from s3tui.services.browse import checked_s3_path
from s3tui.ui.dialogs.prompt import PromptDialog


@dataclass(frozen=True)
class GotoTarget:
    """Where to go: a bucket and a prefix (ending with '/' unless empty)."""

    bucket: str
    prefix: str


def parse_target(text: str) -> GotoTarget:
    """Parse and validate a typed path; raises ValueError with a readable reason."""
    bucket, prefix = checked_s3_path(text)
    if prefix and not prefix.endswith("/"):
        prefix += "/"
    return GotoTarget(bucket, prefix)


class GotoDialog(PromptDialog[GotoTarget]):
    """Ask for a path; dismisses with a GotoTarget, or None on Escape."""

    def __init__(self, current: str = "") -> None:
        super().__init__("Go to", "Path (s3://bucket/prefix/):", current, parse_target)
