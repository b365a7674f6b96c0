"""A transfer batch in every state, for the panel's snapshot and screenshot."""

from __future__ import annotations

from s3tui.services.transfers import State


def fill_transfers(app) -> None:
    """A batch in every state, on a fixed clock (so rates and ETAs are fixed too)."""
    queue = app.transfers
    queue.clock = lambda: 100.0
    rows = [
        ("download", "2024/march.pdf", "march.pdf", 48 << 20, 48 << 20, State.DONE, 90.0),
        ("download", "2024/q1/big.tar", "q1/big.tar", 700 << 20, 175 << 20, State.RUNNING, 96.5),
        ("upload", "/home/me/notes.md", "notes.md", 12 << 10, 0, State.QUEUED, None),
        ("download", "../../etc/x", "_/_/etc/x", 512, 0, State.SKIPPED, 99.0),
    ]
    for kind, source, target, total, done, state, started in rows:
        item = queue.add(kind, source, target, total)
        item.state, item.started = state, started
        if started is not None:
            item.advance(done, started + 3.0)
            item.finished = 100.0 if state is not State.RUNNING else None
    queue.items[3].note = "exists, skipped"
    app.screen.query_one("TransferPanel").refresh_panel()
