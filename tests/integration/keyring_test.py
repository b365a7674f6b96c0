"""Profiles through the real OS keyring (gnome-keyring's Secret Service, started by
scripts/test), and the clear refusal when there is no keyring."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

import keyring
import pytest
from keyring.backends import fail

from s3tui.services import secrets
from s3tui.services.choose import choose_connection
from s3tui.services.profiles import Profile, ProfileStore
from s3tui.services.secrets import KeyringUnavailable


async def test_profile_round_trip_add_restart_use_remove(secret_service, seaweed, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text("[ui]\npage_size = 500\n")
    name = f"rt-{os.getpid()}"
    store = ProfileStore(config)
    profile = Profile(name, seaweed.access_key, seaweed.url, "us-east-1", "path")
    await asyncio.to_thread(store.save, profile, seaweed.secret_key, None)
    text = config.read_text()
    assert seaweed.secret_key not in text and seaweed.access_key in text
    assert "page_size = 500" in text  # other settings survive
    assert oct(config.stat().st_mode & 0o777) == "0o600"

    restarted = ProfileStore(config)  # a new process would read the same two places
    assert restarted.active == name
    conn = await asyncio.to_thread(choose_connection, None, {}, restarted)
    assert (conn.label, conn.secret_key) == (name, seaweed.secret_key)
    async with conn.client() as client:
        assert isinstance(await client.list_buckets(), list)

    await asyncio.to_thread(restarted.remove, name)
    assert await asyncio.to_thread(secrets.get_secret, name, "secret_access_key") is None
    assert name not in config.read_text()
    with pytest.raises(ValueError, match="no profile named"):
        restarted.connection(name)


def cli(args, env, stdin=""):
    return subprocess.run(
        [sys.executable, "-m", "s3tui", *args],
        input=stdin,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def cli_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env |= {
        "S3TUI_CONFIG": str(tmp_path / "config.toml"),
        "S3TUI_DATA_DIR": str(tmp_path),
        "HOME": str(tmp_path),
    }  # no ~/.aws here
    return env


def test_cli_profiles_through_the_keyring(secret_service, seaweed, cli_env, tmp_path):
    name = f"cli-{os.getpid()}"
    out = cli(
        [
            "profile",
            "add",
            name,
            "--access-key-id",
            seaweed.access_key,
            "--endpoint-url",
            seaweed.url,
        ],
        cli_env,
        seaweed.secret_key + "\n",
    )
    assert out.returncode == 0, out.stderr
    out = cli(["profile", "test", name], cli_env)
    assert out.returncode == 0 and "OK" in out.stdout, out.stderr
    out = cli(["profile", "list"], cli_env)
    assert f"* {name}\t{seaweed.url}" in out.stdout
    out = cli(["presign", "--profile", name, "s3://some-bucket/k.txt"], cli_env)
    assert out.returncode == 0 and out.stdout.startswith(seaweed.url)
    for stream in (out.stdout, out.stderr):
        assert seaweed.secret_key not in stream
    assert seaweed.secret_key not in (tmp_path / "config.toml").read_text()
    out = cli(["profile", "remove", name], cli_env)
    assert out.returncode == 0
    assert cli(["profile", "test", name], cli_env).returncode == 2


def test_import_from_aws_files(secret_service, cli_env, tmp_path):
    (tmp_path / ".aws").mkdir()
    (tmp_path / ".aws" / "credentials").write_text(
        "[imp-a]\naws_access_key_id = AKIDA\naws_secret_access_key = import-secret-a\n"
    )
    (tmp_path / ".aws" / "config").write_text(
        "[profile imp-a]\nregion = eu-north-1\nendpoint_url = http://minio:9000\n"
    )
    out = cli(["profile", "import", "imp-a", "--as", f"imported-{os.getpid()}"], cli_env)
    assert out.returncode == 0, out.stderr
    store = ProfileStore(tmp_path / "config.toml")
    conn = store.connection(f"imported-{os.getpid()}")
    assert (conn.access_key, conn.secret_key, conn.region, conn.endpoint_url) == (
        "AKIDA",
        "import-secret-a",
        "eu-north-1",
        "http://minio:9000",
    )
    assert "import-secret-a" not in (tmp_path / "config.toml").read_text()
    store.remove(f"imported-{os.getpid()}")


def test_no_keyring_is_a_clear_refusal_and_nothing_is_written(cli_env, tmp_path):
    env = cli_env | {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    out = cli(["profile", "add", "nokr", "--access-key-id", "AKID"], env, "plain-secret-xyz\n")
    assert out.returncode == 3
    assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr
    for fix in ("gnome-keyring", "keyrings.alt", "AWS_ACCESS_KEY_ID"):
        assert fix in out.stderr
    assert not (tmp_path / "config.toml").exists()
    leftovers = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert all(b"plain-secret-xyz" not in p.read_bytes() for p in leftovers)


def test_no_keyring_in_the_services(monkeypatch):
    monkeypatch.setattr(keyring.core, "_keyring_backend", fail.Keyring())
    with pytest.raises(KeyringUnavailable, match="No usable keyring"):
        secrets.set_secret("p", "secret_access_key", "s")


def test_import_from_environment(secret_service, cli_env, tmp_path):
    name = f"fromenv-{os.getpid()}"
    env = cli_env | {
        "AWS_ACCESS_KEY_ID": "AKIDENV",
        "AWS_SECRET_ACCESS_KEY": "env-secret-123",
        "AWS_REGION": "eu-south-1",
        "AWS_ENDPOINT_URL": "http://ceph:7480",
    }
    out = cli(["profile", "import", "--from-env", "--as", name], env)
    assert out.returncode == 0, out.stderr
    store = ProfileStore(tmp_path / "config.toml")
    conn = store.connection(name)
    assert (conn.access_key, conn.secret_key, conn.region, conn.endpoint_url) == (
        "AKIDENV",
        "env-secret-123",
        "eu-south-1",
        "http://ceph:7480",
    )
    assert "env-secret-123" not in (tmp_path / "config.toml").read_text()
    store.remove(name)
    assert cli(["profile", "import", "--from-env"], cli_env).returncode == 2  # nothing set


def test_cloudfront_private_key_in_the_keyring(secret_service, cli_env, tmp_path):
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    from s3tui.services.cloudfront import CloudFrontConfig, _key_from_keyring, signed_url

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    name = f"cdn{os.getpid()}"
    assert cli(["profile", "cloudfront-key", name], cli_env, "not a key").returncode == 2
    out = cli(["profile", "cloudfront-key", name], cli_env, pem)
    assert out.returncode == 0, out.stderr
    _key_from_keyring.cache_clear()
    cf = CloudFrontConfig(name, "d1.cloudfront.net", "b", "KID", private_key_path="keyring")
    from datetime import UTC, datetime

    url = signed_url(
        "https://d1.cloudfront.net/a.jpg",
        "KID",
        cf.load_private_key(),
        datetime(2030, 1, 1, tzinfo=UTC),
    )
    from urllib.parse import parse_qs, urlsplit

    from tests.unit.cloudfront_test import unb64

    q = parse_qs(urlsplit(url).query)
    policy = (
        b'{"Statement":[{"Resource":"https://d1.cloudfront.net/a.jpg","Condition":'
        b'{"DateLessThan":{"AWS:EpochTime":1893456000}}}]}'
    )
    key.public_key().verify(unb64(q["Signature"][0]), policy, padding.PKCS1v15(), hashes.SHA1())
    assert pem not in "".join(
        p.read_text(errors="replace") for p in tmp_path.rglob("*") if p.is_file()
    )
    assert cli(["profile", "cloudfront-key", name, "--remove"], cli_env).returncode == 0
    _key_from_keyring.cache_clear()
    import pytest as _pytest

    with _pytest.raises(ValueError, match="no private key for CloudFront"):
        cf.load_private_key()


async def test_serve_token_saved_in_the_keyring_drives_presign_managed(
    secret_service, serve, cli_env, tmp_path
):
    import asyncio
    import subprocess
    import sys

    db = str(serve.db)
    out = cli(
        ["serve", "--db", db, "--add-token", "carol", "--save", "--base-url", serve.url], cli_env
    )
    assert out.returncode == 0 and "in the keyring" in out.stdout, out.stderr
    config = (tmp_path / "config.toml").read_text()
    assert serve.url in config and "token" not in config.lower().replace("[server]", "")
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "s3tui",
        "presign",
        "--managed",
        f"s3://{serve.bucket}/reports/q1 résumé.pdf",
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=cli_env,
    )
    stdout, stderr = await proc.communicate()
    assert proc.returncode == 0, stderr.decode()
    assert stdout.decode().startswith(f"{serve.url}/s/")
    # the link belongs to carol, whose token only the keyring holds
    assert [x.owner for x in serve.server.links.list("carol")] == ["carol"]
