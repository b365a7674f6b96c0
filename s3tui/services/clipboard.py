"""The system clipboard through pyperclip, verified by reading it back.

pyperclip raises without a display, and with DISPLAY set but no X server it "copies"
silently and pastes ''. So a copy counts only if the text comes back. The app also sends
OSC 52 to the terminal (works over SSH in most terminals); that one cannot be verified.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ClipboardResult:
    """Whether the system clipboard now holds the text, and if not, why."""

    ok: bool
    reason: str = ""


def copy_to_system(text: str) -> ClipboardResult:
    """Copy ``text`` with pyperclip and check it by pasting (blocking: call in a thread)."""
    try:
        import pyperclip
    except ImportError:
        return ClipboardResult(False, "pyperclip is not installed")
    try:
        # Ask pyperclip afresh each time: its module-level copy() keeps whatever mechanism
        # it found first, e.g. "no clipboard" from before a display was available.
        copy, paste = pyperclip.determine_clipboard()
        copy(text)
        back = paste()
    except pyperclip.PyperclipException as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return ClipboardResult(False, f"no system clipboard ({first[:120]})")
    except Exception as exc:
        return ClipboardResult(False, f"system clipboard failed ({type(exc).__name__})")
    if back != text:
        return ClipboardResult(False, "no system clipboard answered (no X server or xclip?)")
    return ClipboardResult(True)
