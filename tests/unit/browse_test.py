"""Browsing logic without widgets: listing views, paths, untrusted text, explanations."""

from __future__ import annotations

import time

import pytest

from s3tui.s3 import AccessDenied, ListPage, NoSuchBucket, S3ConnectionError, S3Object
from s3tui.s3.errors import SignatureDoesNotMatch
from s3tui.services.browse import Listing, parent_prefix, parse_s3_path
from s3tui.services.explain import explain
from s3tui.services.text import human_size, visible
from s3tui.ui.dialogs.goto import parse_target


def page(keys, prefixes=(), sizes=None):
    sizes = sizes or {}
    objs = [
        S3Object(k, sizes.get(k, 1), f"2024-01-{i + 1:02d}T00:00:00Z", '"e"', "STANDARD")
        for i, k in enumerate(keys)
    ]
    return ListPage(objs, list(prefixes))


def test_listing_folders_first_relative_names_and_marker_skipped():
    listing = Listing("b", "docs/")
    listing.add_page(page(["docs/", "docs/b.txt", "docs/a.txt"], ["docs/z/", "docs/m/"]))
    assert [e.name for e in listing.view()] == ["m/", "z/", "a.txt", "b.txt"]
    assert listing.view()[0].is_folder and listing.view()[0].key == "docs/m/"
    assert len(listing) == 4  # the zero-byte "docs/" marker is not a row


def test_filter_is_case_insensitive_substring_and_keeps_sort():
    listing = Listing("b")
    listing.add_page(
        page(
            ["March.pdf", "april.pdf", "summary-MARCH.csv"],
            sizes={"March.pdf": 30, "summary-MARCH.csv": 10},
        )
    )
    assert [e.name for e in listing.view("march")] == ["March.pdf", "summary-MARCH.csv"]
    assert [e.name for e in listing.view("march", "size")] == ["summary-MARCH.csv", "March.pdf"]
    assert [e.name for e in listing.view("MARCH", "size", True)] == [
        "March.pdf",
        "summary-MARCH.csv",
    ]
    assert listing.view("nothing") == []


def test_sort_by_date_and_reverse_name():
    listing = Listing("b")
    listing.add_page(page(["c", "a", "b"]))  # dates follow page order: c oldest
    assert [e.name for e in listing.view("", "date")] == ["c", "a", "b"]
    assert [e.name for e in listing.view("", "name", True)] == ["c", "b", "a"]


def test_views_are_recomputed_when_pages_arrive():
    listing = Listing("b")
    listing.add_page(page(["a"]))
    assert len(listing.view()) == 1
    listing.add_page(page(["b"]))
    assert [e.name for e in listing.view()] == ["a", "b"]


def test_filter_and_sort_100k_rows_is_interactive():
    listing = Listing("b", "big/")
    for start in range(0, 100_000, 1000):
        listing.add_page(page([f"big/{i:06d}-file.csv" for i in range(start, start + 1000)]))
    listing.view("", "size")  # warm the sort cache, as the first redraw does
    t0 = time.perf_counter()
    rows = listing.view("99", "size")
    elapsed = time.perf_counter() - t0
    assert len(rows) == sum("99" in f"{i:06d}-file.csv" for i in range(100_000))
    assert elapsed < 0.5  # a loose bound; bench/browser_bench.py measures the real figure


@pytest.mark.parametrize(
    ("prefix", "parent"), [("a/b/c/", "a/b/"), ("a/", ""), ("", ""), ("a//", "a/")]
)
def test_parent_prefix(prefix, parent):
    assert parent_prefix(prefix) == parent


def test_paths():
    assert parse_s3_path("s3://bkt/some/prefix/") == ("bkt", "some/prefix/")
    assert parse_s3_path("  S3://bkt  ") == ("bkt", "")
    assert parse_s3_path("bkt/x") == ("bkt", "x")
    target = parse_target("s3://bkt/reports/2024")
    assert (target.bucket, target.prefix) == ("bkt", "reports/2024/")
    for bad in ("", "s3://", "s3://UPPER CASE/x", "s3://a/"):
        with pytest.raises(ValueError):
            parse_target(bad)


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("plain.txt", "plain.txt"),
        ("esc\x1b[2Jx", "esc␛[2Jx"),
        ("nl\nx\ry\tz", "nl␊x␍y␉z"),
        ("nul\x00del\x7f", "nul␀del␡"),
        ("c1\x9bx", "c1<U+009B>x"),
        ("\u202etxt.exe", "<U+202E>txt.exe"),
        ("[bold]kept[/]", "[bold]kept[/]"),
        ("日本語 ü", "日本語 ü"),
    ],
)
def test_visible_makes_control_and_bidi_characters_visible(raw, shown):
    assert visible(raw) == shown


def test_human_size():
    assert [human_size(n) for n in (0, 1023, 1024, 1536, 5 * 2**20, 3 * 2**40)] == [
        "0 B",
        "1023 B",
        "1.0 KiB",
        "1.5 KiB",
        "5.0 MiB",
        "3.0 TiB",
    ]


def test_explanations_say_what_to_do():
    assert "permission" in explain(AccessDenied(403)).hint
    assert "mistyped" in explain(NoSuchBucket(404)).hint
    assert "endpoint URL" in explain(S3ConnectionError("refused")).hint
    assert "secret" in explain(SignatureDoesNotMatch(403)).hint
    assert "Correct the input" in explain(ValueError("bad")).hint
    assert explain(RuntimeError("boom")).title.startswith("Unexpected error")
