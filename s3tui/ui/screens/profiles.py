"""Profiles: list, add, edit, remove, and switch the one in use."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from s3tui.services.profiles import Profile
from s3tui.services.secrets import KeyringUnavailable
from s3tui.services.text import visible
from s3tui.ui.dialogs.profile_form import ProfileForm


class ProfilesScreen(Screen[None]):
    """Enter switches to the highlighted profile."""

    CSS_PATH = "profiles.tcss"
    BINDINGS = [
        Binding("a", "add", "Add", id="profiles.add"),
        Binding("e", "edit", "Edit", id="profiles.edit"),
        Binding("d", "remove", "Remove", id="profiles.remove"),
        Binding("escape,backspace", "back", "Back", id="profiles.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.profiles: list[Profile] = []

    def compose(self) -> ComposeResult:
        yield Header()
        table = DataTable(id="profiles", cursor_type="row", zebra_stripes=True)
        for name in ("", "Profile", "Endpoint", "Region", "Access key id"):
            table.add_column(name)
        yield table
        yield Static("", id="profiles-status")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Read the profiles from the config file and show them."""
        store = self.app.profiles
        status = self.query_one("#profiles-status", Static)
        try:
            self.profiles = store.profiles()
            active = store.active
        except ValueError as exc:
            status.update(Text(str(exc)))
            return
        table = self.query_one(DataTable)
        table.clear()
        current = self.app.services.connection
        for p in self.profiles:
            mark = "●" if current is not None and current.label == p.name else ""
            mark += "*" if p.name == active else ""
            table.add_row(
                mark,
                Text(visible(p.name)),
                Text(visible(p.endpoint_url or "AWS")),
                Text(visible(p.region)),
                Text(visible(p.access_key_id)),
                key=p.name,
            )
        status.update(
            Text(
                f"{len(self.profiles)} profiles · ● in use · * default · secrets live in the OS "
                "keyring · Enter switches · a adds"
            )
        )
        table.focus()

    def _current(self) -> Profile | None:
        table = self.query_one(DataTable)
        if not self.profiles or table.cursor_row >= len(self.profiles):
            return None
        return self.profiles[table.cursor_row]

    def on_data_table_row_selected(self) -> None:
        profile = self._current()
        if profile is not None:
            self.app.switch_profile(profile.name)

    def action_add(self) -> None:
        self.app.push_screen(ProfileForm(self.app.profiles), self._saved)

    def action_edit(self) -> None:
        profile = self._current()
        if profile is not None:
            self.app.push_screen(ProfileForm(self.app.profiles, profile), self._saved)

    def _saved(self, name: str | None) -> None:
        if name:
            self.notify(f"Saved profile {name}; its secret is in the OS keyring.", markup=False)
            self.reload()

    @work(thread=True, exclusive=True, group="profiles", exit_on_error=False)
    def action_remove(self) -> None:
        """Delete the profile and its keyring entries."""
        profile = self._current()
        if profile is None:
            return
        try:
            self.app.profiles.remove(profile.name)
        except (KeyringUnavailable, ValueError) as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False)
            return
        self.app.call_from_thread(self.notify, f"Removed {profile.name}.", markup=False)
        self.app.call_from_thread(self.reload)

    def action_back(self) -> None:
        self.app.pop_screen()
