"""Add or edit a profile: secrets masked, "test connection" lists buckets, save to keyring."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from s3tui.s3 import S3Error
from s3tui.services.connection import Connection
from s3tui.services.explain import explain
from s3tui.services.profiles import STYLES, Profile, ProfileStore
from s3tui.services.secrets import KeyringUnavailable


class ProfileForm(ModalScreen[str | None]):
    """Dismisses with the saved profile's name, or None."""

    BINDINGS = [
        Binding("ctrl+t", "test", "Test connection", id="profile.test"),
        Binding("ctrl+s", "save", "Save", id="profile.save"),
        Binding("escape", "cancel", "Cancel", id="profile.cancel"),
    ]
    DEFAULT_CSS = """
    ProfileForm { align: center middle; }
    ProfileForm > VerticalScroll { width: 90; height: auto; max-height: 96%; padding: 0 1;
                                   border: thick $accent; background: $surface; }
    ProfileForm .row { height: auto; }
    ProfileForm .row Label { width: 18; padding: 1 1 0 0; }
    ProfileForm Input { width: 1fr; }
    ProfileForm RadioSet { layout: horizontal; height: auto; border: none; padding: 0; }
    ProfileForm RadioButton { width: auto; }
    ProfileForm #result { height: auto; padding: 0 1; }
    ProfileForm #result.-bad { color: $error; }
    ProfileForm #result.-good { color: $success; }
    ProfileForm #buttons { height: auto; align-horizontal: right; }
    """

    def __init__(self, store: ProfileStore, existing: Profile | None = None) -> None:
        super().__init__()
        self.store = store
        self.existing = existing

    def compose(self) -> ComposeResult:
        p = self.existing
        with VerticalScroll() as box:
            box.border_title = f"Edit profile {p.name}" if p else "New profile"
            for label, wid, value, hint, secret in (
                ("Name", "name", p.name if p else "", "e.g. work-minio", False),
                ("Endpoint URL", "endpoint", p.endpoint_url if p else "", "empty for AWS", False),
                ("Region", "region", p.region if p else "us-east-1", "us-east-1", False),
                ("Access key id", "access", p.access_key_id if p else "", "", False),
                (
                    "Secret key",
                    "secret",
                    "",
                    "kept in the OS keyring" + (" (empty: keep the stored one)" if p else ""),
                    True,
                ),
                ("Session token", "token", "", "optional, for temporary credentials", True),
            ):
                with Horizontal(classes="row"):
                    yield Label(label)
                    yield Input(
                        value=value,
                        placeholder=hint,
                        password=secret,
                        id=wid,
                        disabled=wid == "name" and p is not None,
                    )
            with Horizontal(classes="row"):
                yield Label("Addressing")
                with RadioSet(id="style"):
                    for style in STYLES:
                        current = p.addressing_style if p else "auto"
                        yield RadioButton(style, value=style == current, id=f"s-{style}")
            yield Static("", id="result")
            with Horizontal(id="buttons"):
                yield Button("Test connection (ctrl+t)", id="test")
                yield Button("Save (ctrl+s)", id="save", variant="primary")
                yield Button("Cancel (Esc)", id="cancel")

    def _v(self, wid: str) -> str:
        return self.query_one(f"#{wid}", Input).value.strip()

    def _profile(self) -> Profile:
        button = self.query_one("#style", RadioSet).pressed_button
        style = button.id.removeprefix("s-") if button and button.id else "auto"
        return Profile(
            self._v("name"),
            self._v("access"),
            self._v("endpoint"),
            self._v("region") or "us-east-1",
            style,
        ).check()

    def _say(self, text: str, good: bool) -> None:
        result = self.query_one("#result", Static)
        result.update(Text(text))
        result.set_class(good, "-good")
        result.set_class(not good, "-bad")

    @on(Button.Pressed)
    def _button(self, event: Button.Pressed) -> None:
        {"test": self.action_test, "save": self.action_save, "cancel": self.action_cancel}[
            event.button.id or "cancel"
        ]()

    def action_test(self) -> None:
        try:
            profile = self._profile()
        except ValueError as exc:
            self._say(str(exc), False)
            return
        if not self._v("secret") and self.existing is None:
            self._say("type the secret access key to test", False)
            return
        self._say("testing…", True)
        self.probe(profile, self._v("secret"), self._v("token"))

    @work(exclusive=True, group="profile-test", exit_on_error=False)
    async def probe(self, profile: Profile, secret: str, token: str) -> None:
        """List buckets with the typed credentials and say what happened."""
        if not secret:
            try:
                import asyncio

                conn = await asyncio.to_thread(self.store.connection, profile.name)
                secret, token = conn.secret_key, conn.session_token or ""
            except (KeyringUnavailable, ValueError) as exc:
                self._say(str(exc), False)
                return
        conn = Connection(
            profile.name,
            profile.access_key_id,
            secret,
            profile.region,
            profile.endpoint_url or None,
            token or None,
            profile.addressing_style,
        )
        try:
            async with conn.client() as client:
                buckets = await client.list_buckets()
        except (S3Error, ValueError) as exc:
            why = explain(exc)
            self._say(f"✗ {why.title}. {why.hint}", False)
            return
        self._say(f"✓ connected: {len(buckets)} bucket(s) visible at {conn.where}", True)

    def action_save(self) -> None:
        try:
            profile = self._profile()
        except ValueError as exc:
            self._say(str(exc), False)
            return
        secret = self._v("secret") or (None if self.existing else "")
        self.save(profile, secret, self._v("token") or None)

    @work(thread=True, exclusive=True, group="profile-save", exit_on_error=False)
    def save(self, profile: Profile, secret: str | None, token: str | None) -> None:
        """Write the keyring and the config file (both block: a thread)."""
        try:
            self.store.save(profile, secret, token)
        except (KeyringUnavailable, ValueError) as exc:
            self.app.call_from_thread(self._say, str(exc), False)
            return
        self.app.call_from_thread(self.dismiss, profile.name)

    def action_cancel(self) -> None:
        self.dismiss(None)
