"""The app and its one factory, used by __main__, the tests, screenshots and the demo."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from s3tui.s3 import S3Client
from s3tui.services.config import Settings
from s3tui.services.connection import Connection
from s3tui.services.crash import write_report
from s3tui.ui.dialogs.goto import GotoDialog, GotoTarget
from s3tui.ui.dialogs.help import HelpDialog
from s3tui.ui.messages import OpenBucket
from s3tui.ui.screens.buckets import BucketsScreen
from s3tui.ui.screens.objects import ObjectsScreen


@dataclass
class Services:
    """What the app runs on: a connection (or why there is none)."""

    connection: Connection | None
    problem: str = ""


class NoConnectionScreen(Screen[None]):
    """Shown when there are no credentials to use: says how to get some."""

    BINDINGS = [Binding("q", "app.quit", "Quit", id="noconn.quit")]

    def __init__(self, problem: str) -> None:
        super().__init__()
        self._problem = problem

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self._problem, markup=False, id="problem")
        yield Footer()


class S3TuiApp(App[None]):
    """Buckets → prefixes → objects, over one pooled S3 client."""

    TITLE = "s3tui"
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark", "help", "Help", id="app.help"),
    ]

    def __init__(
        self, settings: Settings, services: Services, *, survive_errors: bool = False
    ) -> None:
        super().__init__()
        self.settings = settings
        self.services = services
        self.survive_errors = survive_errors
        self._client: S3Client | None = None
        self.set_keymap(settings.keymap)

    # -- unexpected errors ----------------------------------------------------------------
    def _secrets(self) -> list[str | None]:
        conn = self.services.connection
        return [conn.secret_key, conn.session_token] if conn else []

    def _fatal_error(self) -> None:
        """Exit on a bug with a short reason instead of Textual's traceback, which shows
        local variables (secrets among them); the traceback goes to a scrubbed report."""
        error = self._exception
        report = write_report(error, self._secrets()) if error is not None else None
        text = f"s3tui stopped on an unexpected error: {type(error).__name__}"
        if report:
            text += f"\nA report (no secrets, no local variables) was saved to {report}"
        self._exit_renderables.append(Text(text))
        self._close_messages_no_wait()

    @property
    def connection_label(self) -> str:
        """'label · endpoint' for headers and status lines."""
        conn = self.services.connection
        return f"{conn.label} · {conn.where}" if conn else "not connected"

    @property
    def client(self) -> S3Client:
        """The app's S3 client (one pooled session for the app's life)."""
        if self._client is None:
            if self.services.connection is None:
                raise ValueError(self.services.problem or "no credentials configured")
            self._client = self.services.connection.client()
        return self._client

    def on_mount(self) -> None:
        # A closed terminal (SSH drop) or a kill ends the app cleanly, so the demo
        # endpoint and the terminal state are cleaned up too.
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGHUP):
            with suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(sig, self.exit)
        self.sub_title = self.connection_label
        if self.services.connection is None:
            self.push_screen(NoConnectionScreen(self.services.problem))
        else:
            self.push_screen(BucketsScreen())

    async def on_unmount(self) -> None:
        if self._client is not None:
            await self._client.close()

    def on_open_bucket(self, message: OpenBucket) -> None:
        self.push_screen(ObjectsScreen(message.bucket, message.prefix))

    # -- app-wide actions ------------------------------------------------------------------
    @work(exclusive=True, group="goto")
    async def action_goto(self, current: str = "") -> None:
        """Ask for an s3:// path and open it."""
        target: GotoTarget | None = await self.push_screen_wait(GotoDialog(current))
        if target is None:
            return
        screen = self.screen
        if isinstance(screen, ObjectsScreen) and screen.bucket == target.bucket:
            screen.open_prefix(target.prefix)
        elif isinstance(screen, ObjectsScreen):
            self.switch_screen(ObjectsScreen(target.bucket, target.prefix))
        else:
            self.push_screen(ObjectsScreen(target.bucket, target.prefix))

    def action_help(self) -> None:
        """Show every binding active here, with the keys the keymap gives them."""
        titles = {App: "Everywhere", Screen: "This screen"}
        groups: dict[str, dict[str, list[str]]] = {}
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not binding.description or binding.system:
                continue
            node = active.node
            title = next((t for cls, t in titles.items() if isinstance(node, cls)), None)
            title = title or type(node).__name__.replace("ObjectList", "List")
            keys = groups.setdefault(title, {}).setdefault(binding.description, [])
            keys.append(self.get_key_display(binding))
        ordered = sorted(groups.items(), key=lambda g: g[0] == "Everywhere")
        table = [(title, [(", ".join(k), d) for d, k in rows.items()]) for title, rows in ordered]
        table.append(("Palette", [("ctrl+p", "Command palette: every action by name")]))
        self.push_screen(HelpDialog(table))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help: key bindings", "Show every key binding", self.action_help)
        yield SystemCommand("Go to path", "Open s3://bucket/prefix/", self.action_goto)
        if isinstance(screen, ObjectsScreen):
            for title, action in (
                ("Refresh listing", "refresh"),
                ("Filter names", "filter"),
                ("Cycle sort (name, size, date)", "cycle_sort"),
                ("Reverse sort", "reverse_sort"),
                ("Object details", "details"),
                ("Up one level", "up"),
                ("Unmark all", "unmark"),
            ):
                yield SystemCommand(title, title, lambda a=action: screen.run_action(a))
        elif isinstance(screen, BucketsScreen):
            yield SystemCommand("Refresh buckets", "List buckets again", screen.action_refresh)


def build_app(settings: Settings, services: Services) -> S3TuiApp:
    """The one way to make the app."""
    return S3TuiApp(settings, services)
