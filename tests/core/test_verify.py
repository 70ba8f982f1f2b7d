import hashlib

import pytest
import yaml

from paperrepro.core.errors import CheckError
from paperrepro.core.verify import dir_md5, verify


@pytest.fixture
def project(tmp_path):
    out = tmp_path / "figures"
    out.mkdir()
    (out / "a.png").write_bytes(b"png bytes")
    (out / "a.nc").write_bytes(b"nc bytes")
    (tmp_path / "dvc.yaml").write_text(
        yaml.safe_dump(
            {
                "stages": {
                    "p-a": {
                        "cmd": "x",
                        "outs": [{"figures/a.png": {"cache": False}}, {"figures/a.nc": {"cache": False}}, "data/ckpt.pt"],
                    }
                }
            }
        )
    )

    def entry(path):
        data = (tmp_path / path).read_bytes()
        return {"path": path, "hash": "md5", "md5": hashlib.md5(data).hexdigest(), "size": len(data)}

    lock = {
        "schema": "2.0",
        "stages": {
            "p-a": {
                "cmd": "x",
                "outs": [
                    entry("figures/a.png"),
                    entry("figures/a.nc"),
                    {"path": "data/ckpt.pt", "hash": "md5", "md5": "0" * 32, "size": 3},
                ],
            }
        },
    }
    (tmp_path / "dvc.lock").write_text(yaml.safe_dump(lock))
    return tmp_path


def test_untouched_outputs_verify_and_absent_cached_outputs_are_skipped(project):
    outcomes = verify(project)
    assert [o.status for o in outcomes] == ["ok", "ok", "skipped"]


def test_one_changed_byte_is_named(project):
    path = project / "figures" / "a.nc"
    data = bytearray(path.read_bytes())
    data[0] ^= 1
    path.write_bytes(bytes(data))
    failed = [o for o in verify(project) if o.failed]
    assert [(o.path, o.status) for o in failed] == [("figures/a.nc", "md5")]


def test_missing_figure_output_fails(project):
    (project / "figures" / "a.png").unlink()
    assert [(o.path, o.status) for o in verify(project) if o.failed] == [("figures/a.png", "missing")]


def test_lock_from_dvc2_is_refused(project):
    (project / "dvc.lock").write_text("stages: {}\n")
    with pytest.raises(CheckError, match="schema"):
        verify(project)


def test_directory_hash_matches_dvc_definition(tmp_path):
    folder = tmp_path / "d"
    (folder / "sub").mkdir(parents=True)
    (folder / "x.txt").write_bytes(b"x")
    (folder / "sub" / "y.txt").write_bytes(b"yy")
    md5, size, nfiles = dir_md5(folder)
    listing = (
        '[{"md5": "'
        + hashlib.md5(b"yy").hexdigest()
        + '", "relpath": "sub/y.txt"}, {"md5": "'
        + hashlib.md5(b"x").hexdigest()
        + '", "relpath": "x.txt"}]'
    )
    assert md5 == hashlib.md5(listing.encode()).hexdigest() + ".dir" and (size, nfiles) == (3, 2)


def test_committed_blobs_are_verified_whatever_the_working_tree_holds(project):
    import subprocess

    for args in (["init", "-q"], ["add", "."], ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "c"]):
        subprocess.run(["git", *args], cwd=project, check=True)
    (project / "figures" / "a.nc").write_bytes(b"rebuilt on another CPU")
    assert [o.status for o in verify(project, rev="HEAD")] == ["ok", "ok", "skipped"]
    assert [o.status for o in verify(project)][1] == "size"
    (project / "figures" / "a.nc").write_bytes(b"nc bytez")  # a tampered file, committed
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qam", "tamper"], cwd=project, check=True)
    tampered = verify(project, rev="HEAD")
    assert [(o.path, o.status) for o in tampered if o.failed] == [("figures/a.nc", "md5")]
