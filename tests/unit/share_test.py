"""Share rules without a server: names, types, lifetimes, formats, history, QR, clipboard."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from s3tui.s3 import S3Client
from s3tui.services.clipboard import copy_to_system
from s3tui.services.expiry import (
    ExpiryRules,
    check_link_expiry,
    describe,
    parse_duration,
)
from s3tui.services.history import MIGRATIONS, ShareHistory
from s3tui.services.share import (
    Kind,
    ShareOptions,
    content_disposition,
    curl_command,
    format_links,
    guess_type,
    make_link,
    parse_size,
    sanitize_upload_name,
)

NOW = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)
CLIENT = S3Client("AKIDEXAMPLE", "secret-example", region="eu-west-1")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("photo.jpg", "photo.jpg"),
        ("../../etc/passwd", "_._etc_passwd"),
        ("a/b\\c.txt", "a_b_c.txt"),
        ("con.txt", "_con.txt"),
        ("LPT1", "_LPT1"),
        ("  .hidden  ", "hidden"),
        ("bad\x00\x1b[2Jname?.txt", "bad__[2Jname_.txt"),
        ('q"<>|*:.txt', "q______.txt"),
        ("Cafe\u0301.txt", "Café.txt"),  # NFC
        ("report...final..pdf", "report.final.pdf"),
    ],
)
def test_upload_names_are_sanitised(typed, expected):
    name = sanitize_upload_name(typed)
    assert name == expected
    assert "/" not in name and "\\" not in name and ".." not in name


def test_overlong_names_keep_their_extension_within_200_bytes():
    name = sanitize_upload_name("é" * 300 + ".pdf")
    assert name.endswith(".pdf") and len(name.encode()) <= 200


@pytest.mark.parametrize("typed", ["", "   ", "..", "/", "\x00\x01"])
def test_unusable_names_are_refused(typed):
    with pytest.raises(ValueError, match="not usable as a file name"):
        sanitize_upload_name(typed)


def test_types_and_sizes():
    assert guess_type("a.pdf") == "application/pdf"
    assert guess_type("photo.JPG") == "image/jpeg"
    assert guess_type("noext") == "application/octet-stream"
    assert [parse_size(s) for s in ("10MB", "512k", "1GiB", "2048", "1.5m")] == [
        10 * 2**20,
        512 * 2**10,
        2**30,
        2048,
        int(1.5 * 2**20),
    ]
    with pytest.raises(ValueError, match="as a size"):
        parse_size("lots")


def test_content_disposition_rfc6266():
    assert content_disposition("report.pdf") == 'attachment; filename="report.pdf"'
    assert content_disposition("report.pdf", inline=True) == 'inline; filename="report.pdf"'
    value = content_disposition('résumé "final".pdf')
    assert value == (
        "attachment; filename=\"resume 'final'.pdf\"; "
        "filename*=UTF-8''r%C3%A9sum%C3%A9%20%22final%22.pdf"
    )
    assert "\n" not in content_disposition("a\nb.txt")


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("90m", 5400),
        ("2h", 7200),
        ("3d", 259200),
        ("1w", 604800),
        ("1h30m", 5400),
        ("45s", 45),
        ("3600", 3600),
        (" 2 H ", 7200),
    ],
)
def test_durations(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "soon", "2x", "h", "0", "1h-2m"])
def test_bad_durations_say_why(text):
    with pytest.raises(ValueError):
        parse_duration(text)


def test_more_than_seven_days_is_refused_with_the_reason():
    assert check_link_expiry(604800) == 604800
    with pytest.raises(ValueError, match=r"longer than 7 days.*SigV4"):
        check_link_expiry(parse_duration("8d"))
    assert describe(5400) == "1h30m" and describe(604800) == "7d"


def test_expiry_rules_by_type():
    rules = ExpiryRules()  # the seed's: .pdf 48 h, .png 7 d, else 24 h
    assert rules.for_key("reports/2024/january.PDF") == 48 * 3600
    assert rules.for_key("images/chart1.png") == 7 * 86400
    assert rules.for_key("data/raw-data.csv") == 24 * 3600
    custom = ExpiryRules.from_mapping({"default": "1h", "csv": "2h", ".mp4": "15m"})
    assert (custom.for_key("x.csv"), custom.for_key("x.mp4"), custom.for_key("x.pdf")) == (
        7200,
        900,
        3600,
    )
    with pytest.raises(ValueError, match="longer than 7 days"):
        ExpiryRules.from_mapping({"default": "30d"})


def link_for(key: str, **options):
    return make_link(CLIENT, "report-sharing", key, ShareOptions(**options), now=NOW)


def test_links_know_what_they_allow_and_when_they_end():
    link = link_for("reports/2024/january.pdf", expires_in=3600)
    assert link.method == "GET" and link.expires_at == NOW + timedelta(hours=1)
    assert "download january.pdf" in link.allows
    up = link_for("uploads/photo.jpg", kind=Kind.UPLOAD, expires_in=600)
    assert up.method == "PUT" and up.headers == {"Content-Type": "image/jpeg"}
    assert parse_qs(urlsplit(up.url).query)["X-Amz-SignedHeaders"] == ["content-type;host"]
    form = link_for("uploads/a.pdf", kind=Kind.UPLOAD_FORM, max_size=1000)
    policy = json.loads(__import__("base64").b64decode(form.form_fields["policy"]))
    assert ["content-length-range", 0, 1000] in policy["conditions"]
    assert {"Content-Type": "application/pdf"} in policy["conditions"]


def test_download_options_become_response_overrides():
    link = link_for(
        "docs/résumé.pdf",
        download_name="CV.pdf",
        content_type="application/x-pdf",
        cache_control="no-store",
    )
    q = parse_qs(urlsplit(link.url).query)
    assert q["response-content-disposition"] == ['attachment; filename="CV.pdf"']
    assert q["response-content-type"] == ["application/x-pdf"]
    assert q["response-cache-control"] == ["no-store"]


def test_temporary_credentials_warn():
    temp = S3Client("ASIAEXAMPLE", "s", session_token="token")
    link = make_link(temp, "b-b", "k.txt", ShareOptions(), now=NOW)
    assert "temporary credentials" in link.warning


def test_curl_commands():
    get = curl_command(link_for("reports/a b.pdf"))
    assert get.startswith("curl -fL -o 'a b.pdf' 'https://")
    put = curl_command(link_for("up/x.png", kind=Kind.UPLOAD))
    assert "-X PUT -H 'Content-Type: image/png' --upload-file x.png" in put
    post = curl_command(link_for("up/x.png", kind=Kind.UPLOAD_FORM, max_size=10))
    assert "-F policy=" in post and post.count("-F ") == 8


def test_batch_formats_are_golden():
    links = [
        link_for("reports/a.pdf", expires_in=48 * 3600),
        link_for("images/b|c.png", expires_in=7 * 86400),
    ]
    lines = format_links(links, "lines")
    assert lines.splitlines() == [links[0].url, links[1].url]
    data = json.loads(format_links(links, "json"))
    assert data["reports/a.pdf"] == {
        "url": links[0].url,
        "expires_in_hours": 48,
        "expires_at": "2026-03-03T12:00:00+00:00",
    }
    assert data["images/b|c.png"]["expires_in_hours"] == 168
    rows = list(csv.reader(io.StringIO(format_links(links, "csv"))))
    assert rows[0] == ["key", "url", "expires_at", "expires_in"]
    assert rows[2] == ["images/b|c.png", links[1].url, "2026-03-08T12:00:00+00:00", "7d"]
    md = format_links(links, "markdown").splitlines()
    assert md[:2] == ["| file | link | expires |", "|---|---|---|"]
    assert md[3] == f"| b\\|c.png | [download](<{links[1].url}>) | 2026-03-08 12:00 UTC |"
    with pytest.raises(ValueError, match="unknown format"):
        format_links(links, "yaml")


def test_history_ledger(tmp_path):
    path = tmp_path / "sub" / "history.sqlite3"
    history = ShareHistory(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    old = make_link(
        CLIENT, "b-b", "old.txt", ShareOptions(expires_in=60), now=NOW - timedelta(days=40)
    )
    soon = make_link(CLIENT, "b-b", "soon.txt", ShareOptions(expires_in=600), now=NOW)
    later = make_link(CLIENT, "b-b", "later.txt", ShareOptions(expires_in=86400), now=NOW)
    temp = S3Client("ASIA", "s", session_token="SECRET-SESSION-TOKEN")
    tokened = make_link(temp, "b-b", "t.txt", ShareOptions(expires_in=3600), now=NOW)
    for link in (old, later, soon, tokened):
        history.record(link, "work")
    entries = history.entries(now=NOW)
    assert [e.key for e in entries] == ["soon.txt", "t.txt", "later.txt", "old.txt"]
    assert entries[0].seconds_left(NOW) == 600 and entries[-1].seconds_left(NOW) < 0
    by_key = {e.key: e for e in entries}
    assert by_key["later.txt"].url == later.url and by_key["later.txt"].reusable
    assert not by_key["t.txt"].reusable and "SECRET-SESSION-TOKEN" not in by_key["t.txt"].url
    history.close()
    assert b"SECRET-SESSION-TOKEN" not in path.read_bytes()
    reopened = ShareHistory(path)  # migrations are not run twice
    assert reopened.db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS) == 2
    assert reopened.purge_expired(older_than=30 * 86400, now=NOW) == 1
    assert len(reopened.entries(now=NOW)) == 3


def test_qr_rendering_round_trips_to_the_symbol():
    import segno

    from s3tui.ui.dialogs.qr import qr_lines

    data = link_for("reports/2024/january.pdf").url
    lines = qr_lines(data)
    bits = {" ": (0, 0), "▀": (1, 0), "▄": (0, 1), "█": (1, 1)}
    rows = []
    for line in lines:
        rows.append([bits[c][0] for c in line])
        rows.append([bits[c][1] for c in line])
    expected = [list(r) for r in segno.make(data, error="l", micro=False).matrix]
    got = [r[2:-2] for r in rows[2 : 2 + len(expected)]]
    assert got == expected
    assert all(set(r) == {0} for r in rows[:2])  # quiet zone


def test_clipboard_without_a_display_says_why(monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    result = copy_to_system("hello")
    assert not result.ok and result.reason


def test_a_version_1_ledger_is_migrated_with_its_links_kept(tmp_path):
    import sqlite3

    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path)  # the ledger as the first release left it
    db.executescript(MIGRATIONS[0])
    db.execute(
        "INSERT INTO links (bucket, key, kind, variant, method, url, created_at, expires_at) "
        "VALUES ('b-b', 'k.txt', 'download', 's3', 'GET', 'https://x/k.txt', 1, 2)"
    )
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    history = ShareHistory(path)
    assert history.db.execute("PRAGMA user_version").fetchone()[0] == 2
    assert [e.key for e in history.entries(now=NOW)] == ["k.txt"]
    assert history.db.execute("SELECT count(*) FROM managed_links").fetchone()[0] == 0
    history.close()
