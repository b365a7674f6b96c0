"""The start of an object: highlighted text, or a hex dump; size and type shown first."""

from __future__ import annotations

from rich.syntax import Syntax
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from s3tui.s3 import ObjectInfo
from s3tui.services.preview import Preview
from s3tui.services.text import human_size, visible


class PreviewDialog(ModalScreen[None]):
    """Escape, p or q closes it."""

    BINDINGS = [Binding("escape,p,q", "close", "Close", id="preview.close")]
    DEFAULT_CSS = """
    PreviewDialog { align: center middle; }
    PreviewDialog > VerticalScroll { width: 96%; height: 90%; border: thick $accent;
                                     background: $surface; padding: 0 1; }
    PreviewDialog #preview-head { color: $text-muted; height: auto; }
    """

    def __init__(self, key: str, info: ObjectInfo, preview: Preview) -> None:
        super().__init__()
        self.key, self.info, self.preview = key, info, preview

    def compose(self) -> ComposeResult:
        p = self.preview
        shown = f"first {human_size(p.fetched)}" if p.truncated else "all"
        if p.kind == "hex":
            shown = f"hex of the first {min(p.fetched, 4096):,} bytes"
        head = (
            f"{visible(self.info.content_type)} · {self.info.content_length:,} bytes "
            f"({human_size(self.info.content_length)}) · showing {shown}"
        )
        with VerticalScroll() as box:
            box.border_title = visible(f"Preview: {self.key}")
            yield Static(Text(head), id="preview-head")
            if p.kind == "text":
                body = Syntax(
                    p.body, p.lexer, line_numbers=True, word_wrap=False, theme="ansi_dark"
                )
            else:
                body = Text(p.body)
            yield Static(body, id="preview-body")

    def action_close(self) -> None:
        self.dismiss(None)
