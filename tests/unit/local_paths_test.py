"""Untrusted keys map to paths inside the chosen folder, whatever they hold."""

from __future__ import annotations

import os

import pytest

from s3tui.services.local_paths import relative_path, target_for


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("reports/2024/january.pdf", "reports/2024/january.pdf"),
        ("../../etc/x", "_/_/etc/x"),
        ("/abs/path.txt", "abs/path.txt"),
        ("a\\b", "a/b"),
        ("con.txt", "_con.txt"),
        ("dir/LPT1", "dir/_LPT1"),
        ("nul\x00byte", "nul_byte"),
        ("trailing. ", "trailing"),
        ("x//y", "x/y"),
        ("esc\x1b[2J", "esc_[2J"),
        ('q"<>|?*.txt', "q______.txt"),
        ("", "_"),
    ],
)
def test_keys_become_safe_relative_paths(key, expected):
    assert str(relative_path(key)) == expected


def test_a_300_byte_name_is_cut_to_255_keeping_the_extension():
    rel = relative_path("d/" + "é" * 150 + ".csv")
    assert len(rel.name.encode()) <= 255 and rel.name.endswith(".csv")


@pytest.mark.parametrize(
    "key",
    [
        "../../etc/x",
        "/abs",
        "a\\b",
        "con.txt",
        "x" * 300,
        "n\x00l",
        "..",
        "../..",
        "./.",
        "a/../../b",
    ],
)
def test_every_target_is_inside_the_folder(tmp_path, key):
    target = target_for(tmp_path, key)
    assert tmp_path.resolve() in target.path.parents
    assert target.renamed == (str(target.path.relative_to(tmp_path.resolve())) != key)


def test_prefix_is_stripped_and_renames_are_reported(tmp_path):
    target = target_for(tmp_path, "reports/2024/q1.pdf", strip_prefix="reports/")
    assert target.path == tmp_path.resolve() / "2024" / "q1.pdf" and not target.renamed
    assert target_for(tmp_path, "reports/con.txt", "reports/").renamed


def test_a_symlink_out_of_the_folder_is_refused(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    inside = tmp_path / "dest"
    inside.mkdir()
    os.symlink(outside, inside / "link")
    with pytest.raises(ValueError, match="outside"):
        target_for(inside, "link/file.txt")
