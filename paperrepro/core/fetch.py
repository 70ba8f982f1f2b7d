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

import pooch

from . import paths
from .errors import DataError

MIRROR_ENV = "PAPERREPRO_MIRROR"
COMMITTED = "committed"


def read_registry(paper: str) -> dict[str, tuple[str, str]]:
    """Return ``{file name: (hash, url)}`` of one paper (empty if it has no registry)."""
    path = paths.paper_dir(paper) / "registry.txt"
    if not path.is_file():
        return {}
    entries = {}
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
    """

    def __init__(self, mirror: str | os.PathLike) -> None:
        self.mirror = Path(mirror)

    def __call__(self, url: str, output_file, pooch_obj=None, check_only: bool = False):  # noqa: ANN001 (pooch's API)
        source = self.mirror / url.rstrip("/").rsplit("/", 1)[-1]
        if check_only:
            return source.is_file()
        if not source.is_file():
            raise FileNotFoundError(f"{source.name} is not in the mirror folder {self.mirror}")
        if hasattr(output_file, "write"):
            with open(source, "rb") as src:
                shutil.copyfileobj(src, output_file)
        else:
            shutil.copyfile(source, output_file)
        return None


def download_dir(paper: str) -> Path:
    """Return the cache folder of one paper's downloads."""
    return paths.data_dir() / paper / "downloads"


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

    Raises
    ------
    DataError
        If the name is not registered, the file cannot be had, or its hash differs (corrupted or outdated file).
    """
    registry = read_registry(paper)
    if name not in registry:
        raise DataError(f"{name!r} is not in the {paper} registry; registered files: {', '.join(sorted(registry)) or 'none'}")
    known_hash, url = registry[name]
    if url == COMMITTED:
        mirror, url = paths.paper_dir(paper) / "pinned", f"{COMMITTED}/{name}"
    mirror = mirror or os.environ.get(MIRROR_ENV)
    downloader = MirrorDownloader(mirror) if mirror else None
    folder = download_dir(paper)
    pooch.get_logger().setLevel("WARNING")
    try:
        return Path(pooch.retrieve(url, known_hash, fname=name, path=folder, downloader=downloader,
                                   progressbar=False))
    except ValueError as err:  # pooch's hash mismatch
        raise DataError(
            f"{name} is corrupted or outdated (hash differs from the registry): delete {folder / name} "
            f"or re-fetch it ({err})"
        ) from err
    except Exception as err:  # requests' HTTP/connection errors, a missing mirror file
        raise DataError(
            f"could not fetch {name} from {url if not mirror else mirror} ({err.__class__.__name__}: {err}); "
            f"put the file in a folder and set {MIRROR_ENV}=<folder> (or pass --mirror), "
            f"or set PAPERREPRO_DATA_DIR to a data folder that already holds {paper}/downloads/{name}"
        ) from err
