"""The AWS conventions: environment and ~/.aws files, with the AWS CLI's precedence."""

from __future__ import annotations

import pytest

from s3tui.services.aws_files import aws_profiles, resolve

CREDENTIALS = """
[default]
aws_access_key_id = AKIDDEFAULT
aws_secret_access_key = default-secret

[work]
aws_access_key_id = AKIDWORK
aws_secret_access_key = work-secret
aws_session_token = work-token

[minio]
aws_access_key_id = minio-key
aws_secret_access_key = minio-secret
"""
CONFIG = """
[default]
region = eu-west-1

[profile work]
region = ap-southeast-2

[profile minio]
region = us-east-1
endpoint_url = http://minio.local:9000

[profile r2]
aws_access_key_id = r2-key
aws_secret_access_key = r2-secret
s3 =
    endpoint_url = https://acct.r2.cloudflarestorage.com
    addressing_style = path

[profile sso-only]
sso_start_url = https://example.awsapps.com/start
"""


@pytest.fixture
def home(tmp_path):
    (tmp_path / ".aws").mkdir()
    (tmp_path / ".aws" / "credentials").write_text(CREDENTIALS)
    (tmp_path / ".aws" / "config").write_text(CONFIG)
    return tmp_path


def test_profiles_from_both_files(home):
    profiles = aws_profiles({}, home)
    assert sorted(profiles) == ["default", "minio", "r2", "sso-only", "work"]
    assert profiles["work"]["region"] == "ap-southeast-2"
    assert profiles["work"]["aws_session_token"] == "work-token"


def test_default_profile_with_its_region(home):
    conn = resolve({}, None, home)
    assert (conn.label, conn.access_key, conn.secret_key, conn.region) == (
        "aws:default",
        "AKIDDEFAULT",
        "default-secret",
        "eu-west-1",
    )


def test_aws_profile_env_and_session_token(home):
    conn = resolve({"AWS_PROFILE": "work"}, None, home)
    assert (conn.access_key, conn.session_token, conn.region) == (
        "AKIDWORK",
        "work-token",
        "ap-southeast-2",
    )


def test_endpoint_urls_from_the_config(home):
    assert resolve({}, "minio", home).endpoint_url == "http://minio.local:9000"
    r2 = resolve({}, "r2", home)  # credentials may sit in the config file too
    assert (r2.access_key, r2.endpoint_url, r2.addressing_style) == (
        "r2-key",
        "https://acct.r2.cloudflarestorage.com",
        "path",
    )


def test_environment_keys_beat_aws_profile_but_not_an_explicit_profile(home):
    env = {
        "AWS_ACCESS_KEY_ID": "AKIDENV",
        "AWS_SECRET_ACCESS_KEY": "env-secret",
        "AWS_PROFILE": "work",
    }
    assert resolve(env, None, home).access_key == "AKIDENV"
    assert resolve(env, None, home).label == "environment"
    assert resolve(env, "minio", home).access_key == "minio-key"  # --profile is a CLI option


def test_region_and_endpoint_variables_win_over_the_profile(home):
    env = {
        "AWS_PROFILE": "minio",
        "AWS_DEFAULT_REGION": "sa-east-1",
        "AWS_ENDPOINT_URL": "http://generic:1",
        "AWS_ENDPOINT_URL_S3": "http://s3only:2",
    }
    conn = resolve(env, None, home)
    assert (conn.region, conn.endpoint_url) == ("sa-east-1", "http://s3only:2")
    env["AWS_REGION"] = "ca-central-1"
    assert resolve(env, None, home).region == "ca-central-1"


def test_missing_and_keyless_profiles(home):
    with pytest.raises(ValueError, match="no AWS profile named 'nope'"):
        resolve({}, "nope", home)
    assert resolve({}, "sso-only", home) is None
    assert resolve({}, None, home / "elsewhere") is None


def test_custom_file_locations(home, tmp_path):
    other = tmp_path / "creds"
    other.write_text("[default]\naws_access_key_id = X\naws_secret_access_key = Y\n")
    env = {"AWS_SHARED_CREDENTIALS_FILE": str(other), "AWS_CONFIG_FILE": str(tmp_path / "none")}
    conn = resolve(env, None, home)
    assert (conn.access_key, conn.region) == ("X", "us-east-1")
