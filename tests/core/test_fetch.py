"""The real pooch download path against a local HTTP server on 127.0.0.1."""

import hashlib
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from paperrepro.core import fetch as fetch_module
from paperrepro.core.errors import DataError

GOOD = b"weights of a tiny network\n" * 100


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def server(tmp_path):
    served = tmp_path / "served"
    served.mkdir()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(served)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield served, f"http://127.0.0.1:{httpd.server_address[1]}", httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def registry(tmp_path, monkeypatch, server):
    served, base, _ = server
    (served / "good.bin").write_bytes(GOOD)
    (served / "corrupt.bin").write_bytes(GOOD + b"tampered")
    digest = hashlib.sha256(GOOD).hexdigest()
    paper_dir = tmp_path / "pkg" / "rotational"
    paper_dir.mkdir(parents=True)
    (paper_dir / "registry.txt").write_text(
        f"good.bin sha256:{digest} {base}/good.bin\n"
        f"corrupt.bin sha256:{digest} {base}/corrupt.bin\n"
        f"missing.bin sha256:{digest} {base}/missing.bin  # not on the server\n"
    )
    monkeypatch.setattr(fetch_module.paths, "paper_dir", lambda paper: tmp_path / "pkg" / paper)
    return served


def test_good_file_is_downloaded_and_then_served_from_the_cache(registry, server):
    path = fetch_module.fetch("rotational", "good.bin")
    assert path.read_bytes() == GOOD
    assert path.parent == fetch_module.download_dir("rotational")
    server[2].shutdown()  # the server is gone: the cached file is still returned
    assert fetch_module.fetch("rotational", "good.bin") == path


def test_corrupt_file_is_rejected_and_nothing_is_left(registry):
    with pytest.raises(DataError, match="corrupted or outdated"):
        fetch_module.fetch("rotational", "corrupt.bin")
    folder = fetch_module.download_dir("rotational")
    assert not folder.exists() or not any(folder.iterdir())


def test_missing_file_names_the_file_and_the_way_out(registry):
    with pytest.raises(DataError, match="missing.bin.*PAPERREPRO_MIRROR"):
        fetch_module.fetch("rotational", "missing.bin")


def test_unregistered_name_lists_the_registered_ones(registry):
    with pytest.raises(DataError, match="registered files: corrupt.bin, good.bin, missing.bin"):
        fetch_module.fetch("rotational", "other.bin")


def test_mirror_folder_works_offline_and_is_hash_checked(registry, tmp_path, monkeypatch):
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / "good.bin").write_bytes(GOOD)
    (mirror / "corrupt.bin").write_bytes(b"wrong")
    monkeypatch.setenv("PAPERREPRO_MIRROR", str(mirror))
    assert fetch_module.fetch("rotational", "good.bin").read_bytes() == GOOD
    with pytest.raises(DataError, match="corrupted"):
        fetch_module.fetch("rotational", "corrupt.bin")
    with pytest.raises(DataError, match="not in the mirror"):
        fetch_module.fetch("rotational", "missing.bin")


def test_other_hosts_are_refused_in_tests():
    import requests

    with pytest.raises(requests.ConnectionError, match="offline"):
        requests.get("https://example.org/", timeout=1)


def test_committed_files_are_copied_and_hash_checked(tmp_path, monkeypatch):
    paper_dir = tmp_path / "pkg" / "rotational"
    (paper_dir / "pinned").mkdir(parents=True)
    (paper_dir / "pinned" / "weights.npz").write_bytes(GOOD)
    (paper_dir / "pinned" / "stale.npz").write_bytes(b"old")
    digest = hashlib.sha256(GOOD).hexdigest()
    (paper_dir / "registry.txt").write_text(f"weights.npz sha256:{digest} committed\nstale.npz sha256:{digest} committed\n")
    monkeypatch.setattr(fetch_module.paths, "paper_dir", lambda paper: tmp_path / "pkg" / paper)
    assert fetch_module.fetch("rotational", "weights.npz").read_bytes() == GOOD
    with pytest.raises(DataError, match="committed file .*stale.npz is corrupted or was changed"):
        fetch_module.fetch("rotational", "stale.npz")


