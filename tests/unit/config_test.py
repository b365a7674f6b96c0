"""Settings from TOML, and credentials from the AWS environment variables."""

from __future__ import annotations

import pytest

from s3tui.services.aws_files import resolve
from s3tui.services.config import Settings, config_path


def test_missing_file_gives_defaults(tmp_path):
    settings = Settings.load(tmp_path / "absent.toml")
    assert settings.page_size == 1000 and settings.keymap == {}


def test_values_are_read_and_bad_ones_ignored(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(
        '[ui]\npage_size = 250\ntheme = "nord"\n[keymap]\n"objects.sort" = "s"\n"objects.bad" = 3\n'
    )
    settings = Settings.load(path)
    assert (settings.page_size, settings.theme) == (250, "nord")
    assert settings.keymap == {"objects.sort": "s"}
    path.write_text("[ui]\npage_size = 5000\n")
    assert Settings.load(path).page_size == 1000


def test_broken_file_is_a_clear_error(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("[ui\npage_size = ")
    with pytest.raises(ValueError, match=r"cannot read settings from .*config\.toml"):
        Settings.load(path)


def test_config_path_override(monkeypatch, tmp_path):
    monkeypatch.setenv("S3TUI_CONFIG", str(tmp_path / "x.toml"))
    assert config_path() == tmp_path / "x.toml"


def test_environment_credentials(tmp_path):
    def from_environment(env):  # the variables alone: a home without ~/.aws
        return resolve(env, None, tmp_path)

    assert from_environment({}) is None
    assert from_environment({"AWS_ACCESS_KEY_ID": "AK"}) is None
    conn = from_environment(
        {
            "AWS_ACCESS_KEY_ID": "AK",
            "AWS_SECRET_ACCESS_KEY": "very-secret",
            "AWS_SESSION_TOKEN": "tok",
            "AWS_DEFAULT_REGION": "eu-west-3",
            "AWS_ENDPOINT_URL": "http://minio:9000",
            "AWS_ENDPOINT_URL_S3": "http://s3only:9000",
        }
    )
    assert (conn.access_key, conn.region, conn.endpoint_url, conn.session_token) == (
        "AK",
        "eu-west-3",
        "http://s3only:9000",
        "tok",
    )
    assert "very-secret" not in repr(conn) and "tok" not in repr(conn)
    conn = from_environment(
        {
            "AWS_ACCESS_KEY_ID": "AK",
            "AWS_SECRET_ACCESS_KEY": "S",
            "AWS_REGION": "ap-south-1",
            "AWS_DEFAULT_REGION": "x",
        }
    )
    assert conn.region == "ap-south-1" and conn.endpoint_url is None
