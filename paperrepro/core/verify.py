"""Checksum verification of the committed outputs against ``dvc.lock``, without DVC.

``dvc.lock`` (DVC 3, ``schema: '2.0'``) records for every stage output its path, ``hash: md5``, the md5 of its raw
bytes and its size; a folder output has ``md5: <hex>.dir``, the md5 of the JSON listing of its files. This module
recomputes them with :mod:`hashlib`. Outputs declared ``cache: false`` in ``dvc.yaml`` (the figures, committed to
git) must exist; cached outputs (checkpoints, intermediates kept in DVC's cache) are checked when present.

With ``rev`` (e.g. ``"HEAD"``) the files are read from that git revision instead of the working tree: the integrity
of what is committed, whatever a local rebuild on another CPU has written since (judge such a rebuild with
:mod:`paperrepro.core.compare`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from . import paths
from .errors import CheckError

_CHUNK = 1 << 20


@dataclass(frozen=True)
class Outcome:
    """The verification of one recorded output."""

    stage: str
    path: str
    status: str  # "ok", "missing", "size", "md5", "skipped"
    detail: str = ""

    @property
    def failed(self) -> bool:
        """Whether this output disagrees with the lock."""
        return self.status not in ("ok", "skipped")


def file_md5(path: Path) -> str:
    """Return the md5 of a file's raw bytes, read in chunks.

    Parameters
    ----------
    path
        The file.

    Returns
    -------
    str
        The hex digest.
    """
    digest = hashlib.md5()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def dir_md5(path: Path) -> tuple[str, int, int]:
    """Return DVC's hash of a folder.

    Parameters
    ----------
    path
        The folder; every file below it counts.

    Returns
    -------
    tuple
        ``(<md5>.dir, total size in bytes, number of files)`` as ``dvc.lock`` records them.
    """
    files = sorted(p for p in path.rglob("*") if p.is_file())
    md5s = {p.relative_to(path).as_posix(): file_md5(p) for p in files}
    return listing_md5(md5s), sum(p.stat().st_size for p in files), len(files)


def listing_md5(md5s: dict[str, str]) -> str:
    """Return DVC's hash of a folder from the md5 of each of its files.

    Parameters
    ----------
    md5s
        The md5 of every file, by its path relative to the folder (POSIX separators).

    Returns
    -------
    str
        ``<md5>.dir``: the md5 of the JSON listing of the files, sorted by path, as ``dvc.lock`` records it.
    """
    entries = [{"md5": md5, "relpath": rel} for rel, md5 in sorted(md5s.items())]
    return hashlib.md5(json.dumps(entries, sort_keys=True).encode()).hexdigest() + ".dir"


def _committed_folder(rel: str, rev: str, root: Path) -> tuple[str, int, int] | None:
    """DVC's hash, total size and file count of a folder as committed at ``rev`` (``None``: not in ``rev``)."""
    import subprocess

    from .compare import committed_bytes

    listed = subprocess.run(
        ["git", "ls-tree", "-r", "--name-only", rev, "--", rel], cwd=root, capture_output=True, text=True, timeout=60
    )
    names = [name for name in listed.stdout.splitlines() if name] if listed.returncode == 0 else []
    if not names:
        return None
    md5s, size = {}, 0
    for name in names:
        data = committed_bytes(name, rev, root) or b""
        md5s[name[len(rel) :].lstrip("/")] = hashlib.md5(data).hexdigest()
        size += len(data)
    return listing_md5(md5s), size, len(names)


def _uncached_outputs(root: Path) -> set[str]:
    """Paths of outputs that ``dvc.yaml`` declares ``cache: false``."""
    spec = yaml.safe_load((root / "dvc.yaml").read_text()) if (root / "dvc.yaml").is_file() else {}
    uncached = set()
    for stage in (spec or {}).get("stages", {}).values():
        for out in stage.get("outs", []):
            if isinstance(out, dict):
                for out_path, options in out.items():
                    if options and options.get("cache") is False:
                        uncached.add(out_path)
    return uncached


