"""Only channel secrets can be named by a channel account, and they are read fresh."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.notifications.secrets import check_secret_ref, resolve_secret


def test_only_channel_variables_and_files_in_the_channel_folder_may_be_named() -> None:
    folder = Path("/etc/kohtaamo/channels")
    assert check_secret_ref("env:KOHTAAMO_CHANNEL_KANTTI_FACEBOOK", folder) is None
    assert check_secret_ref("file:/etc/kohtaamo/channels/facebook", folder) is None
    for ref in ("env:KOHTAAMO_JWT_SECRET", "env:KOHTAAMO_CHANNEL_", "env:kohtaamo_channel_x",
                "file:/etc/kohtaamo/channels/../../shadow", "file:/etc/kohtaamo/channels",
                "file:relative/facebook", "file:/etc/kohtaamo/channels/sub/facebook",
                "facebook-token", ""):
        assert check_secret_ref(ref, folder) is not None, ref


def test_a_token_is_read_from_the_variable_or_the_file_each_time(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KOHTAAMO_CHANNEL_TEST", "from-env")
    assert resolve_secret("env:KOHTAAMO_CHANNEL_TEST", tmp_path) == "from-env"
    token = tmp_path / "mastodon"
    token.write_text("first\n")
    assert resolve_secret(f"file:{token}", tmp_path) == "first"
    token.write_text("rotated")
    assert resolve_secret(f"file:{token}", tmp_path) == "rotated"
    with pytest.raises(LookupError, match="not set"):
        resolve_secret("env:KOHTAAMO_CHANNEL_MISSING", tmp_path)
    with pytest.raises(LookupError, match="not there"):
        resolve_secret(f"file:{tmp_path / 'missing'}", tmp_path)


def test_a_link_out_of_the_folder_is_not_followed(tmp_path: Path) -> None:
    folder, outside = tmp_path / "channels", tmp_path / "server-secret"
    folder.mkdir()
    outside.write_text("the JWT key")
    (folder / "facebook").symlink_to(outside)
    with pytest.raises(LookupError):
        resolve_secret(f"file:{folder / 'facebook'}", folder)
    # A mounted Kubernetes Secret links inside its own folder: that is followed.
    (folder / "..data").mkdir()
    (folder / "..data" / "token").write_text("k8s")
    (folder / "mastodon").symlink_to(folder / "..data" / "token")
    assert resolve_secret(f"file:{folder / 'mastodon'}", folder) == "k8s"
