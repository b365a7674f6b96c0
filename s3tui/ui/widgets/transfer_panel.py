"""The progress panel: overall bytes, rate and ETA, then one line per transfer."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from s3tui.services.text import human_size, visible
from s3tui.services.transfers import State, Transfer, TransferQueue

SHOWN = 6  # transfer lines; the rest are summed up in one line
BAR = 16


def eta_text(seconds: float | None) -> str:
    """'1:05', '2:03:00' or '--:--' when unknown."""
    if seconds is None:
        return "--:--"
    seconds = int(seconds + 0.5)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


def bar(done: int, total: int | None) -> Text:
    """A fixed-width bar with the percentage."""
    if not total:
        return Text("[" + " " * BAR + "]    ", style="dim")
    frac = min(1.0, done / total)
    full = int(frac * BAR)
    return Text.assemble(
        "[", ("█" * full, "green"), ("·" * (BAR - full), "dim"), "]", f"{frac * 100:4.0f}%"
    )


_STATE_STYLE = {
    State.QUEUED: "dim",
    State.RUNNING: "bold",
    State.DONE: "green",
    State.SKIPPED: "yellow",
    State.FAILED: "red",
    State.CANCELLED: "yellow",
}


def transfer_line(item: Transfer, now: float, width: int) -> Text:
    """One transfer: state, bar, bytes, rate, ETA, and what goes where."""
    arrow = "↓" if item.kind == "download" else "↑" if item.kind == "upload" else "⇄"
    sizes = f"{human_size(item.done)}/{human_size(item.total) if item.total else '?'}"
    line = Text.assemble(
        (f"{arrow} {item.state.value:9}", _STATE_STYLE[item.state]),
        " ",
        bar(item.done, item.total),
        f" {sizes:>21} {human_size(int(item.rate(now))):>9}/s {eta_text(item.eta(now)):>7} ",
    )
    line.append(visible(item.source))
    if item.target and item.target != item.source:
        line.append(" → ")
        line.append(visible(item.target))
    if item.failure is not None:
        line.append(f"  {visible(str(item.failure))}", "red")
    elif item.note:
        line.append(f"  ({item.note})", "yellow")
    line.truncate(width, overflow="ellipsis")
    return line


def panel_text(queue: TransferQueue, width: int) -> Text:
    """The whole panel as text (also what the snapshot shows)."""
    now = queue.clock()
    done, total, rate, eta = queue.overall()
    counts = {state: 0 for state in State}
    for item in queue.items:
        counts[item.state] += 1
    finished = counts[State.DONE] + counts[State.SKIPPED]
    head = Text.assemble(
        ("Transfers ", "bold"),
        f"{finished}/{len(queue.items)} done ",
        bar(done, total),
        f" {human_size(done)}/{human_size(total)} {human_size(int(rate))}/s ETA {eta_text(eta)}",
    )
    for state in (State.FAILED, State.CANCELLED, State.SKIPPED):
        if counts[state]:
            head.append(f" · {counts[state]} {state.value}", _STATE_STYLE[state])
    head.append("  (T list · X cancel all · t hide · C clear)", "dim")
    head.truncate(width, overflow="ellipsis")
    lines = [head]
    # running first, then failures, then queued, then the rest (newest first)
    order = {State.RUNNING: 0, State.FAILED: 1, State.QUEUED: 2}
    ranked = sorted(queue.items, key=lambda t: (order.get(t.state, 3), -t.id))
    lines += [transfer_line(item, now, width) for item in ranked[:SHOWN]]
    if len(ranked) > SHOWN:
        lines.append(Text(f"… and {len(ranked) - SHOWN:,} more", style="dim"))
    return Text("\n").join(lines)


class TransferPanel(Static):
    """Shows the app's transfer queue; refreshed a few times a second while shown."""

    DEFAULT_CSS = """
    TransferPanel { height: auto; padding: 0 1;
                    background: $boost; border-top: solid $accent; display: none; }
    TransferPanel.shown { display: block; }
    """

    def __init__(self, queue: TransferQueue, **kwargs) -> None:
        super().__init__("", **kwargs)
        self.queue = queue

    def on_mount(self) -> None:
        self.set_interval(0.25, self.refresh_panel)
        self.refresh_panel()

    def refresh_panel(self) -> None:
        """Redraw from the queue; shown while there is something to show. Each screen has
        a panel: only one that can be seen does the work (the others catch up when shown)."""
        if not self._seen():
            return
        if self.queue.items and not self.has_class("hidden-by-user"):
            self.add_class("shown")
            # a panel shown just now has no size yet: lay out for the screen's width then
            width = (self.size.width or self.screen.size.width) - 2
            text = panel_text(self.queue, max(20, width))
            self.styles.height = len(text.plain.splitlines()) + 1  # + the top border
            self.update(text)
        else:
            self.remove_class("shown")

    def _seen(self) -> bool:
        """True if only modal dialogs (which let it show through) are above its screen."""
        stack = self.app.screen_stack
        if self.screen not in stack:
            return False
        return all(s.is_modal for s in stack[stack.index(self.screen) + 1 :])

    def toggle(self) -> None:
        """Hide or show (transfers go on either way)."""
        self.toggle_class("hidden-by-user")
        self.refresh_panel()
