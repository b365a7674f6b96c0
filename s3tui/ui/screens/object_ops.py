"""The objects screen's file operations: download, upload, new folder, copy and move.

Transfers run as app workers, so leaving the folder does not stop them; the progress
panel reads the app's TransferQueue.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

from s3tui.s3 import S3Error
from s3tui.services.browse import Entry
from s3tui.services.local_paths import target_for
from s3tui.services.object_ops import (
    copy_one,
    existing_keys,
    expand,
    folder_key,
    free_key,
    parse_destination,
    plan_copies,
)
from s3tui.services.text import human_size, visible
from s3tui.services.transfers import (
    OnConflict,
    Transfer,
    download_into,
    plan_uploads,
    relative_to_prefix,
)
from s3tui.ui.dialogs.conflict import ConflictDialog
from s3tui.ui.dialogs.download import DownloadDialog, DownloadRequest
from s3tui.ui.dialogs.prompt import PromptDialog
from s3tui.ui.dialogs.transfers import TransfersDialog
from s3tui.ui.dialogs.upload import UploadDialog
from s3tui.ui.widgets.object_list import ObjectList
from s3tui.ui.widgets.transfer_panel import TransferPanel


def describe(entries: list[Entry]) -> str:
    """'3 objects (1.2 MiB) and 1 folder' — what a dialog is about to act on."""
    objects = [e for e in entries if not e.is_folder]
    folders = len(entries) - len(objects)
    parts = []
    if objects:
        size = human_size(sum(e.size for e in objects))
        parts.append(f"{objects[0].name!s}" if len(objects) == 1 else f"{len(objects):,} objects")
        parts[-1] += f" ({size})"
    if folders:
        parts.append(f"{folders:,} folder(s) with everything in them")
    return " and ".join(parts)


class ObjectOps:
    """Mixed into ObjectsScreen (which provides bucket, prefix, app, notify, …)."""

    async def _decide(
        self, clashes: list[tuple[str, str]], what: str, batch: str
    ) -> list[OnConflict] | None:
        """Ask skip/overwrite/keep both for each (existing target, source), or once for all;
        None if the user cancels the batch."""
        choices: list[OnConflict] = []
        policy: OnConflict | None = None
        for n, (target, source) in enumerate(clashes):
            if policy is None:
                answer = await self.app.push_screen_wait(
                    ConflictDialog(target, source, len(clashes) - n, what=what, batch=batch)
                )
                if answer is None:
                    return None
                if answer.for_all:
                    policy = answer.choice
                choices.append(answer.choice)
            else:
                choices.append(policy)
        return choices

    def _selection(self) -> list[Entry]:
        table = self.query_one(ObjectList)
        marked = table.marked_entries()
        if marked:
            return marked
        return [table.current] if table.current is not None else []

    # -- download -----------------------------------------------------------------------
    def action_download(self) -> None:
        """Download the marked objects/folders, else the one under the cursor."""
        entries = self._selection()
        if not entries:
            self.notify("Nothing to download here.")
            return

        def chosen(request: DownloadRequest | None) -> None:
            if request is not None:
                self.app.remember_download_dir(request.folder)
                self.app.run_transfer(self._download(entries, request.folder), "downloading")

        what = f"Download {visible(describe(entries))}"
        self.app.push_screen(DownloadDialog(what, self.app.download_dir), chosen)

    async def _download(self, entries: list[Entry], folder: Path) -> None:
        app, client, bucket, prefix = self.app, self.app.client, self.bucket, self.prefix
        try:
            objects = await expand(client, bucket, entries)
        except (S3Error, ValueError) as exc:
            self._report(exc, "listing what to download")
            return
        targets = [(obj, target_for(folder, obj.key, prefix)) for obj in objects]
        clashes = [
            i for i, (o, t) in enumerate(targets) if t.path.exists() and not o.key.endswith("/")
        ]
        decided = await self._decide(
            [(str(targets[i][1].path), targets[i][0].key) for i in clashes], "file", "download"
        )
        if decided is None:
            self.notify("Download cancelled; nothing was written.")
            return
        choice_of = dict(zip(clashes, decided, strict=True))
        plans = [(o, t, choice_of.get(i, OnConflict.OVERWRITE)) for i, (o, t) in enumerate(targets)]
        renamed = [(o.key, t) for o, t, _ in plans if t.renamed]
        if renamed:
            first_key, first = renamed[0]
            self.notify(
                f"{len(renamed):,} name(s) changed to be safe on this disk, e.g. "
                f"{visible(first_key)} → {first.path.relative_to(folder.resolve())}",
                severity="warning",
                markup=False,
            )
        jobs = []
        for obj, target, choice in plans:
            if obj.key.endswith("/"):  # a folder marker: the folder, not a file
                target.path.mkdir(parents=True, exist_ok=True)
                continue
            shown = str(target.path.relative_to(folder.resolve()))
            item = app.transfers.add(
                "download",
                relative_to_prefix(obj.key, prefix),
                shown,
                obj.size,
                "renamed for this disk" if target.renamed else "",
            )

            async def job(item: Transfer, progress, key=obj.key, path=target.path, choice=choice):
                where, _ = await download_into(client, bucket, key, path, choice, progress)
                return "exists, skipped" if where is None else None

            jobs.append((item, job))
        await app.transfers.run_all(jobs)
        app.transfers_finished([item for item, _ in jobs], f"into {folder}")

    # -- upload -------------------------------------------------------------------------
    def action_upload(self) -> None:
        """Upload local files or folders into this prefix."""

        def chosen(paths: list[Path] | None) -> None:
            if paths:
                self.app.run_worker(self._upload(paths), group="transfers", exit_on_error=False)

        where = f"s3://{self.bucket}/{self.prefix}"
        self.app.push_screen(UploadDialog(visible(where), Path.cwd()), chosen)

    async def _upload(self, paths: list[Path]) -> None:
        app, client, bucket, prefix = self.app, self.app.client, self.bucket, self.prefix
        uploads, problems = await asyncio.to_thread(plan_uploads, paths, prefix)
        for problem in problems[:3]:
            self.notify(problem, severity="warning", markup=False)
        taken = await existing_keys(client, bucket, prefix, (u.key for u in uploads))
        clashes = [i for i, u in enumerate(uploads) if u.key in taken]
        decided = await self._decide(
            [(f"s3://{bucket}/{uploads[i].key}", str(uploads[i].path)) for i in clashes],
            "object",
            "upload",
        )
        if decided is None:
            self.notify("Upload cancelled; nothing was sent.")
            return
        choice_of = dict(zip(clashes, decided, strict=True))
        kept = []
        for i, up in enumerate(uploads):
            choice = choice_of.get(i, OnConflict.OVERWRITE)
            if choice is OnConflict.SKIP:
                continue
            if choice is OnConflict.KEEP_BOTH:
                up = replace(up, key=free_key(up.key, taken))
                taken.add(up.key)
            kept.append(up)
        if len(kept) < len(uploads):
            self.notify(f"{len(uploads) - len(kept):,} existing object(s) skipped.", markup=False)
        jobs = []
        for up in kept:
            item = app.transfers.add(
                "upload", str(up.path), relative_to_prefix(up.key, prefix), up.size
            )

            async def job(item: Transfer, progress, up=up):
                await client.upload_file(
                    bucket, up.key, up.path, content_type=up.content_type, progress=progress
                )
                return None

            jobs.append((item, job))
        await app.transfers.run_all(jobs)
        app.transfers_finished([item for item, _ in jobs], f"to s3://{bucket}/{prefix}")
        self._refresh_if_here(bucket, prefix)

    def _refresh_if_here(self, bucket: str, prefix: str) -> None:
        if self.is_attached and (self.bucket, self.prefix) == (bucket, prefix):
            self.action_refresh()

    # -- folders, copies, moves ---------------------------------------------------------
    def action_new_folder(self) -> None:
        """Make a folder (a zero-byte 'name/' marker) here."""
        prefix = self.prefix

        def chosen(key: str | None) -> None:
            if key:
                self._make_folder(key)

        self.app.push_screen(
            PromptDialog(
                f"New folder in s3://{visible(self.bucket)}/{visible(prefix)}",
                "Name (a/b makes nested folders):",
                "",
                lambda name: folder_key(prefix, name),
            ),
            chosen,
        )

    def _make_folder(self, key: str) -> None:
        async def make() -> None:
            try:
                await self.app.client.put_object(self.bucket, key, b"")
            except (S3Error, ValueError) as exc:
                self._report(exc, "making the folder")
                return
            self.notify(f"Folder {visible(key)} made.", markup=False)
            self.open_prefix(self.prefix, keep_key=key)

        self.app.run_worker(make(), group="folder", exit_on_error=False)

    def action_copy(self) -> None:
        """Copy the marked objects (or the current one, or a folder) elsewhere."""
        self._copy_or_move(move=False)

    def action_move(self) -> None:
        """Move or rename the marked objects (or the current one, or a folder)."""
        self._copy_or_move(move=True)

    def _copy_or_move(self, *, move: bool) -> None:
        entries = self._selection()
        if not entries:
            self.notify("Nothing to copy here." if not move else "Nothing to move here.")
            return
        many = len(entries) > 1 or entries[0].is_folder
        start = f"s3://{self.bucket}/{self.prefix}"
        if not many:
            start += entries[0].name
        verb = "Move / rename" if move else "Copy"

        def chosen(text: str | None) -> None:
            if text is not None:
                dest = parse_destination(text, many)
                doing = "moving" if move else "copying"
                self.app.run_transfer(self._copy(entries, dest, move), doing)

        def check(text: str) -> str:
            parse_destination(text, many)
            return text

        self.app.push_screen(
            PromptDialog(
                f"{verb} {describe(entries)}",
                "To (s3://bucket/key, or s3://bucket/folder/ to keep names):",
                start,
                check,
            ),
            chosen,
        )

    async def _copy(self, entries: list[Entry], dest, move: bool) -> None:
        app, client, bucket, prefix = self.app, self.app.client, self.bucket, self.prefix
        try:
            objects = await expand(client, bucket, entries)
            pairs = plan_copies(objects, bucket, prefix, dest)
        except (S3Error, ValueError) as exc:
            self._report(exc, "planning the copy")
            return
        jobs = []
        for obj, target in pairs:
            item = app.transfers.add(
                "copy", obj.key, f"s3://{dest.bucket}/{target}", obj.size, "move" if move else ""
            )

            async def job(item: Transfer, progress, obj=obj, target=target):
                await copy_one(
                    client, bucket, obj.key, dest.bucket, target, move=move, size=obj.size
                )
                progress(obj.size)
                return None

            jobs.append((item, job))
        await app.transfers.run_all(jobs)
        app.transfers_finished([item for item, _ in jobs], "moved" if move else "copied")
        self._refresh_if_here(bucket, prefix)

    # -- the panel ----------------------------------------------------------------------
    def action_toggle_transfers(self) -> None:
        """Show or hide the progress panel."""
        self.query_one(TransferPanel).toggle()

    def action_list_transfers(self) -> None:
        """Every transfer in a list, to cancel one of them."""
        self.app.push_screen(TransfersDialog(self.app.transfers))

    def action_cancel_transfers(self) -> None:
        """Cancel every transfer not finished (multipart uploads are aborted)."""
        stopped = self.app.transfers.cancel_all()
        self.notify(f"Cancelled {stopped:,} transfer(s)." if stopped else "Nothing running.")

    def action_clear_transfers(self) -> None:
        """Forget finished transfers."""
        self.app.transfers.clear_finished()
        self.query_one(TransferPanel).refresh_panel()
