"""Folders, copies and moves: what the browser's file operations mean in S3 calls."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from s3tui.s3 import InvalidKey, S3Client, check_key

from .browse import Entry, checked_s3_path


async def expand(client: S3Client, bucket: str, entries: Iterable[Entry]) -> list[Entry]:
    """The objects behind ``entries``: objects as they are, folders listed recursively."""
    out: list[Entry] = []
    for entry in entries:
        if not entry.is_folder:
            out.append(entry)
            continue
        async for page in client.list_objects(bucket, entry.key, delimiter=""):
            out += [Entry(o.key, o.key, False, o.size, o.last_modified) for o in page.objects]
    return out


async def existing_keys(
    client: S3Client, bucket: str, prefix: str, keys: Iterable[str]
) -> set[str]:
    """Which of ``keys`` (all under ``prefix``) exist already: one listing of ``prefix``'s
    own objects, plus one recursive listing per top-level folder the keys go into."""
    wanted = set(keys)
    folders = {
        prefix + k[len(prefix) :].split("/", 1)[0] + "/" for k in wanted if "/" in k[len(prefix) :]
    }
    found: set[str] = set()
    for where, delimiter in [(prefix, "/"), *((f, "") for f in sorted(folders))]:
        async for page in client.list_objects(bucket, where, delimiter=delimiter):
            found.update(o.key for o in page.objects if o.key in wanted)
    return found


def free_key(key: str, taken: set[str]) -> str:
    """'a/report.pdf' → 'a/report (1).pdf', the first key not in ``taken``."""
    head, slash, name = key.rpartition("/")
    stem, dot, ext = name.rpartition(".") if "." in name.lstrip(".") else (name, "", "")
    for n in range(1, 10_000):
        candidate = f"{head}{slash}{stem} ({n}){dot}{ext}"
        if candidate not in taken:
            return candidate
    raise ValueError(f"no free name next to {key}")


def folder_key(prefix: str, name: str) -> str:
    """The marker key for a new folder ``name`` under ``prefix``; ValueError if unusable."""
    clean = name.strip().strip("/")
    if not clean:
        raise ValueError("type a name for the folder")
    parts = clean.split("/")
    if any(p in ("", ".", "..") for p in parts):
        raise ValueError("a folder name cannot contain empty, '.' or '..' parts")
    if any(ord(c) < 32 or ord(c) == 127 for c in clean):
        raise ValueError("a folder name cannot contain control characters")
    key = f"{prefix}{clean}/"
    try:
        check_key(key)
    except InvalidKey as exc:
        raise ValueError(str(exc)) from None
    return key


@dataclass(frozen=True)
class Destination:
    """Where a copy or move goes: a bucket, and a key or (ending with '/') a prefix."""

    bucket: str
    key: str

    @property
    def is_prefix(self) -> bool:
        """True when objects go under it rather than to it."""
        return self.key == "" or self.key.endswith("/")


def parse_destination(text: str, many: bool) -> Destination:
    """'s3://bucket/key' or 's3://bucket/prefix/'; several objects need a prefix."""
    dest = Destination(*checked_s3_path(text, "s3://bucket/folder/"))
    if many and not dest.is_prefix:
        raise ValueError("several objects go into a folder: end the destination with '/'")
    return dest


def plan_copies(
    objects: Iterable[Entry], src_bucket: str, src_prefix: str, dest: Destination
) -> list[tuple[Entry, str]]:
    """(object, target key) pairs; keys keep their path below ``src_prefix``.

    Raises ValueError when nothing would change or a target key is not valid.
    """
    pairs: list[tuple[Entry, str]] = []
    for obj in objects:
        if dest.is_prefix:
            rel = obj.key[len(src_prefix) :] if obj.key.startswith(src_prefix) else obj.key
            target = dest.key + rel
        else:
            target = dest.key
        if (dest.bucket, target) == (src_bucket, obj.key):
            raise ValueError(f"{obj.key} would be copied onto itself")
        try:
            check_key(target)
        except InvalidKey as exc:
            raise ValueError(str(exc)) from None
        pairs.append((obj, target))
    return pairs


async def copy_one(
    client: S3Client,
    src_bucket: str,
    src_key: str,
    bucket: str,
    key: str,
    *,
    move: bool,
    size: int | None = None,
) -> None:
    """Copy server-side (any size); a move deletes the source only once the copy exists."""
    await client.copy(src_bucket, src_key, bucket, key, size=size)
    if move:
        await client.delete_object(src_bucket, src_key)
