"""The app and its one factory, used by __main__, the tests, screenshots and the demo."""

from __future__ import annotations

import asyncio
import signal
from collections import Counter
from collections.abc import Callable, Coroutine, Iterable
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from s3tui.s3 import S3Client, S3Error
from s3tui.services.clipboard import copy_to_system
from s3tui.services.config import Settings
from s3tui.services.connection import Connection
from s3tui.services.crash import write_report
from s3tui.services.explain import explain
from s3tui.services.history import ShareHistory, default_history_path
from s3tui.services.managed_api import ManagedApi, ManagedApiError, ManagedRequest, ServerAccess
from s3tui.services.profiles import ProfileStore
from s3tui.services.secrets import KeyringUnavailable
from s3tui.services.share import Link
from s3tui.services.state import load_state, remember
from s3tui.services.text import visible
from s3tui.services.transfers import State, Transfer, TransferQueue
from s3tui.ui.dialogs.confirm import ConfirmDialog
from s3tui.ui.dialogs.goto import GotoDialog, GotoTarget
from s3tui.ui.dialogs.help import HelpDialog
from s3tui.ui.dialogs.share import ShareOutcome
from s3tui.ui.messages import OpenBucket
from s3tui.ui.screens.buckets import BucketsScreen
from s3tui.ui.screens.objects import ObjectsScreen


@dataclass
class Services:
    """What the app runs on: a connection (or why there is none), and where links are kept."""

    connection: Connection | None
    problem: str = ""
    history_path: Path | None = None  # default: <data dir>/history.sqlite3
    clock: Callable[[], datetime] | None = None  # fixed in snapshots; else the real time
    profiles: ProfileStore | None = None  # default: the config file's [profiles]
    state_path: Path | None = None  # remembered choices; None keeps them for this run only
    server: ServerAccess | None = None  # a `s3tui serve` for managed links, if configured


