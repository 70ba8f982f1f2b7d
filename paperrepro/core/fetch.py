"""Hash-pinned downloads through pooch, with a cache folder and an offline mirror.

Each paper lists its files in ``paperrepro/<paper>/registry.txt``, one per line::

    <file name> sha256:<hex digest> <URL pinned to a commit or DOI>

Files land in ``<data_dir>/<paper>/downloads/`` (``PAPERREPRO_DATA_DIR`` moves the data folder). Without a network,
point ``PAPERREPRO_MIRROR`` (or ``--mirror``) at a folder that holds the files under their registry names: they are
copied from there and checked against the same hashes. A file whose hash differs is refused and nothing of it is
left in the cache.

Small files this project produced itself (retrained checkpoints) are committed under ``paperrepro/<paper>/pinned/``
and registered with the URL ``committed``: they are copied from there, hash-checked like any download.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import IO, Any

import pooch

from . import paths
from .errors import DataError

MIRROR_ENV = "PAPERREPRO_MIRROR"
COMMITTED = "committed"


def read_registry(paper: str) -> dict[str, tuple[str, str]]:
    """Return the files registered by one paper.

    Parameters
    ----------
    paper
        Module name of the paper.

    Returns
    -------
    dict
        ``{file name: (hash, url)}``; empty if the paper has no ``registry.txt``.

    Raises
    ------
    DataError
        If a line of ``registry.txt`` is not ``<name> <algorithm>:<hash> <url>``.
    """
    path = paths.paper_dir(paper) / "registry.txt"
    if not path.is_file():
        return {}
    entries: dict[str, tuple[str, str]] = {}
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) != 3 or ":" not in parts[1]:
            raise DataError(f"{path.name} line {number}: expected '<name> <algorithm>:<hash> <url>'")
        entries[parts[0]] = (parts[1], parts[2])
    return entries


class MirrorDownloader:
    """A pooch downloader that copies ``<mirror>/<file name>`` instead of using the network.

    Parameters
    ----------
    mirror
        Folder holding the files under their registry names.
    name
        The registry name of the file; default: the last part of the URL (which differs from the registry name when
        the URL has escaped characters, e.g. ``%28``).
    """

    def __init__(self, mirror: str | os.PathLike, name: str | None = None) -> None:
        self.mirror = Path(mirror)
        self.name = name

    def __call__(
        self, url: str, output_file: str | os.PathLike[str] | IO[bytes], pooch_obj: Any = None, check_only: bool = False
    ) -> bool | None:
        """Copy the mirror's file to ``output_file`` (pooch's downloader protocol).

        Parameters
        ----------
        url
            The registered URL; its last part names the file unless the downloader was given ``name``.
        output_file
            Where pooch wants the file: a path or an open binary file.
        pooch_obj
            The calling ``pooch.Pooch`` (unused).
        check_only
            Only say whether the mirror holds the file.

        Returns
        -------
        bool or None
            With ``check_only``, whether the file is in the mirror; otherwise ``None``.

        Raises
        ------
        FileNotFoundError
            If the mirror does not hold the file.
        """
        source = self.mirror / (self.name or url.rstrip("/").rsplit("/", 1)[-1])
        if check_only:
            return source.is_file()
        if not source.is_file():
            raise FileNotFoundError(f"{source.name} is not in the mirror folder {self.mirror}")
        if not isinstance(output_file, (str, os.PathLike)):
            with open(source, "rb") as src:
                shutil.copyfileobj(src, output_file)
        else:
            shutil.copyfile(source, output_file)
        return None


def download_dir(paper: str) -> Path:
    """Return the cache folder of one paper's downloads.

    Parameters
    ----------
    paper
        Module name of the paper.

    Returns
    -------
    Path
        ``<data_dir>/<paper>/downloads``.
    """
    return paths.data_dir() / paper / "downloads"


def _hash_matches(path: Path, known_hash: str) -> bool:
    """Whether ``path`` has the registry hash ``<algorithm>:<hex>``."""
    algorithm, _, digest = known_hash.partition(":")
    return pooch.file_hash(str(path), alg=algorithm).lower() == digest.lower()


def _committed_source(paper: str, name: str, known_hash: str) -> Path:
    """Return the committed file ``paperrepro/<paper>/pinned/<name>`` after checking that it is intact.

    Raises
    ------
    DataError
        If it is missing or its hash differs: it must be restored from git (or the package reinstalled), not rebuilt.
    """
    source = paths.paper_dir(paper) / "pinned" / name
    checkout = paths.PACKAGE_DIR.parent
    try:
        shown, in_git = source.relative_to(checkout).as_posix(), (checkout / ".git").exists()
    except ValueError:  # the package is not where the file is (tests, unusual layouts)
        shown, in_git = str(source), False
    restore = f"restore it with `git checkout -- {shown}`" if in_git else "reinstall paperrepro (pip install paperrepro)"
    if not source.is_file():
        raise DataError(f"the committed file {shown} is missing; {restore}")
    if not _hash_matches(source, known_hash):
        raise DataError(
            f"the committed file {shown} is corrupted or was changed (its hash differs from "
            f"paperrepro/{paper}/registry.txt); {restore}"
        )
    return source


def fetch(paper: str, name: str, *, mirror: str | os.PathLike | None = None) -> Path:
    """Return the local path of a registered file, downloading (or copying from the mirror) when needed.

    Parameters
    ----------
    paper
        Module name of the paper.
    name
        File name as listed in the paper's ``registry.txt``.
    mirror
        Folder to copy from instead of the network; default ``$PAPERREPRO_MIRROR`` if set.

    Returns
    -------
    Path
        The hash-checked file in :func:`download_dir` (a committed file is copied there too).

    Raises
    ------
    DataError
        If the name is not registered, the file cannot be had, or its hash differs (corrupted or outdated file). The
        message names the bad file (committed, mirror or cached copy) and what to do about it.
    """
    registry = read_registry(paper)
    if name not in registry:
        raise DataError(f"{name!r} is not in the {paper} registry; registered files: {', '.join(sorted(registry)) or 'none'}")
    known_hash, url = registry[name]
    committed = url == COMMITTED
    if committed:
        mirror, url = _committed_source(paper, name, known_hash).parent, f"{COMMITTED}/{name}"
    mirror = mirror or os.environ.get(MIRROR_ENV)
    folder = download_dir(paper)
    cached = folder / name
    if mirror and not committed:
        source = Path(mirror) / name
        if source.is_file() and not _hash_matches(source, known_hash):
            raise DataError(
                f"the mirror file {source} is corrupted or outdated (its hash differs from "
                f"paperrepro/{paper}/registry.txt); replace it with the file from {url}, or unset "
                f"{MIRROR_ENV} to download it"
            )
    stale_cache = cached.is_file() and not _hash_matches(cached, known_hash)
    downloader = MirrorDownloader(mirror, name) if mirror else None
    pooch.get_logger().setLevel("WARNING")
    try:
        return Path(pooch.retrieve(url, known_hash, fname=name, path=folder, downloader=downloader, progressbar=False))
    except ValueError as err:  # pooch's hash mismatch of a fresh download
        raise DataError(
            f"{name} downloaded from {url} is corrupted or outdated (its hash differs from paperrepro/{paper}/"
            f"registry.txt; nothing was kept); try again, or put the authors' file in a folder and set "
            f"{MIRROR_ENV}=<folder> ({err})"
        ) from err
    except Exception as err:  # requests' HTTP/connection errors, a missing mirror file
        bad_cache = f"the cached copy {cached} is corrupted (hash differs) and could not be replaced; " if stale_cache else ""
        raise DataError(
            f"{bad_cache}could not fetch {name} from {url if not mirror else mirror} ({err.__class__.__name__}: {err}); "
            f"put the file in a folder and set {MIRROR_ENV}=<folder> (or pass --mirror), "
            f"or set PAPERREPRO_DATA_DIR to a data folder that already holds {paper}/downloads/{name}"
        ) from err
