"""Test-wide fixtures: no network but 127.0.0.1, and data/figure folders in a temporary directory."""

from __future__ import annotations

import importlib.util
from urllib.parse import urlparse

import pytest
import requests

has_dvc = importlib.util.find_spec("dvc") is not None
requires_dvc = pytest.mark.skipif(not has_dvc, reason="needs dvc (pip install 'paperrepro[pipeline]')")
has_dask = importlib.util.find_spec("dask") is not None and importlib.util.find_spec("distributed") is not None
requires_dask = pytest.mark.skipif(not has_dask, reason="needs dask (pip install 'paperrepro[dask]')")

_LOCAL_HOSTS = {"127.0.0.1", "localhost"}


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
