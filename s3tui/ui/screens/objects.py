"""One bucket, one prefix at a time: folders first, then objects; streams big prefixes."""

from __future__ import annotations

import gc
from dataclasses import dataclass

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from s3tui.s3 import S3Error
from s3tui.services.browse import SORT_KEYS, Listing, SortKey, parent_prefix
from s3tui.services.explain import explain
from s3tui.services.preview import preview
from s3tui.services.text import visible
from s3tui.ui.dialogs.batch import BatchShareDialog
from s3tui.ui.dialogs.confirm import ConfirmDialog
from s3tui.ui.dialogs.details import DetailsDialog
from s3tui.ui.dialogs.preview import PreviewDialog
from s3tui.ui.dialogs.share import UPLOAD_EXPIRY, ShareDialog
from s3tui.ui.screens.object_ops import ObjectOps
from s3tui.ui.typeahead import forward_to_top, open_now
from s3tui.ui.widgets.filter_bar import FilterBar
from s3tui.ui.widgets.object_list import ObjectList, header_text
from s3tui.ui.widgets.transfer_panel import TransferPanel

# bindings whose dialog takes typed text: they open as their key passes (ui/typeahead.py)
OPENS_DIALOG = ("filter", "goto", "share", "download", "upload", "new_folder", "copy", "move")


