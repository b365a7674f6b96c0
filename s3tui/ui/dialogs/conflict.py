"""A local file exists already: skip, overwrite or keep both, for this one or for all."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Static

from s3tui.services.text import visible
from s3tui.services.transfers import OnConflict


@dataclass(frozen=True)
class ConflictAnswer:
    """The choice, and whether it holds for the rest of this batch."""

    choice: OnConflict
    for_all: bool


class ConflictDialog(ModalScreen[ConflictAnswer | None]):
    """s skips, o overwrites, k keeps both; a toggles "for all"; Esc cancels the batch."""

    BINDINGS = [
        Binding("s", "choose('skip')", "Skip", id="conflict.skip"),
        Binding("o", "choose('overwrite')", "Overwrite", id="conflict.overwrite"),
        Binding("k", "choose('keep-both')", "Keep both", id="conflict.keep"),
        Binding("a", "toggle_all", "For all", id="conflict.all"),
        Binding("escape", "cancel", "Cancel all", id="conflict.cancel"),
    ]
    DEFAULT_CSS = """
    ConflictDialog { align: center middle; }
    ConflictDialog > Vertical { width: 80; height: auto; border: thick $warning;
                                padding: 1 2; background: $surface; }
    ConflictDialog #conflict-question { text-style: bold; height: auto; }
    """

    def __init__(
        self, path: str, key: str, remaining: int, *, what: str = "file", batch: str = "download"
    ) -> None:
        super().__init__()
        self.path, self.key, self.remaining = path, key, remaining
        self.what, self.batch = what, batch

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(f"This {self.what} exists already:"), id="conflict-question")
            yield Static(Text(f"  {visible(self.path)}"))
            yield Static(Text.assemble(("  from ", "dim"), visible(self.key)))
            if self.remaining > 1:
                yield Checkbox(
                    f"Do the same for the other {self.remaining - 1:,} existing {self.what}(s)",
                    id="conflict-all",
                )
            yield Static(
                Text(
                    "s skip · o overwrite · k keep both (saved as 'name (1).ext') · "
                    f"a for all · Esc cancels the {self.batch}",
                    style="dim",
                )
            )

    def action_toggle_all(self) -> None:
        for box in self.query("#conflict-all").results(Checkbox):
            box.toggle()

    def action_choose(self, choice: str) -> None:
        boxes = list(self.query("#conflict-all").results(Checkbox))
        self.dismiss(ConflictAnswer(OnConflict(choice), bool(boxes and boxes[0].value)))

    def action_cancel(self) -> None:
        self.dismiss(None)
