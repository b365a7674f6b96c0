"""Links for every marked object at once, copied as lines, JSON, CSV or Markdown."""

from __future__ import annotations

from datetime import UTC, datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, RadioButton, RadioSet, Static

from s3tui.s3 import S3Client
from s3tui.services.expiry import PRESETS, ExpiryRules, describe
from s3tui.services.share import FORMATS, Link, batch_links, format_links
from s3tui.ui.dialogs.share import ShareOutcome, pressed

RULES = "rules"


class BatchShareDialog(ModalScreen[ShareOutcome | None]):
    """Enter copies every link in the chosen format; Escape closes."""

    BINDINGS = [
        Binding("enter", "copy", "Copy all & close", priority=True, id="batch.copy"),
        Binding("escape", "cancel", "Close", id="batch.close"),
    ]
    DEFAULT_CSS = """
    BatchShareDialog { align: center middle; }
    BatchShareDialog > VerticalScroll { width: 96%; max-width: 118; height: auto;
        max-height: 96%; border: thick $accent; background: $surface; padding: 0 1; }
    BatchShareDialog RadioSet { layout: horizontal; height: auto; border: none; padding: 0;
                                background: $surface; }
    BatchShareDialog .row { height: auto; }
    BatchShareDialog RadioButton { width: auto; }
    BatchShareDialog .row Label { padding: 1 1 0 0; width: 10; }
    BatchShareDialog #preview { height: auto; max-height: 14; background: $boost; padding: 0 1; }
    BatchShareDialog #summary { height: auto; color: $text-muted; }
    """

    def __init__(
        self, client: S3Client, bucket: str, keys: list[str], rules: ExpiryRules, now=None
    ) -> None:
        super().__init__()
        self.client, self.bucket, self.keys, self.rules = client, bucket, keys, rules
        self._now = now or (lambda: datetime.now(UTC))
        self.links: list[Link] = []
        self.text = ""

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:
            box.border_title = f"Share {len(self.keys)} marked objects (download links)"
            with Horizontal(classes="row"):
                yield Label("Expires")
                with RadioSet(id="expiry"):
                    yield RadioButton("by file type", value=True, id=f"e-{RULES}")
                    for label, seconds in PRESETS:
                        yield RadioButton(label, id=f"e-{seconds}")
            with Horizontal(classes="row"):
                yield Label("Format")
                with RadioSet(id="format"):
                    for i, name in enumerate(FORMATS):
                        yield RadioButton(name, value=i == 0, id=f"f-{name}")
            yield Static("", id="summary")
            yield Static("", id="preview")
            yield Static(Text("Enter copies all and closes · Esc closes", style="dim"))

    def on_mount(self) -> None:
        self.query_one("#expiry", RadioSet).focus()
        self.rebuild()

    @on(RadioSet.Changed)
    def rebuild(self) -> None:
        """Make every link again and show the start of the result."""
        choice = pressed(self, "expiry", "e-")
        expiry = None if choice in ("", RULES) else int(choice)
        fmt = pressed(self, "format", "f-") or "lines"
        self.links = batch_links(
            self.client, self.bucket, self.keys, self.rules, expiry, self._now()
        )
        self.text = format_links(self.links, fmt)
        lifetimes = sorted({link.expires_in for link in self.links})
        summary = f"{len(self.links)} links, {len(self.text):,} characters; lifetimes: "
        summary += ", ".join(describe(s) for s in lifetimes)
        self.query_one("#summary", Static).update(Text(summary))
        preview = "\n".join(self.text.splitlines()[:12])
        if self.text.count("\n") > 12:
            preview += "\n…"
        self.query_one("#preview", Static).update(Text(preview, overflow="ellipsis", no_wrap=True))

    def action_copy(self) -> None:
        fmt = pressed(self, "format", "f-") or "lines"
        self.dismiss(ShareOutcome(self.text, f"{len(self.links)} links ({fmt})", self.links))

    def action_cancel(self) -> None:
        self.dismiss(None)
