"""An object's details (HEAD): type, size, ETag, dates, storage class, user metadata."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from s3tui.s3 import ObjectInfo
from s3tui.services.text import human_size, visible


def details_table(bucket: str, key: str, info: ObjectInfo) -> Table:
    """A two-column table; every value is literal text."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    modified = info.modified
    rows = [
        ("Key", visible(key)),
        ("URI", visible(f"s3://{bucket}/{key}")),
        ("Content type", visible(info.content_type)),
        ("Size", f"{info.content_length:,} bytes ({human_size(info.content_length)})"),
        ("ETag", visible(info.etag)),
        (
            "Last modified",
            modified.astimezone().strftime("%Y-%m-%d %H:%M:%S %Z")
            if modified
            else visible(info.last_modified),
        ),
        ("Storage class", visible(info.storage_class)),
    ]
    for label, value in (
        ("Cache-Control", info.cache_control),
        ("Content-Disposition", info.content_disposition),
        ("Content-Encoding", info.content_encoding),
        ("Version", info.version_id),
    ):
        if value:
            rows.append((label, visible(value)))
    for name, value in sorted(info.metadata.items()):
        rows.append((visible(f"x-amz-meta-{name}"), visible(value)))
    if not info.metadata:
        rows.append(("User metadata", "(none)"))
    for label, value in rows:
        table.add_row(Text(label), Text(value))
    return table


class DetailsDialog(ModalScreen[None]):
    """Shows what HEAD said about one object; Escape or i closes it."""

    BINDINGS = [Binding("escape,i,q", "close", "Close", id="details.close")]
    DEFAULT_CSS = """
    DetailsDialog { align: center middle; }
    DetailsDialog > VerticalScroll { width: 90%; max-width: 110; height: auto; max-height: 80%;
                                     border: thick $accent; padding: 1 2; background: $surface; }
    """

    def __init__(self, bucket: str, key: str, info: ObjectInfo) -> None:
        super().__init__()
        self._table = details_table(bucket, key, info)

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            scroll.border_title = "Object details"
            yield Static(self._table)

    def action_close(self) -> None:
        self.dismiss(None)
