"""Keys typed right after a key that opens a dialog belong to the dialog.

Textual queues each key on the widget focused when it arrives, before bindings run; so in
a fast "g s3://bucket" (or a paste) the letters after "g" are queued on the list, reach
the screen before the "g" binding has run, and are lost. A screen's on_key opens such a
dialog at once (open_now), and sends the printable keys that reach it while the dialog
is on top to the app again (forward_to_top), which hands them to the dialog's focus.
"""

from __future__ import annotations

from textual import events
from textual.screen import Screen


def open_now(screen: Screen, event: events.Key, actions: tuple[str, ...]) -> bool:
    """Run a dialog-opening binding as its key passes (bindings run only after the keys
    queued behind it), so the dialog is on top for the next key; True if one ran."""
    active = screen.active_bindings.get(event.key)
    if active is None or active.binding.action not in actions:
        return False
    event.stop()
    event.prevent_default()
    getattr(screen, f"action_{active.binding.action}")()
    return True


def forward_to_top(screen: Screen, event: events.Key) -> bool:
    """Re-send ``event`` to the app if a screen was pushed over ``screen``; True if sent."""
    app = screen.app
    if app.screen is screen or not event.is_printable or not event.character:
        return False
    event.stop()
    event.prevent_default()
    # after a refresh, when the dialog has mounted and focused its input; every key goes
    # the same way, so they keep their order
    key, character = event.key, event.character
    app.call_after_refresh(lambda: app.post_message(events.Key(key, character)))
    return True