class NoConnectionScreen(Screen[None]):
    """Shown when there are no credentials to use: says how to get some."""

    BINDINGS = [
        Binding("a", "add_profile", "Add a profile", id="noconn.add"),
        Binding("q", "app.quit", "Quit", id="noconn.quit"),
    ]

    def action_add_profile(self) -> None:
        from s3tui.ui.dialogs.profile_form import ProfileForm

        app = self.app
        app.push_screen(ProfileForm(app.profiles), lambda n: n and app.switch_profile(n))

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
        Binding("H", "history", "Links made", id="app.history"),
        Binding("P", "profiles", "Profiles", id="app.profiles"),
    ]

    def __init__(
        self, settings: Settings, services: Services, *, survive_errors: bool = False
    ) -> None:
        super().__init__()
        self.settings = settings
        self.services = services
        self.survive_errors = survive_errors
        self._client: S3Client | None = None
        self._history: ShareHistory | None = None
        self.transfers = TransferQueue(limit=4)
        remembered = load_state(services.state_path) if services.state_path else {}
        self.download_dir = Path(remembered.get("download_dir") or Path.cwd())
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

    def now(self) -> datetime:
        """The time links are signed at (the injected clock, else now)."""
        return self.services.clock() if self.services.clock else datetime.now(UTC)

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
        if self._history is not None:
            self._history.close()

    @property
    def history(self) -> ShareHistory:
        """The share ledger (opened on first use; old expired links purged then)."""
        if self._history is None:
            path = self.services.history_path or default_history_path()
            self._history = ShareHistory(path)
            self._history.purge_expired(self.settings.history_max_age)
        return self._history

    # -- transfers -------------------------------------------------------------------------
    def remember_download_dir(self, folder: Path) -> None:
        """Offer ``folder`` next time too (and in later runs, when there is a state file)."""
        self.download_dir = folder
        if self.services.state_path:
            with suppress(OSError):
                remember(self.services.state_path, download_dir=str(folder))

    def run_transfer(self, work: Coroutine[None, None, None], doing: str) -> None:
        """Run a batch as an app worker (leaving the screen does not stop it); an error
        that escapes the batch becomes a notification, never a silent stop."""

        async def guarded() -> None:
            try:
                await work
            except (S3Error, OSError, ValueError) as exc:
                why = explain(exc, doing)
                self.notify(f"{why.title}. {why.hint}", severity="error", markup=False)
            except Exception as exc:  # a bug: say so, keep the app and the other batches
                report = write_report(exc, self._secrets())
                self.notify(
                    f"s3tui hit a bug while {doing} ({type(exc).__name__}); "
                    f"a report was saved to {report}",
                    severity="error",
                    markup=False,
                )

        self.run_worker(guarded(), group="transfers", exit_on_error=False)

    def transfers_finished(self, items: list[Transfer], where: str) -> None:
        """One notification for a finished batch: what went, what did not and why."""
        if not items:
            self.notify("Nothing to transfer.")
            return
        counts = Counter(item.state for item in items)
        text = f"{counts[State.DONE]:,} of {len(items):,} done {where}."
        for state in (State.SKIPPED, State.CANCELLED):
            if counts[state]:
                text += f" {counts[state]:,} {state.value}."
        failed = [item for item in items if item.state is State.FAILED]
        if failed:
            why = explain(failed[0].failure, f"transferring {failed[0].source}")
            text += f" {len(failed):,} failed, e.g. {visible(failed[0].source)}: {why.title}."
        bad = failed or counts[State.CANCELLED]
        self.notify(text, severity="warning" if bad else "information", markup=False)

    async def action_quit(self) -> None:
        """Quit; with transfers running, ask first, and cancel them cleanly (multipart
        uploads aborted) before exiting."""
        active = self.transfers.active()
        if not active:
            self.exit()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.run_worker(self._cancel_then_exit(), exit_on_error=False)

        question = f"{len(active):,} transfer(s) are not finished. Cancel them and quit?"
        self.push_screen(
            ConfirmDialog(
                question,
                [t.source for t in active[:10]],
                max(0, len(active) - 10),
                yes_text="y cancels them and quits",
            ),
            answered,
        )

    async def _cancel_then_exit(self) -> None:
        tasks = [t.task for t in self.transfers.active() if t.task is not None]
        self.transfers.cancel_all()
        if tasks:
            await asyncio.wait(tasks, timeout=15)
        self.exit()

    # -- sharing ---------------------------------------------------------------------------
    def deliver_share(self, outcome: ShareOutcome | None) -> None:
        """Copy what the share dialog chose, and record its links (a managed link is made
        by the server first)."""
        if outcome is None:
            return
        if outcome.managed is not None:
            self._make_managed(outcome.managed)
        else:
            self.deliver_text(outcome.text, outcome.what, outcome.links)

    @work(thread=True, group="managed", exit_on_error=False)
    def _make_managed(self, request: ManagedRequest) -> None:
        if self.services.server is None:
            return
        try:
            made = ManagedApi(self.services.server).create_from(request)
        except ManagedApiError as exc:
            self.call_from_thread(self.notify, str(exc), severity="error", markup=False)
            return
        self.call_from_thread(self.deliver_text, str(made["url"]), "the managed link")

    def deliver_text(self, text: str, what: str, links: list[Link] | None = None) -> None:
        """Send ``text`` to the terminal clipboard (OSC 52) and the system clipboard."""
        self.copy_to_clipboard(text)  # OSC 52: reaches the local clipboard over SSH too
        self._copy_and_record(text, what, links or [])

    @work(thread=True, group="clipboard", exit_on_error=False)
    def _copy_and_record(self, text: str, what: str, links: list[Link]) -> None:
        result = copy_to_system(text)
        problem = ""
        try:
            for link in links:
                self.history.record(
                    link, self.services.connection.label if self.services.connection else ""
                )
        except Exception as exc:
            problem = f" (not saved in the history: {type(exc).__name__})"
        if result.ok:
            message = f"Copied {what} to the clipboard (system and terminal){problem}."
        else:
            message = (
                f"Sent {what} to the terminal clipboard (OSC 52; most terminals accept "
                f"it, also over SSH); {result.reason}{problem}."
            )
        self.call_from_thread(self.notify, message, title="Copied", markup=False)

    # -- profiles ----------------------------------------------------------------------------
    @property
    def profiles(self) -> ProfileStore:
        """Where profiles live (the config file; secrets in the keyring)."""
        if self.services.profiles is None:
            self.services.profiles = ProfileStore()
        return self.services.profiles

    def action_profiles(self) -> None:
        from s3tui.ui.screens.profiles import ProfilesScreen

        if not isinstance(self.screen, ProfilesScreen):
            self.push_screen(ProfilesScreen())

    @work(thread=True, exclusive=True, group="switch", exit_on_error=False)
    def switch_profile(self, name: str) -> None:
        """Read the profile's secrets (keyring: a thread), then use it."""
        try:
            connection = self.profiles.connection(name)
            self.profiles.set_active(name)
        except (KeyringUnavailable, ValueError) as exc:
            self.call_from_thread(self.notify, str(exc), severity="error", markup=False)
            return
        self.call_from_thread(self.use_connection, connection)

    async def use_connection(self, connection: Connection) -> None:
        """Browse with another connection, from its bucket list."""
        old, self._client = self._client, None
        self.services.connection = connection
        self.sub_title = self.connection_label
        if old is not None:
            await old.close()
        while len(self.screen_stack) > 1:
            await self.pop_screen()
        await self.push_screen(BucketsScreen())
        self.notify(f"Using profile {connection.label} ({connection.where}).", markup=False)

    def action_history(self) -> None:
        from s3tui.ui.screens.history import HistoryScreen

        if not isinstance(self.screen, HistoryScreen):
            self.push_screen(HistoryScreen())

    def on_open_bucket(self, message: OpenBucket) -> None:
        self.push_screen(ObjectsScreen(message.bucket, message.prefix))

    # -- app-wide actions ------------------------------------------------------------------
    def action_goto(self, current: str = "") -> None:
        """Ask for an s3:// path and open it (pushed now, so keys typed next reach it)."""
        self.push_screen(GotoDialog(current), self._go)

    def _go(self, target: GotoTarget | None) -> None:
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
        yield SystemCommand(
            "Links made (share history)", "Every link, live first", self.action_history
        )
        if isinstance(screen, ObjectsScreen):
            for title, action in (
                ("Refresh listing", "refresh"),
                ("Filter names", "filter"),
                ("Cycle sort (name, size, date)", "cycle_sort"),
                ("Reverse sort", "reverse_sort"),
                ("Object details", "details"),
                ("Up one level", "up"),
                ("Share: link for the object or the marked ones", "share"),
                ("Preview the object", "preview"),
                ("Delete the marked objects (or this one, or this folder)", "delete"),
                ("Unmark all", "unmark"),
                ("Download the marked objects (or this one, or this folder)", "download"),
                ("Upload files or folders here", "upload"),
                ("New folder here", "new_folder"),
                ("Copy to another place or bucket", "copy"),
                ("Move or rename", "move"),
                ("Show or hide the transfers", "toggle_transfers"),
                ("Cancel every transfer", "cancel_transfers"),
            ):
                yield SystemCommand(title, title, lambda a=action: screen.run_action(a))
        elif isinstance(screen, BucketsScreen):
            yield SystemCommand("Refresh buckets", "List buckets again", screen.action_refresh)


def build_app(settings: Settings, services: Services) -> S3TuiApp:
    """The one way to make the app."""
    return S3TuiApp(settings, services)
