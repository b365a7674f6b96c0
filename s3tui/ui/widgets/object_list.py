"""A virtual list of folders and objects: only the visible rows are ever rendered.

Built on Textual's Line API (ScrollView + render_line), so 100,000 rows cost a Python
list, not 100,000 widgets. Every name comes from a bucket: it is drawn as plain segments
with control characters made visible, never parsed as markup.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from s3tui.services.browse import Entry
from s3tui.services.text import human_size, visible

SIZE_W, DATE_W, CLASS_W, MARK_W = 10, 16, 12, 2


def column_widths(total: int) -> tuple[int, int, int, int]:
    """(name, size, date, class) widths for a row ``total`` cells wide."""
    name = max(10, total - MARK_W - SIZE_W - DATE_W - CLASS_W - 3)
    return name, SIZE_W, DATE_W, CLASS_W


def local_time(entry: Entry) -> str:
    """Last-modified in the local time zone, minutes precision."""
    when = entry.modified
    return when.astimezone().strftime("%Y-%m-%d %H:%M") if when else ""


def fit(text: str, width: int) -> str:
    """Pad or cut (with an ellipsis) to exactly ``width`` cells."""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, width - 1) + "…"


class ObjectList(ScrollView, can_focus=True, inherit_bindings=False):
    """Rows of a prefix; Enter opens, space marks."""

    BINDINGS = [
        Binding("up,k", "cursor(-1)", "Up", show=False, id="list.up"),
        Binding("down,j", "cursor(1)", "Down", show=False, id="list.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="list.pageup"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="list.pagedown"),
        Binding("home", "jump(0)", "First", show=False, id="list.first"),
        Binding("end", "jump(-1)", "Last", show=False, id="list.last"),
        Binding("enter,right,l", "open", "Open", show=False, id="list.open"),
        Binding("space", "toggle_mark", "Mark", id="list.mark"),
    ]
    COMPONENT_CLASSES = {
        "object-list--cursor",
        "object-list--folder",
        "object-list--marked",
        "object-list--dim",
    }
    DEFAULT_CSS = """
    ObjectList { height: 1fr; overflow-x: hidden; }
    ObjectList > .object-list--cursor { background: $accent 40%; text-style: bold; }
    ObjectList:focus > .object-list--cursor { background: $accent; color: $text; }
    ObjectList > .object-list--folder { color: $primary-lighten-2; text-style: bold; }
    ObjectList > .object-list--marked { color: $warning; }
    ObjectList > .object-list--dim { color: $text-muted; }
    """

    cursor: reactive[int] = reactive(0, always_update=True)

    @dataclass
    class Opened(Message):
        """Enter or a double click on a row."""

        entry: Entry

    @dataclass
    class Highlighted(Message):
        """The cursor moved to a row (None when the list is empty)."""

        entry: Entry | None

    @dataclass
    class MarksChanged(Message):
        """The set of marked keys changed."""

        count: int

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[Entry] = []
        self.marked: set[str] = set()

    # -- data ---------------------------------------------------------------------------
    def set_rows(self, rows: list[Entry], keep_key: str | None = None) -> None:
        """Replace the rows, keeping the cursor on ``keep_key`` (or the current row)."""
        current = keep_key or (self.current.key if self.current else None)
        self.rows = rows
        self.virtual_size = Size(self.scrollable_content_region.width, len(rows))
        index = 0
        if current is not None:
            index = next((i for i, e in enumerate(rows) if e.key == current), 0)
        self.cursor = min(index, max(0, len(rows) - 1))
        self.refresh()

    @property
    def current(self) -> Entry | None:
        """The row under the cursor."""
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    def marked_entries(self) -> list[Entry]:
        """Marked rows still present in the list."""
        return [e for e in self.rows if e.key in self.marked]

    # -- cursor -------------------------------------------------------------------------
    def watch_cursor(self, value: int) -> None:
        height = self.scrollable_content_region.height or 1
        top = int(self.scroll_offset.y)
        if value < top:
            self.scroll_to(y=value, animate=False)
        elif value >= top + height:
            self.scroll_to(y=value - height + 1, animate=False)
        self.refresh()
        self.post_message(self.Highlighted(self.current))

    def action_cursor(self, delta: int) -> None:
        if self.rows:
            self.cursor = max(0, min(len(self.rows) - 1, self.cursor + delta))

    def action_page(self, direction: int) -> None:
        self.action_cursor(direction * max(1, self.scrollable_content_region.height - 1))

    def action_jump(self, index: int) -> None:
        if self.rows:
            self.cursor = index if index >= 0 else len(self.rows) - 1

    def action_open(self) -> None:
        if self.current is not None:
            self.post_message(self.Opened(self.current))

    def action_toggle_mark(self) -> None:
        entry = self.current
        if entry is None:
            return
        if entry.is_folder:
            self.notify("Folders cannot be marked; open one to mark its objects.")
            return
        self.marked.symmetric_difference_update({entry.key})
        self.post_message(self.MarksChanged(len(self.marked)))
        self.action_cursor(1)
        self.refresh()

    def clear_marks(self) -> None:
        """Unmark everything."""
        if self.marked:
            self.marked.clear()
            self.post_message(self.MarksChanged(0))
            self.refresh()

    def on_click(self, event: events.Click) -> None:
        index = int(self.scroll_offset.y) + event.y
        if 0 <= index < len(self.rows):
            self.cursor = index
            if event.chain >= 2:
                self.action_open()

    def on_resize(self) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.rows))

    # -- drawing ------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        index = int(self.scroll_offset.y) + y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if index >= len(self.rows):
            return Strip.blank(width, base)
        entry = self.rows[index]
        style = base
        if entry.is_folder:
            style += self.get_component_rich_style("object-list--folder")
        if entry.key in self.marked:
            style += self.get_component_rich_style("object-list--marked")
        dim = style + self.get_component_rich_style("object-list--dim")
        if index == self.cursor:  # last, so the cursor's background spans the whole row
            cursor = self.get_component_rich_style("object-list--cursor")
            style, dim = style + cursor, dim + cursor
        name_w, size_w, date_w, class_w = column_widths(width)
        mark = "● " if entry.key in self.marked else "  "
        if entry.is_folder:
            cells = [
                (mark, style),
                (fit(visible(entry.name), name_w), style),
                (" " + " " * size_w, style),
                (" " + " " * date_w, style),
                (" " + fit("folder", class_w), dim),
            ]
        else:
            cells = [
                (mark, style),
                (fit(visible(entry.name), name_w), style),
                (" " + human_size(entry.size).rjust(size_w), style),
                (" " + fit(local_time(entry), date_w), dim),
                (" " + fit(visible(entry.storage_class), class_w), dim),
            ]
        segments = [Segment(text, st) for text, st in cells]
        strip = Strip(segments)
        return strip.extend_cell_length(width, style).crop(0, width)


def header_text(width: int, sort: str, reverse: bool) -> list[tuple[str, Style | str]]:
    """Column titles, the sorted one marked with ▲/▼ (for the header above the list)."""
    name_w, size_w, date_w, class_w = column_widths(width)
    arrow = "▼" if reverse else "▲"
    titles = {
        "name": "Name" + (f" {arrow}" if sort == "name" else ""),
        "size": "Size" + (f" {arrow}" if sort == "size" else ""),
        "date": "Last modified" + (f" {arrow}" if sort == "date" else ""),
    }
    return [
        ("  " + fit(titles["name"], name_w), "bold"),
        (" " + titles["size"].rjust(size_w), "bold"),
        (" " + fit(titles["date"], date_w), "bold"),
        (" " + fit("Class", class_w), "bold"),
    ]