class ObjectsScreen(ObjectOps, Screen[None]):
    """Browse ``bucket`` at ``prefix``; Backspace goes up, Enter goes in."""

    CSS_PATH = "objects.tcss"
    BINDINGS = [
        Binding("backspace,left,h", "up", "Up", id="objects.up"),
        Binding("slash", "filter", "Filter", id="objects.filter"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="objects.clear_filter"),
        Binding("o", "cycle_sort", "Sort", id="objects.sort"),
        Binding("O", "reverse_sort", "Reverse", show=False, id="objects.reverse"),
        Binding("r", "refresh", "Refresh", show=False, id="objects.refresh"),
        Binding("i", "details", "Details", id="objects.details"),
        Binding("g", "goto", "Go to", id="objects.goto"),
        Binding("U", "unmark", "Unmark all", show=False, id="objects.unmark"),
        Binding("d", "download", "Download", id="objects.download"),
        Binding("u", "upload", "Upload", id="objects.upload"),
        Binding("n", "new_folder", "New folder", show=False, id="objects.new_folder"),
        Binding("c", "copy", "Copy to", show=False, id="objects.copy"),
        Binding("m", "move", "Move/rename", show=False, id="objects.move"),
        Binding("t", "toggle_transfers", "Transfer panel", show=False, id="objects.transfers"),
        Binding("T", "list_transfers", "Transfers", show=False, id="objects.list_transfers"),
        Binding("X", "cancel_transfers", "Cancel transfers", show=False, id="objects.cancel"),
        Binding("C", "clear_transfers", "Clear finished", show=False, id="objects.clear"),
        Binding("s", "share", "Share", id="objects.share"),
        Binding("p", "preview", "Preview", id="objects.preview"),
        Binding("D", "delete", "Delete", show=False, id="objects.delete"),
    ]

    @dataclass
    class Progress(Message):
        """A page of the listing arrived."""

        listing: Listing

    @dataclass
    class Failed(Message):
        """The listing stopped with an error."""

        listing: Listing
        error: BaseException

    def __init__(self, bucket: str, prefix: str = "") -> None:
        super().__init__()
        self.bucket = bucket
        self.prefix = prefix
        self.listing = Listing(bucket, prefix)
        self.sort: SortKey = "name"
        self.reverse = False
        self.needle = ""
        self.error: BaseException | None = None
        self._keep_key: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="breadcrumb")
        yield FilterBar(id="filter")
        yield Static("", id="columns")
        yield ObjectList(id="objects")
        yield Static("", id="error")
        yield Static("", id="status")
        yield TransferPanel(self.app.transfers)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(ObjectList).focus()
        self.open_prefix(self.prefix)

    def on_unmount(self) -> None:
        gc.unfreeze()  # the rows go with the screen; let the GC see what they leave

    # -- loading --------------------------------------------------------------------------
    def open_prefix(self, prefix: str, keep_key: str | None = None) -> None:
        """Show ``prefix`` (cancelling any listing in progress) and stream it in."""
        self.prefix = prefix
        gc.unfreeze()
        self.listing = Listing(self.bucket, prefix)
        self.error = None
        self.remove_class("failed")
        self._keep_key = keep_key
        self.query_one(ObjectList).clear_marks()
        self._set_needle("")
        self.query_one("#breadcrumb", Static).update(
            Text.assemble(("s3://", "dim"), visible(f"{self.bucket}/{prefix}"))
        )
        self._show()
        self.load(self.listing)

    @work(exclusive=True, group="listing", exit_on_error=False)
    async def load(self, listing: Listing) -> None:
        """Stream the listing page by page (cancelled when another starts)."""
        try:
            page_size = self.app.settings.page_size
            async for page in self.app.client.list_objects(
                listing.bucket, listing.prefix, page_size=page_size
            ):
                listing.add_page(page)
                self.post_message(self.Progress(listing))
            listing.complete = True
            self.post_message(self.Progress(listing))
        except (S3Error, ValueError) as exc:
            self.post_message(self.Failed(listing, exc))

    def on_objects_screen_progress(self, message: Progress) -> None:
        if message.listing is self.listing:
            # The rows live as long as this folder is shown: move them out of the cyclic
            # GC's scans, whose full passes over 100k rows stalled typing by ~60 ms.
            # open_prefix() unfreezes, so nothing is kept from collection for long.
            gc.freeze()
            self._show()

    def on_objects_screen_failed(self, message: Failed) -> None:
        if message.listing is not self.listing:
            return
        self.error = message.error
        self.add_class("failed")
        why = explain(message.error, f"at s3://{self.bucket}/{self.prefix}")
        self.query_one("#error", Static).update(
            Text.assemble(
                (visible(why.title), "bold"), "\n", why.hint, "\nr retries · Backspace goes back"
            )
        )
        self._show()

    # -- view ------------------------------------------------------------------------------
    def _show(self) -> None:
        """Redraw rows, header and status from the listing, filter and sort."""
        table = self.query_one(ObjectList)
        rows = self.listing.view(self.needle, self.sort, self.reverse)
        table.set_rows(rows, keep_key=self._keep_key)
        if self._keep_key and any(e.key == self._keep_key for e in rows):
            self._keep_key = None
        width = table.scrollable_content_region.width or self.size.width
        self.query_one("#columns", Static).update(
            Text.assemble(*header_text(width, self.sort, self.reverse))
        )
        self._update_status()

    def _update_status(self) -> None:
        listing, table = self.listing, self.query_one(ObjectList)
        parts = [f"{len(listing.folders):,} folders · {len(listing.objects):,} objects"]
        if self.error is not None:
            parts.append("listing failed")
        elif not listing.complete:
            parts.append(f"loading… {len(listing):,} so far (leave the folder to stop)")
        if self.needle:
            parts.append(f"{len(table.rows):,} match “{visible(self.needle)}”")
        if table.marked:
            parts.append(f"{len(table.marked):,} marked")
        arrow = "▼" if self.reverse else "▲"
        parts.append(f"sort: {self.sort} {arrow}")
        if not len(listing) and listing.complete and self.error is None:
            parts.insert(0, "empty")
        self.query_one("#status", Static).update(Text(" · ".join(parts)))

    def on_resize(self) -> None:
        self._show()

    # -- navigation ------------------------------------------------------------------------
    @on(ObjectList.Opened)
    def _open(self, event: ObjectList.Opened) -> None:
        if event.entry.is_folder:
            self.open_prefix(event.entry.key)
        else:
            self.action_details()

    def action_up(self) -> None:
        if not self.prefix:
            self.workers.cancel_group(self, "listing")
            self.app.pop_screen()
            return
        self.open_prefix(parent_prefix(self.prefix), keep_key=self.prefix)

    def action_refresh(self) -> None:
        current = self.query_one(ObjectList).current
        self.open_prefix(self.prefix, keep_key=current.key if current else None)

    def action_goto(self) -> None:
        self.app.action_goto(f"s3://{self.bucket}/{self.prefix}")

    # -- filter and sort -------------------------------------------------------------------
    def action_filter(self) -> None:
        self.query_one(FilterBar).start()

    def on_key(self, event: events.Key) -> None:
        # Keys reach here, in order, before any binding runs (see ui/typeahead.py): the
        # keys that open the filter or a dialog act as they pass, and the filter is typed
        # while the list keeps focus (see FilterBar).
        if forward_to_top(self, event):
            return
        bar = self.query_one(FilterBar)
        if not bar.typing and open_now(self, event, OPENS_DIALOG):
            return
        if not bar.feed(event.key, event.character, event.is_printable):
            return
        event.stop()
        event.prevent_default()
        if bar.text != self.needle:  # now, so the next key sees the filtered rows
            self.needle = bar.text
            self._show()

    def _set_needle(self, text: str) -> None:
        self.needle = text
        if not text:
            self.query_one(FilterBar).clear()

    def action_clear_filter(self) -> None:
        self.query_one(FilterBar).clear()
        self.needle = ""
        self._show()

    def action_cycle_sort(self) -> None:
        self.sort = SORT_KEYS[(SORT_KEYS.index(self.sort) + 1) % len(SORT_KEYS)]
        self._show()

    def action_reverse_sort(self) -> None:
        self.reverse = not self.reverse
        self._show()

    # -- marks and details -----------------------------------------------------------------
    @on(ObjectList.MarksChanged)
    def _marks_changed(self) -> None:
        self._update_status()

    def action_unmark(self) -> None:
        self.query_one(ObjectList).clear_marks()

    def action_details(self) -> None:
        entry = self.query_one(ObjectList).current
        if entry is None:
            return
        if entry.is_folder:
            self.notify("Details are for objects; Enter opens the folder.")
            return
        self.head(entry.key)

    def action_share(self) -> None:
        """Share the marked objects, else the current one, else upload into this folder."""
        table = self.query_one(ObjectList)
        app = self.app
        marked = table.marked_entries()
        if marked:
            dialog = BatchShareDialog(
                app.client, self.bucket, [e.key for e in marked], app.settings.expiry, now=app.now
            )
        else:
            entry = table.current
            key = entry.key if entry is not None and not entry.is_folder else None
            prefix = entry.key if entry is not None and entry.is_folder else self.prefix
            dialog = ShareDialog(
                app.client,
                self.bucket,
                prefix,
                key,
                default_expiry=app.settings.expiry.for_key(key) if key else UPLOAD_EXPIRY,
                cloudfront=app.settings.cloudfront_for(self.bucket),
                now=app.now,
                server_url=app.services.server.url if app.services.server else "",
            )
        app.push_screen(dialog, app.deliver_share)

    def _report(self, exc: BaseException, doing: str) -> None:
        """An error of a background action, as a notification with what to do."""
        why = explain(exc, doing)
        self.notify(f"{why.title}. {why.hint}", severity="error", markup=False)

    def action_delete(self) -> None:
        """Delete the marked objects, else the current object or folder, once confirmed."""
        table = self.query_one(ObjectList)
        keys = [e.key for e in table.marked_entries()]
        entry = table.current
        if not keys and entry is not None and not entry.is_folder:
            keys = [entry.key]
        if keys:
            self._confirm_delete(keys, f"Delete {len(keys):,} object(s) from s3://{self.bucket}/?")
        elif entry is not None:
            self.count_prefix(entry.key)

    def _confirm_delete(self, keys: list[str], question: str) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self.delete(keys)

        self.app.push_screen(ConfirmDialog(question, keys[:10], max(0, len(keys) - 10)), answered)

    @work(exclusive=True, group="delete", exit_on_error=False)
    async def count_prefix(self, prefix: str) -> None:
        """A folder delete lists what is under it first, to say how much goes."""
        keys: list[str] = []
        try:
            async for page in self.app.client.list_objects(self.bucket, prefix, delimiter=""):
                keys += [o.key for o in page.objects]
        except (S3Error, ValueError) as exc:
            self.notify(explain(exc, "listing the folder").title, severity="error", markup=False)
            return
        if not keys:
            self.notify("The folder is empty already.")
            return
        self._confirm_delete(
            keys, f"Delete the folder {prefix} and all {len(keys):,} objects in it?"
        )

    @work(exclusive=True, group="delete", exit_on_error=False)
    async def delete(self, keys: list[str]) -> None:
        """Delete in batches of 1,000; report per-key failures, keep going for the rest."""
        try:
            result = await self.app.client.delete_objects(self.bucket, keys)
        except (S3Error, ValueError) as exc:
            self._report(exc, "deleting")
            return
        done = f"Deleted {len(result.deleted):,} object(s)."
        if result.errors:
            first = result.errors[0]
            done += (
                f" {len(result.errors):,} could not be deleted, e.g. "
                f"{visible(first.key)}: {first.code}."
            )
        self.notify(done, severity="warning" if result.errors else "information", markup=False)
        self.action_refresh()

    def action_preview(self) -> None:
        entry = self.query_one(ObjectList).current
        if entry is None or entry.is_folder:
            self.notify("Preview is for objects; Enter opens the folder.")
            return
        self.peek(entry.key)

    @work(exclusive=True, group="details", exit_on_error=False)
    async def peek(self, key: str) -> None:
        """HEAD, then a ranged GET of at most 64 KiB, then show it."""
        try:
            info = await self.app.client.head_object(self.bucket, key)
            shown = await preview(self.app.client, self.bucket, key, info)
        except (S3Error, ValueError) as exc:
            self._report(exc, "previewing the object")
            return
        await self.app.push_screen(PreviewDialog(key, info, shown))

    @work(exclusive=True, group="details", exit_on_error=False)
    async def head(self, key: str) -> None:
        """HEAD the object, then show its details."""
        try:
            info = await self.app.client.head_object(self.bucket, key)
        except (S3Error, ValueError) as exc:
            self._report(exc, "reading the object's details")
            return
        await self.app.push_screen(DetailsDialog(self.bucket, key, info))
