"""`python -m paperrepro`: listing, verify on a copy of the committed outputs, and the paper CLIs' error paths."""

import shutil
import subprocess
import sys

import pytest

from paperrepro import PAPERS
from paperrepro.__main__ import main
from paperrepro.core import paths

ROOT = paths.PACKAGE_DIR.parent


@pytest.fixture
def project(tmp_path, monkeypatch):
    root = tmp_path / "project"
    root.mkdir()
    for name in ("dvc.yaml", "dvc.lock", "params.yaml"):
        shutil.copy(ROOT / name, root / name)
    shutil.copytree(ROOT / "figures", root / "figures", ignore=shutil.ignore_patterns("*.provenance.json", "*.html"))
    for pinned in ROOT.glob("paperrepro/*/pinned"):  # the training stages' outputs, also in dvc.lock
        shutil.copytree(pinned, root / pinned.relative_to(ROOT))
    monkeypatch.setenv("PAPERREPRO_ROOT", str(root))
    return root


def test_lists_every_paper(capsys):
    assert main([]) == 0
    out = capsys.readouterr().out
    assert all(paper in out for paper in PAPERS)


def test_verify_passes_then_names_a_changed_byte(project, capsys):
    assert main(["verify"]) == 0
    target = sorted((project / "figures").rglob("*.nc"))[0]
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 1
    target.write_bytes(bytes(data))
    assert main(["verify"]) == 1
    assert f"MISMATCH {target.relative_to(project).as_posix()}" in capsys.readouterr().out


def test_dvc_yaml_check_and_fetch_errors(project, capsys):
    assert main(["dvc-yaml", "--check"]) == 0
    assert main(["fetch", "--paper", "rotational", "--mirror", str(project / "empty")]) == 1
    assert "PAPERREPRO_MIRROR" in capsys.readouterr().err


@pytest.mark.parametrize("paper", [p for p in PAPERS if (paths.PACKAGE_DIR / p / "__main__.py").is_file()])
def test_paper_cli_lists_figures_and_rejects_unknown_ones(paper):
    listing = subprocess.run([sys.executable, "-m", f"paperrepro.{paper}"], capture_output=True, text=True, cwd=ROOT)
    assert listing.returncode == 0 and "figures" in listing.stdout
    bad = subprocess.run([sys.executable, "-m", f"paperrepro.{paper}", "nofig"], capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 2 and "valid figures:" in bad.stderr
