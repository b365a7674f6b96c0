"""The share dialog: pick kind, lifetime and options; the link updates as you type.

Presigning is local and takes microseconds, so every change rebuilds the link at once.
Enter copies what "Copy as" says and closes; Escape closes without copying.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label, RadioButton, RadioSet, Static

from s3tui.s3 import S3Client
from s3tui.services.cloudfront import CloudFrontConfig
from s3tui.services.expiry import PRESETS, describe, parse_duration
from s3tui.services.managed_api import ManagedRequest, check_managed
from s3tui.services.share import (
    Kind,
    Link,
    ShareOptions,
    Variant,
    basename,
    curl_command,
    guess_type,
    html_form,
    https_url,
    make_link,
    parse_size,
    s3_uri,
    sanitize_upload_name,
)
from s3tui.services.text import visible

COPY_AS = ("link", "curl", "s3 URI", "https URL")
UPLOAD_EXPIRY = 1800  # upload links live 30 minutes, as in the seed's upload examples


def pressed(screen: ModalScreen, set_id: str, prefix: str) -> str:
    """The id (without ``prefix``) of the button pressed in RadioSet ``#set_id``, or ''."""
    button = screen.query_one(f"#{set_id}", RadioSet).pressed_button
    return button.id.removeprefix(prefix) if button and button.id else ""


@dataclass
class ShareOutcome:
    """What the user chose to copy, and the link behind it (for the history)."""

    text: str
    what: str
    links: list[Link] = field(default_factory=list)
    managed: ManagedRequest | None = None  # made by the server on the way out


def when_text(link: Link) -> str:
    """'2026-11-29 01:30 local · 00:30 UTC · in 1h' for the dialog."""
    local = link.expires_at.astimezone()
    return (
        f"Expires {local:%Y-%m-%d %H:%M:%S %Z} · {link.expires_at:%Y-%m-%d %H:%M:%S} UTC"
        f" · in {describe(link.expires_in)}"
    )


