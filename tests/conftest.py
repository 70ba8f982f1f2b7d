"""Test-wide fixtures: no network but 127.0.0.1, data/figure folders in a temporary directory, the authors' mirror.

The authors' published files (``model_demo.pkl``, ``f1_perfFit.mat``, ``f5And6_*.mat``, their example images) are
read through the real pooch path with their registry hashes from the offline mirror folder: ``$PAPERREPRO_MIRROR`` as
set when the tests start (``.ci/run`` sets ``../shared/authors``; a relative path is relative to the project root),
else ``shared/authors`` beside the checkout. The isolation fixture removes the variable from every test's
environment; a test that compares with the authors asks for the ``authors_mirror`` fixture, which sets it again. It
skips without a mirror, except under CI (``CI`` set), where a missing mirror is an error.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from urllib.parse import urlparse

import pytest
import requests

has_dvc = importlib.util.find_spec("dvc") is not None
requires_dvc = pytest.mark.skipif(not has_dvc, reason="needs dvc (pip install 'paperrepro[pipeline]')")
has_dask = importlib.util.find_spec("dask") is not None and importlib.util.find_spec("distributed") is not None
requires_dask = pytest.mark.skipif(not has_dask, reason="needs dask (pip install 'paperrepro[dask]')")

_LOCAL_HOSTS = {"127.0.0.1", "localhost"}
_MIRROR_AT_START = os.environ.get("PAPERREPRO_MIRROR")


def authors_mirror_folder() -> Path | None:
    """The mirror of the authors' files (see the module docstring), or ``None``."""
    from paperrepro.core import paths

    root = paths.project_root()
    if _MIRROR_AT_START:
        folder = Path(_MIRROR_AT_START)
        return folder if folder.is_absolute() else root / folder
    beside = root.parent / "shared" / "authors"
    return beside if beside.is_dir() else None


@pytest.fixture
def authors_mirror(monkeypatch) -> Path:
    """Point the fetcher at the mirror of the authors' files (skip without one; fail under CI)."""
    folder = authors_mirror_folder()
    if folder is None or not folder.is_dir():
        message = "no mirror of the authors' files: set PAPERREPRO_MIRROR to a folder holding them"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    monkeypatch.setenv("PAPERREPRO_MIRROR", str(folder.resolve()))
    return folder.resolve()


@pytest.fixture(autouse=True)
def offline_and_isolated(request, tmp_path, monkeypatch):
    """Point data, figures and HOME at a temporary folder and refuse every HTTP request off this machine."""
    monkeypatch.setenv("PAPERREPRO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PAPERREPRO_FIGURES_DIR", str(tmp_path / "figures"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    if "network" in request.keywords:
        return
    monkeypatch.delenv("PAPERREPRO_MIRROR", raising=False)
    original_send = requests.adapters.HTTPAdapter.send

    def guarded_send(self, req, *args, **kwargs):
        host = urlparse(req.url).hostname
        if host not in _LOCAL_HOSTS:
            raise requests.ConnectionError(f"tests are offline: refused a request to {host}")
        return original_send(self, req, *args, **kwargs)

    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", guarded_send)
