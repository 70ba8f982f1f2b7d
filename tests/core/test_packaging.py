"""The wheel (a non-editable ``pip install .``) holds every file the figures read, and the ``paperrepro`` script."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import sys
import zipfile

import pytest

from paperrepro import PAPERS
from paperrepro.core import paths
from paperrepro.core.fetch import COMMITTED, read_registry

ROOT = paths.PACKAGE_DIR.parent


def tracked_package_files() -> list[str]:
    """Files of ``paperrepro/`` under version control (the sources of a clean checkout)."""
    out = subprocess.run(["git", "ls-files", "paperrepro"], cwd=ROOT, capture_output=True, text=True)
    if out.returncode != 0 or not out.stdout.strip():
        pytest.skip("not a git checkout: the tracked files are unknown")
    return [line for line in out.stdout.splitlines() if (ROOT / line).is_file()]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """Build the wheel from a copy of the sources (the checkout gets no build/ or egg-info folders)."""
    src = tmp_path_factory.mktemp("src")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    shutil.copytree(ROOT / "paperrepro", src / "paperrepro", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    out = src / "dist"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "--no-build-isolation", "-q", "-w", str(out)],
        cwd=src,
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stderr
    (path,) = out.glob("paperrepro-*.whl")
    with zipfile.ZipFile(path) as archive:
        # every member by name; the contents of the small metadata files only
        return {name: archive.read(name) if name.endswith(".dist-info/entry_points.txt") else b"" for name in archive.namelist()}


def test_wheel_holds_every_tracked_package_file(wheel):
    missing = [name for name in tracked_package_files() if name not in wheel]
    assert missing == []


def test_wheel_holds_the_pinned_bundles_registries_and_references(wheel):
    for paper in PAPERS:
        assert f"paperrepro/{paper}/__init__.py" in wheel
        for name, (_, url) in read_registry(paper).items():
            if url == COMMITTED:
                assert f"paperrepro/{paper}/pinned/{name}" in wheel
        if (paths.paper_dir(paper) / "registry.txt").is_file():
            assert f"paperrepro/{paper}/registry.txt" in wheel
        for yaml_file in (paths.paper_dir(paper) / "reference").glob("*.yaml"):
            assert f"paperrepro/{paper}/reference/{yaml_file.name}" in wheel
    pinned = [name for name in wheel if "/pinned/" in name and name.endswith(".nc")]
    assert len(pinned) >= 3  # maturation's stage checkpoints, accuracy's 8- and 360-location bundles


def test_wheel_installs_the_paperrepro_script(wheel):
    (name,) = [n for n in wheel if n.endswith(".dist-info/entry_points.txt")]
    entry_points = configparser.ConfigParser()
    entry_points.read_string(wheel[name].decode())
    assert entry_points["console_scripts"]["paperrepro"] == "paperrepro.__main__:main"