class ShareDialog(ModalScreen[ShareOutcome | None]):
    """Share one object (download) or a new key in ``prefix`` (upload)."""

    BINDINGS = [
        Binding("enter", "copy", "Copy & close", priority=True, id="share.copy"),
        Binding("escape", "cancel", "Close", id="share.close"),
        Binding("Q", "qr", "QR code", id="share.qr"),
    ]
    DEFAULT_CSS = """
    ShareDialog { align: center middle; }
    ShareDialog > VerticalScroll { width: 96%; max-width: 118; height: auto; max-height: 96%;
                                   border: thick $accent; background: $surface; padding: 0 1; }
    ShareDialog RadioSet { layout: horizontal; height: auto; border: none; padding: 0;
                           background: $surface; }
    ShareDialog RadioButton { padding: 0 1 0 0; width: auto; }
    ShareDialog .row { height: auto; }
    ShareDialog .row Label { padding: 1 1 0 0; width: 12; }
    ShareDialog Input { width: 1fr; }
    ShareDialog #custom-expiry { width: 16; }
    ShareDialog #link { height: auto; max-height: 8; padding: 0 1; background: $boost;
                        color: $text; }
    ShareDialog #meta { height: auto; color: $text-muted; }
    ShareDialog #problem { height: auto; color: $error; text-style: bold; }
    ShareDialog #warning { height: auto; color: $warning; }
    ShareDialog .hidden { display: none; }
    """

    def __init__(
        self,
        client: S3Client,
        bucket: str,
        prefix: str,
        key: str | None,
        *,
        default_expiry: int = 3600,
        cloudfront: CloudFrontConfig | None = None,
        now=None,
        server_url: str = "",
    ) -> None:
        super().__init__()
        self.client, self.bucket, self.prefix, self.key = client, bucket, prefix, key
        self.server_url = server_url  # offers managed links when set
        self.managed: ManagedRequest | None = None
        self.default_expiry = default_expiry
        self.cloudfront = cloudfront
        self._now = now or (lambda: datetime.now(UTC))
        self.link: Link | None = None
        self.problem = ""

    # -- layout ------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        title = f"Share s3://{self.bucket}/{self.key or self.prefix}"
        with VerticalScroll() as box:
            box.border_title = visible(title)
            with Horizontal(classes="row"):
                yield Label("Kind")
                with RadioSet(id="kind"):
                    yield RadioButton("Download (GET)", value=self.key is not None, id="k-download")
                    yield RadioButton("Upload (PUT)", value=self.key is None, id="k-upload")
                    yield RadioButton("Upload form (POST, size cap)", id="k-upload-form")
                    if self.server_url and self.key is not None:
                        yield RadioButton("Managed link (server)", id="k-managed")
            with Horizontal(classes="row", id="via-row"):
                yield Label("Via")
                with RadioSet(id="via"):
                    yield RadioButton("S3", value=True, id="v-s3")
                    yield RadioButton("CloudFront (host rewrite)", id="v-cloudfront-rewrite")
                    yield RadioButton("CloudFront signed", id="v-cloudfront-signed")
            with Horizontal(classes="row"):
                yield Label("Expires")
                with RadioSet(id="expiry"):
                    for label, seconds in PRESETS:
                        yield RadioButton(
                            label, value=seconds == self.default_expiry, id=f"e-{seconds}"
                        )
                yield Input(
                    placeholder="custom: 90m 2h 3d",
                    value=""
                    if self.default_expiry in dict(PRESETS).values()
                    else describe(self.default_expiry),
                    id="custom-expiry",
                )
            with Horizontal(classes="row", id="download-row"):
                yield Label("Save as")
                yield Input(placeholder="file name for the download (optional)", id="save-as")
                yield Checkbox("open inline", id="inline")
            with Horizontal(classes="row hidden", id="managed-row"):
                yield Label("Max downl.")
                yield Input(placeholder="unlimited", id="max-downloads", type="integer")
                yield Label("Password")
                yield Input(placeholder="none", password=True, id="link-password")
                yield Label("Note")
                yield Input(placeholder="for whom, why", id="note")
            with Horizontal(classes="row", id="upload-row"):
                yield Label("File name")
                yield Input(placeholder="name of the new object in this folder", id="upload-name")
                yield Label("Max size", classes="form-only")
                yield Input(value="10MB", id="max-size", classes="form-only")
            with Horizontal(classes="row", id="type-row"):
                yield Label("Type")
                yield Input(placeholder="content type (guessed from the name)", id="content-type")
                yield Label("Cache")
                yield Input(placeholder="Cache-Control (optional)", id="cache-control")
            with Horizontal(classes="row", id="copy-row"):
                yield Label("Copy as")
                with RadioSet(id="copy-as"):
                    for i, name in enumerate(COPY_AS):
                        yield RadioButton(name, value=i == 0, id=f"c-{i}")
            yield Static("", id="problem")
            yield Static("", id="link")
            yield Static("", id="meta")
            yield Static("", id="warning")
            yield Static(
                Text(
                    "Enter copies and closes · Esc closes · Q shows a QR code "
                    "(when no field has focus) · Tab moves",
                    style="dim",
                )
            )

    def on_mount(self) -> None:
        has_cf = self.cloudfront is not None
        self.query_one("#via-row").set_class(not has_cf, "hidden")
        if has_cf and not self.cloudfront.can_sign:
            self.query_one("#v-cloudfront-signed", RadioButton).disabled = True
        self.query_one("#kind", RadioSet).focus()
        self.rebuild()

    # -- reading the form ------------------------------------------------------------------
    def _value(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value.strip()

    def managed_request(self) -> ManagedRequest:
        """The managed link the form describes; ValueError with the reason if invalid."""
        assert self.key is not None
        custom = self._value("custom-expiry")
        expires = parse_duration(custom) if custom else int(pressed(self, "expiry", "e-") or 3600)
        most = self._value("max-downloads")
        return check_managed(
            ManagedRequest(
                self.bucket,
                self.key,
                expires,
                max_downloads=int(most) if most else None,
                password=self.query_one("#link-password", Input).value or None,
                note=self._value("note"),
                filename=self._value("save-as"),
            )
        )

    def options(self) -> tuple[str, ShareOptions]:
        """(key, options) from the form; ValueError with a readable reason if invalid."""
        kind = Kind(pressed(self, "kind", "k-") or "download")
        variant = Variant(pressed(self, "via", "v-") or "s3")
        custom = self._value("custom-expiry")
        expires = parse_duration(custom) if custom else int(pressed(self, "expiry", "e-") or 3600)
        options = ShareOptions(
            kind=kind,
            expires_in=expires,
            variant=variant,
            cloudfront=self.cloudfront,
            content_type=self._value("content-type") or None,
            cache_control=self._value("cache-control") or None,
        )
        if kind is Kind.DOWNLOAD:
            if self.key is None:
                raise ValueError("choose an object to download, or an upload kind")
            options.download_name = self._value("save-as") or None
            options.inline = self.query_one("#inline", Checkbox).value
            return self.key, options
        typed = self._value("upload-name")
        if not typed:
            raise ValueError("type the name of the file to upload")
        name = sanitize_upload_name(typed)
        if kind is Kind.UPLOAD_FORM:
            options.max_size = parse_size(self._value("max-size") or "10MB")
        options.content_type = options.content_type or guess_type(name)
        return self.prefix + name, options

    @on(RadioSet.Changed, "#expiry")
    def _preset_chosen(self) -> None:
        custom = self.query_one("#custom-expiry", Input)
        if custom.value:
            custom.value = ""  # a preset replaces a typed lifetime (Input.Changed rebuilds)

    def _expiry_shown(self) -> int | None:
        custom = self.query_one("#custom-expiry", Input).value.strip()
        try:
            return parse_duration(custom) if custom else int(pressed(self, "expiry", "e-"))
        except ValueError:
            return None

    @on(RadioSet.Changed, "#kind")
    def _kind_chosen(self) -> None:
        # A lifetime still at one of the automatic values follows the kind (downloads: the
        # file type's rule; uploads: 30 min); one the user chose stays.
        if self._expiry_shown() in (self.default_expiry, UPLOAD_EXPIRY):
            kind = pressed(self, "kind", "k-") or "download"
            downloads = kind in ("download", "managed")
            self._set_expiry(self.default_expiry if downloads else UPLOAD_EXPIRY)

    def _set_expiry(self, seconds: int) -> None:
        """Show ``seconds`` as a preset or a typed lifetime, without counting as a choice."""
        custom = self.query_one("#custom-expiry", Input)
        expiry = self.query_one("#expiry", RadioSet)
        presets = {value for _, value in PRESETS}
        with custom.prevent(Input.Changed), expiry.prevent(RadioSet.Changed):
            custom.value = "" if seconds in presets else describe(seconds)
            for button in expiry.query(RadioButton):
                button.value = button.id == f"e-{seconds}"
        self.rebuild()

    @on(RadioSet.Changed)
    @on(Input.Changed)
    @on(Checkbox.Changed)
    def rebuild(self) -> None:
        """Make the link again from the form (or say what is wrong)."""
        kind = pressed(self, "kind", "k-") or "download"
        self.query_one("#download-row").set_class(kind not in ("download", "managed"), "hidden")
        self.query_one("#upload-row").set_class(kind in ("download", "managed"), "hidden")
        managed = kind == "managed"
        self.query_one("#managed-row").set_class(not managed, "hidden")
        for widget_id in ("#type-row", "#copy-row", "#inline"):  # S3-link options only
            self.query_one(widget_id).set_class(managed, "hidden")
        for widget in self.query(".form-only"):
            widget.set_class(kind != "upload-form", "hidden")
        self.managed = None
        if kind == "managed":
            self.link = None
            try:
                self.managed, self.problem = self.managed_request(), ""
            except ValueError as exc:
                self.problem = str(exc)
            self._draw()
            return
        try:
            key, options = self.options()
            self.link = make_link(self.client, self.bucket, key, options, now=self._now())
            self.problem = ""
        except ValueError as exc:
            self.link, self.problem = None, str(exc)
        self._draw()

    def _draw(self) -> None:
        link = self.link
        if link is not None:
            verb = {
                "download": "Download link",
                "upload": "Upload link",
                "upload-form": "Upload form",
            }[str(link.kind)]
            self.query_one(VerticalScroll).border_title = visible(
                f"{verb}: s3://{link.bucket}/{link.key}"
            )
        self.query_one("#problem", Static).update(Text(self.problem))
        if self.managed is not None:
            self._draw_managed(self.managed)
            return
        self.query_one("#link", Static).update(
            Text(self.copy_text() if link else "", overflow="fold")
        )
        meta = ""
        if link:
            meta = f"{when_text(link)}\n{link.allows}"
            if link.kind is Kind.UPLOAD:
                meta += f"\nKey: {visible(link.key)} · the uploader must send Content-Type: "
                meta += link.headers["Content-Type"]
        self.query_one("#meta", Static).update(Text(meta))
        self.query_one("#warning", Static).update(
            Text(f"⚠ {link.warning}" if link and link.warning else "")
        )

    def _draw_managed(self, request: ManagedRequest) -> None:
        self.query_one(VerticalScroll).border_title = visible(
            f"Managed link: s3://{request.bucket}/{request.key}"
        )
        self.query_one("#link", Static).update(
            Text(f"Enter asks {self.server_url} for a link and copies it", style="bold")
        )
        limits = [f"expires in {describe(request.expires_in)} (the server re-signs: no 7-day cap)"]
        limits.append(
            f"at most {request.max_downloads} download(s)"
            if request.max_downloads
            else "unlimited downloads"
        )
        limits.append("password protected" if request.password else "no password")
        meta = " · ".join(limits) + "\nRevocable, counted, extendable later in the history (H)"
        self.query_one("#meta", Static).update(Text(meta))
        self.query_one("#warning", Static).update(Text(""))

    # -- actions -----------------------------------------------------------------------------
    def copy_text(self) -> str:
        """The text Enter would copy."""
        link = self.link
        if link is None:
            return ""
        what = COPY_AS[int(pressed(self, "copy-as", "c-") or 0)]
        if what == "curl":
            return curl_command(link)
        if what == "s3 URI":
            return s3_uri(link.bucket, link.key)
        if what == "https URL":
            return https_url(self.client, link.bucket, link.key)
        return html_form(link) if link.kind is Kind.UPLOAD_FORM else link.url

    def action_copy(self) -> None:
        if self.managed is not None:
            self.dismiss(ShareOutcome("", "managed link", [], managed=self.managed))
            return
        if self.link is None:
            self.app.bell()
            return
        what = COPY_AS[int(pressed(self, "copy-as", "c-") or 0)]
        self.dismiss(ShareOutcome(self.copy_text(), what, [self.link]))

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_qr(self) -> None:
        if self.link is not None:
            from s3tui.ui.dialogs.qr import QrDialog

            self.app.push_screen(QrDialog(self.copy_text(), basename(self.link.key)))
