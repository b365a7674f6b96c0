"""One bucket/prefix as it streams in, with instant filter and sort views over it."""

from __future__ import annotations

from datetime import datetime
from operator import attrgetter
from typing import Literal, NamedTuple

from s3tui.s3 import InvalidBucketName, ListPage, check_bucket, parse_timestamp

SortKey = Literal["name", "size", "date"]
SORT_KEYS: tuple[SortKey, ...] = ("name", "size", "date")


class Entry(NamedTuple):
    """A row of the browser: a folder (common prefix) or an object.

    A tuple of strings and numbers: the cyclic GC stops tracking it, so 100,000 rows do
    not make every collection walk them (a dataclass row caused ~80 ms filter stalls).
    """

    name: str  # relative to the listed prefix; folders end with the delimiter
    key: str  # the full key (or prefix)
    is_folder: bool
    size: int = 0
    last_modified: str = ""
    storage_class: str = ""
    etag: str = ""
    folded: str = ""  # casefolded name, for filtering

    @property
    def modified(self) -> datetime | None:
        """Last-modified as an aware datetime."""
        return parse_timestamp(self.last_modified)


def parent_prefix(prefix: str, delimiter: str = "/") -> str:
    """'a/b/c/' → 'a/b/'; 'a/' → ''."""
    trimmed = prefix[: -len(delimiter)] if prefix.endswith(delimiter) else prefix
    cut = trimmed.rfind(delimiter)
    return trimmed[: cut + len(delimiter)] if cut >= 0 else ""


def parse_s3_path(text: str) -> tuple[str, str]:
    """'s3://bucket/some/prefix/' or 'bucket/prefix' → (bucket, prefix)."""
    raw = text.strip()
    if raw.lower().startswith("s3://"):
        raw = raw[5:]
    bucket, _, prefix = raw.partition("/")
    return bucket, prefix


def checked_s3_path(text: str, example: str = "s3://my-bucket/some/prefix/") -> tuple[str, str]:
    """``parse_s3_path`` with a valid bucket name; ValueError with a readable reason."""
    bucket, rest = parse_s3_path(text)
    if not bucket:
        raise ValueError(f"type a path such as {example}")
    try:
        check_bucket(bucket)
    except InvalidBucketName as exc:
        raise ValueError(str(exc)) from None
    return bucket, rest


class Listing:
    """Entries of bucket/prefix: folders first, then objects, in the server's order."""

    def __init__(self, bucket: str, prefix: str = "") -> None:
        self.bucket = bucket
        self.prefix = prefix
        self.folders: list[Entry] = []
        self.objects: list[Entry] = []
        self.complete = False
        self._sorted: dict[tuple[SortKey, bool], list[Entry]] = {}
        # the last filtered view: a longer needle only has to search its rows
        self._last: tuple[str, SortKey, bool, list[Entry]] | None = None

    def __len__(self) -> int:
        return len(self.folders) + len(self.objects)

    def add_page(self, page: ListPage) -> int:
        """Take in one listing page; returns how many entries it added."""
        cut = len(self.prefix)
        for p in page.prefixes:
            name = p[cut:]
            self.folders.append(Entry(name, p, True, folded=name.casefold()))
        objects = self.objects
        for o in page.objects:
            if o.key == self.prefix:  # the folder's own marker object
                continue
            name = o.key[cut:]
            objects.append(
                Entry(
                    name,
                    o.key,
                    False,
                    o.size,
                    o.last_modified,
                    o.storage_class,
                    o.etag,
                    name.casefold(),
                )
            )
        self._sorted.clear()
        self._last = None
        return len(page.prefixes) + len(page.objects)

    def _ordered(self, sort: SortKey, reverse: bool) -> list[Entry]:
        cached = self._sorted.get((sort, reverse))
        if cached is not None:
            return cached
        if sort == "name":
            # S3 lists in key order already; timsort on sorted input is linear
            folders = sorted(self.folders, key=attrgetter("name"), reverse=reverse)
            objects = sorted(self.objects, key=attrgetter("name"), reverse=reverse)
        elif sort == "size":
            folders = sorted(self.folders, key=attrgetter("name"), reverse=reverse)
            objects = sorted(self.objects, key=attrgetter("size"), reverse=reverse)
        else:  # ISO timestamps sort as text
            folders = sorted(self.folders, key=attrgetter("name"), reverse=reverse)
            objects = sorted(self.objects, key=attrgetter("last_modified"), reverse=reverse)
        ordered = folders + objects
        self._sorted[(sort, reverse)] = ordered
        return ordered

    def view(self, needle: str = "", sort: SortKey = "name", reverse: bool = False) -> list[Entry]:
        """Folders then objects, sorted, keeping those whose name contains ``needle``."""
        ordered = self._ordered(sort, reverse)
        if not needle:
            return ordered
        folded = needle.casefold()
        source = ordered
        if self._last is not None:
            last_needle, last_sort, last_reverse, last_rows = self._last
            if (last_sort, last_reverse) == (sort, reverse) and folded.startswith(last_needle):
                source = last_rows  # typing narrows: search only what matched before
        rows = [e for e in source if folded in e.folded]
        self._last = (folded, sort, reverse, rows)
        return rows