def _committed_registry(tmp_path, monkeypatch, content: bytes, git: bool):
    checkout = tmp_path / "checkout"
    paper_dir = checkout / "paperrepro" / "rotational"
    (paper_dir / "pinned").mkdir(parents=True)
    if git:
        (checkout / ".git").mkdir()
    (paper_dir / "pinned" / "bundle.nc").write_bytes(content)
    (paper_dir / "registry.txt").write_text(f"bundle.nc sha256:{hashlib.sha256(GOOD).hexdigest()} committed\n")
    monkeypatch.setattr(fetch_module.paths, "paper_dir", lambda paper: checkout / "paperrepro" / paper)
    monkeypatch.setattr(fetch_module.paths, "PACKAGE_DIR", checkout / "paperrepro")
    return paper_dir / "pinned" / "bundle.nc"


def test_corrupted_committed_file_says_restore_it_from_git(tmp_path, monkeypatch):
    pinned = _committed_registry(tmp_path, monkeypatch, GOOD[:-1] + b"X", git=True)
    with pytest.raises(DataError) as info:
        fetch_module.fetch("rotational", "bundle.nc")
    message = str(info.value)
    assert message == (
        "the committed file paperrepro/rotational/pinned/bundle.nc is corrupted or was changed (its hash "
        "differs from paperrepro/rotational/registry.txt); restore it with "
        "`git checkout -- paperrepro/rotational/pinned/bundle.nc`"
    )
    assert "retrain" not in message
    pinned.unlink()
    with pytest.raises(DataError, match="committed file .* is missing; restore it with `git checkout -- "):
        fetch_module.fetch("rotational", "bundle.nc")


def test_corrupted_committed_file_outside_git_says_reinstall(tmp_path, monkeypatch):
    _committed_registry(tmp_path, monkeypatch, b"truncated", git=False)
    with pytest.raises(DataError, match=r"is corrupted or was changed .*; reinstall paperrepro"):
        fetch_module.fetch("rotational", "bundle.nc")


def test_bad_mirror_file_is_named_with_its_path(registry, tmp_path, monkeypatch):
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / "good.bin").write_bytes(b"an older version")
    monkeypatch.setenv("PAPERREPRO_MIRROR", str(mirror))
    with pytest.raises(DataError) as info:
        fetch_module.fetch("rotational", "good.bin")
    message = str(info.value)
    assert message.startswith(f"the mirror file {mirror / 'good.bin'} is corrupted or outdated")
    assert "replace it with the file from http://127.0.0.1:" in message and "unset PAPERREPRO_MIRROR" in message


def test_corrupted_cache_is_replaced_or_named(registry, server):
    cached = fetch_module.fetch("rotational", "good.bin")
    cached.write_bytes(b"bit rot")
    assert fetch_module.fetch("rotational", "good.bin").read_bytes() == GOOD  # re-fetched while the server is up
    cached.write_bytes(b"bit rot")
    server[2].shutdown()
    with pytest.raises(DataError, match=f"the cached copy {cached} is corrupted .* could not be replaced; could not fetch"):
        fetch_module.fetch("rotational", "good.bin")


def test_mirror_uses_registry_names_when_the_url_is_escaped(tmp_path, monkeypatch):
    paper_dir = tmp_path / "pkg" / "rotational"
    paper_dir.mkdir(parents=True)
    digest = hashlib.sha256(GOOD).hexdigest()
    (paper_dir / "registry.txt").write_text(f"a_1_2.png sha256:{digest} https://example.org/a_%281%2C%202%29.png\n")
    monkeypatch.setattr(fetch_module.paths, "paper_dir", lambda paper: tmp_path / "pkg" / paper)
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / "a_1_2.png").write_bytes(GOOD)
    assert fetch_module.fetch("rotational", "a_1_2.png", mirror=mirror).read_bytes() == GOOD
