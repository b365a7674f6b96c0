"""Managed links from the share server: downloads used, time left; revoke or extend them."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual import work
from textual.binding import Binding
from textual.widgets import DataTable

from s3tui.services.expiry import describe, parse_duration
from s3tui.services.managed_api import ManagedApi, ManagedApiError, ServerAccess
from s3tui.services.text import visible
from s3tui.ui.dialogs.confirm import ConfirmDialog
from s3tui.ui.dialogs.prompt import PromptDialog


def state_of(link: dict, now: datetime) -> tuple[str, str]:
    """(state, style) as the server would judge the link now."""
    expires = datetime.fromisoformat(link["expires_at"])
    if link["revoked"]:
        return "revoked", "red"
    if expires <= now:
        return "expired", "dim"
    if link["max_downloads"] and link["downloads"] >= link["max_downloads"]:
        return "used up", "yellow"
    return "live", "green"


class ManagedTable(DataTable):
    """The server's list of our links; x revokes, e extends (each asks first)."""

    BINDINGS = [
        Binding("x", "revoke", "Revoke", id="managed.revoke"),
        Binding("e", "extend", "Extend", id="managed.extend"),
        Binding("enter,c", "copy", "Copy", id="managed.copy"),
    ]

    def __init__(self, access: ServerAccess, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.api = ManagedApi(access)
        self.links: list[dict] = []

    def on_mount(self) -> None:
        for name in ("State", "Left", "Downloads", "Object", "Note", "Id"):
            self.add_column(name, key=name.lower())
        self.load()

    @work(thread=True, exclusive=True, group="managed-list", exit_on_error=False)
    def load(self) -> None:
        """Ask the server for our links (off the event loop)."""
        try:
            links = self.api.list()
        except ManagedApiError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False)
            return
        self.app.call_from_thread(self._show, links)

    def _show(self, links: list[dict]) -> None:
        now = self.app.now()
        self.links = links
        self.clear()
        for link in links:
            state, style = state_of(link, now)
            left = (datetime.fromisoformat(link["expires_at"]) - now).total_seconds()
            most = link["max_downloads"]
            self.add_row(
                Text(state, style=style),
                Text(describe(int(left)) if left > 0 else "—"),
                Text(f"{link['downloads']}/{most}" if most else f"{link['downloads']}/∞"),
                Text(visible(f"s3://{link['bucket']}/{link['key']}")),
                Text(visible(link.get("note") or "")),
                Text(link["id"]),
                key=link["id"],
            )

    def _current(self) -> dict | None:
        if not self.links or self.cursor_row >= len(self.links):
            return None
        return self.links[self.cursor_row]

    def action_copy(self) -> None:
        link = self._current()
        if link is not None:
            self.app.deliver_text(link["url"], "the managed link")

    def action_revoke(self) -> None:
        link = self._current()
        if link is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._call(lambda: self.api.revoke(link["id"]), "Revoked.")

        self.app.push_screen(
            ConfirmDialog(
                "Revoke this managed link? Its next request gets 410 Gone.",
                [f"s3://{link['bucket']}/{link['key']}", link["url"]],
                yes_text="y revokes",
            ),
            answered,
        )

    def action_extend(self) -> None:
        link = self._current()
        if link is None:
            return

        def chosen(text: str | None) -> None:
            if text:
                seconds = parse_duration(text)
                self._call(
                    lambda: self.api.extend(link["id"], seconds),
                    f"It now expires in {describe(seconds)}.",
                )

        def check(text: str) -> str:
            parse_duration(text)
            return text

        self.app.push_screen(
            PromptDialog(
                f"Extend s3://{visible(link['bucket'])}/{visible(link['key'])}",
                "Expire this long from now (90m, 2d, 4w):",
                "7d",
                check,
            ),
            chosen,
        )

    @work(thread=True, group="managed-change", exit_on_error=False)
    def _call(self, change, done: str) -> None:
        try:
            change()
            links = self.api.list()
        except ManagedApiError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False)
            return
        self.app.call_from_thread(self.notify, done)
        self.app.call_from_thread(self._show, links)
