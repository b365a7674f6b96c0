"""The first screen: the buckets the credentials can see."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from s3tui.s3 import Bucket, S3Error
from s3tui.services.explain import explain
from s3tui.services.text import visible
from s3tui.ui.messages import OpenBucket
from s3tui.ui.typeahead import forward_to_top, open_now
from s3tui.ui.widgets.transfer_panel import TransferPanel


class BucketsScreen(Screen[None]):
    """Bucket names and creation dates; Enter opens one."""

    CSS_PATH = "buckets.tcss"
    BINDINGS = [
        Binding("r", "refresh", "Refresh", id="buckets.refresh"),
        Binding("g", "goto", "Go to path", id="buckets.goto"),
    ]

    @dataclass
    class Loaded(Message):
        buckets: list[Bucket]

    @dataclass
    class Failed(Message):
        error: BaseException

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="bucket-error")
        table = DataTable(id="buckets", cursor_type="row", zebra_stripes=True)
        table.add_column("Bucket", key="name")
        table.add_column("Created", key="created")
        yield table
        yield Static("loading buckets…", id="bucket-status")
        yield TransferPanel(self.app.transfers)
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    def on_key(self, event: events.Key) -> None:
        # letters typed fast after g belong to the dialog (see ui/typeahead.py)
        if not forward_to_top(self, event):
            open_now(self, event, ("goto",))

    @work(exclusive=True, group="buckets", exit_on_error=False)
    async def load(self) -> None:
        """List buckets in the background."""
        try:
            buckets = await self.app.client.list_buckets()
        except (S3Error, ValueError) as exc:
            self.post_message(self.Failed(exc))
        else:
            self.post_message(self.Loaded(buckets))

    def on_buckets_screen_loaded(self, message: Loaded) -> None:
        self.remove_class("failed")
        table = self.query_one(DataTable)
        table.clear()
        for b in sorted(message.buckets, key=lambda b: b.name):
            created = b.created
            when = created.astimezone().strftime("%Y-%m-%d %H:%M") if created else ""
            table.add_row(Text(visible(b.name)), Text(when), key=b.name)
        count = len(message.buckets)
        status = f"{count} bucket{'s' if count != 1 else ''} · {self.app.connection_label}"
        if count:
            status += " · Enter opens"
        if not count:
            status += " · no buckets: create one, or check the account"
        self.query_one("#bucket-status", Static).update(Text(status))
        table.focus()

    def on_buckets_screen_failed(self, message: Failed) -> None:
        self.add_class("failed")
        why = explain(message.error, "listing buckets")
        text = Text.assemble((why.title, "bold"), "\n", why.hint, "\nr retries · q quits")
        self.query_one("#bucket-error", Static).update(text)
        self.query_one("#bucket-status", Static).update(Text("could not list buckets"))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self.post_message(OpenBucket(event.row_key.value))

    def action_refresh(self) -> None:
        self.query_one("#bucket-status", Static).update("loading buckets…")
        self.load()

    def action_goto(self) -> None:
        self.app.action_goto()