def _verify_committed(root: Path, stage: str, out: dict[str, Any], rev: str) -> Outcome:
    from .compare import committed_bytes

    rel = out["path"]
    if str(out["md5"]).endswith(".dir"):
        folder = _committed_folder(rel, rev, root)
        if folder is None:
            return Outcome(stage, rel, "missing", f"not committed at {rev}")
        if folder != (out["md5"], out.get("size"), out.get("nfiles")):
            return Outcome(stage, rel, "md5", f"folder {folder[0]} ({folder[2]} files) at {rev} != lock {out['md5']}")
        return Outcome(stage, rel, "ok")
    data = committed_bytes(rel, rev, root)
    if data is None:
        return Outcome(stage, rel, "missing", f"not committed at {rev}")
    if "size" in out and len(data) != out["size"]:
        return Outcome(stage, rel, "size", f"{len(data)} bytes at {rev} != lock {out['size']} bytes")
    md5 = hashlib.md5(data).hexdigest()
    if md5 != out["md5"]:
        return Outcome(stage, rel, "md5", f"md5 {md5} at {rev} != lock {out['md5']}")
    return Outcome(stage, rel, "ok")


def _verify_one(root: Path, stage: str, out: dict[str, Any], required: bool) -> Outcome:
    rel = out["path"]
    path = root / rel
    if not path.exists():
        if required:
            return Outcome(stage, rel, "missing", "file does not exist; rebuild it")
        return Outcome(stage, rel, "skipped", "cached output not present")
    if str(out["md5"]).endswith(".dir"):
        md5, size, nfiles = dir_md5(path)
        if (md5, size, nfiles) != (out["md5"], out.get("size"), out.get("nfiles")):
            return Outcome(stage, rel, "md5", f"folder {md5} ({nfiles} files) != lock {out['md5']}")
        return Outcome(stage, rel, "ok")
    size = path.stat().st_size
    if "size" in out and size != out["size"]:
        return Outcome(stage, rel, "size", f"{size} bytes != lock {out['size']} bytes")
    md5 = file_md5(path)
    if md5 != out["md5"]:
        return Outcome(stage, rel, "md5", f"md5 {md5} != lock {out['md5']}")
    return Outcome(stage, rel, "ok")


def verify(
    root: Path | None = None, stages: list[str] | None = None, lock: Path | None = None, rev: str | None = None
) -> list[Outcome]:
    """Check every output recorded in ``dvc.lock`` (or those of ``stages``).

    Parameters
    ----------
    root
        Folder holding ``dvc.lock`` and ``dvc.yaml``; default the project root.
    stages
        Stage names to check; default all.
    lock
        The lock file to compare with; default ``<root>/dvc.lock`` (e.g. a copy of the committed lock taken before
        a forced rebuild).
    rev
        Read the outputs from this git revision (e.g. ``"HEAD"``) instead of the working tree; the lock is then read
        from the same revision unless ``lock`` is given.

    Returns
    -------
    list of Outcome
        One per output; ``failed`` ones name the mismatch.

    Raises
    ------
    CheckError
        If there is no usable ``dvc.lock`` or a named stage is not in it.
    """
    root = root or paths.project_root()
    lock_path = lock or root / "dvc.lock"
    if rev is not None and lock is None:
        from .compare import committed_bytes

        text = committed_bytes("dvc.lock", rev, root)
        if text is None:
            raise CheckError(f"no dvc.lock committed at {rev}: run dvc repro and commit the lock")
        recorded_lock = yaml.safe_load(text) or {}
    elif not lock_path.is_file():
        raise CheckError(f"no lock file {lock_path.name} in {lock_path.parent}: run dvc repro first")
    else:
        recorded_lock = yaml.safe_load(lock_path.read_text()) or {}
    if str(recorded_lock.get("schema")) != "2.0":
        raise CheckError("dvc.lock is not schema '2.0' (a lock from DVC 2): regenerate it with dvc repro")
    recorded = recorded_lock.get("stages", {})
    unknown = sorted(set(stages or []) - set(recorded))
    if unknown:
        raise CheckError(f"stage(s) {unknown} are not in dvc.lock; recorded stages: {', '.join(recorded)}")
    for entry in recorded.values():
        for out in entry.get("outs", []):
            if out.get("hash") != "md5":
                raise CheckError(
                    f"dvc.lock entry {out['path']} has no 'hash: md5' (a lock from DVC 2): regenerate it with dvc repro"
                )
    uncached = _uncached_outputs(root)
    if rev is not None:
        return [
            _verify_committed(root, name, out, rev)
            if out["path"] in uncached
            else Outcome(name, out["path"], "skipped", "cached output: lives in DVC's cache, not in git")
            for name, entry in recorded.items()
            if not stages or name in stages
            for out in entry.get("outs", [])
        ]
    return [
        _verify_one(root, name, out, required=out["path"] in uncached)
        for name, entry in recorded.items()
        if not stages or name in stages
        for out in entry.get("outs", [])
    ]
