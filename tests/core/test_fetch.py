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
    with pytest.raises(DataError, match="corrupted or outdated"):
        fetch_module.fetch("rotational", "stale.npz")
