"""Profiles in the app: first run, the form (test connection, save), the list, switching."""

from __future__ import annotations

import os

import keyring
import pytest
from keyring.backends import fail

from s3tui.__main__ import NO_CREDENTIALS
from s3tui.services.config import Settings
from s3tui.services.profiles import Profile, ProfileStore
from s3tui.ui.app import Services, build_app
from s3tui.ui.dialogs.profile_form import ProfileForm
from s3tui.ui.screens.buckets import BucketsScreen
from s3tui.ui.screens.profiles import ProfilesScreen
from tests.ui.conftest import SIZE, settle


def first_run_app(tmp_path):
    store = ProfileStore(tmp_path / "config.toml")
    return build_app(Settings(), Services(None, NO_CREDENTIALS, profiles=store)), store


def fill(form: ProfileForm, **values: str) -> None:
    for wid, value in values.items():
        form.query_one(f"#{wid}").value = value


async def test_first_run_form_tests_saves_and_opens_the_buckets(
    secret_service,
    seaweed,
    tmp_path,
):
    app, store = first_run_app(tmp_path)
    name = f"ui-{os.getpid()}"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ProfileForm)
        assert form.query_one("#secret").password  # masked
        fill(form, name=name, endpoint=seaweed.url, access=seaweed.access_key, secret="wrong")
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert "credentials were refused" in str(form.query_one("#result").render())
        fill(form, secret=seaweed.secret_key)
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert "✓ connected" in str(form.query_one("#result").render())
        await pilot.press("ctrl+s")
        await settle(pilot)
        await settle(pilot)
        assert isinstance(app.screen, BucketsScreen)
        assert app.services.connection.label == name and name in app.sub_title
    assert seaweed.secret_key not in (tmp_path / "config.toml").read_text()
    store.remove(name)


async def test_profile_list_switches_profiles(secret_service, seaweed, tmp_path):
    store = ProfileStore(tmp_path / "config.toml")
    names = [f"a-{os.getpid()}", f"b-{os.getpid()}"]
    for n in names:
        store.save(Profile(n, seaweed.access_key, seaweed.url), seaweed.secret_key)
    app = build_app(Settings(), Services(store.connection(names[0]), profiles=store))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("P")
        await pilot.pause()
        assert isinstance(app.screen, ProfilesScreen)
        assert [p.name for p in app.screen.profiles] == names
        await pilot.press("down", "enter")
        await settle(pilot)
        await settle(pilot)
        assert app.services.connection.label == names[1]
        assert isinstance(app.screen, BucketsScreen) and names[1] in app.sub_title
    assert store.active == names[1]
    for n in names:
        store.remove(n)


async def test_the_form_says_what_is_missing_without_a_keyring(tmp_path, monkeypatch):
    monkeypatch.setattr(keyring.core, "_keyring_backend", fail.Keyring())
    app, _ = first_run_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        fill(form, name="nokr", access="AKID", secret="plain-text-secret-123")
        await pilot.press("ctrl+s")
        await settle(pilot)
        text = str(form.query_one("#result").render())
        assert app.screen is form and "No usable keyring" in text and "gnome-keyring" in text
    assert not (tmp_path / "config.toml").exists()


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"name": "bad name!", "access": "A", "secret": "S"}, "profile name"),
        ({"name": "ok", "access": "", "secret": "S"}, "access key id is required"),
        ({"name": "ok", "access": "A", "endpoint": "minio:9000", "secret": "S"}, "endpoint must"),
    ],
)
async def test_bad_profile_input_is_explained(tmp_path, values, message):
    app, _ = first_run_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        fill(app.screen, **values)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert message in str(app.screen.query_one("#result").render())
