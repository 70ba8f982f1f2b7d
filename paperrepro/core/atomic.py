"""Atomic file writes: a file that exists under its final name is complete.

Every writer of the package goes through :func:`atomic_path` (or its byte/text shortcuts): the data are written to
a temporary file with a unique name in the target's folder (``tempfile.mkstemp``: ``.<name>.<random>.tmp``) and moved
onto the target with :func:`os.replace`, which is atomic on POSIX and Windows when both names lie on one file system.
On any error, ``KeyboardInterrupt`` included, the temporary file is removed and the target is left as it was.

This protects against interrupted and concurrent writers. ``durable=True`` also flushes the file to the disk before
the rename (``fsync``, tens of milliseconds), so that a power cut cannot leave an empty file under the final name:
use it for files that are expensive to remake (training checkpoints and resume states).

Unique names matter when two builds write the same file at once (two ``make`` runs, a ``dvc repro`` beside a manual
build): with one fixed ``<file>.tmp`` the second writer truncates the first one's temporary file and the first
``os.replace`` then fails or moves a half-written file into place. With unique names each writer replaces the target
with its own complete file, and the last one wins.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

__all__ = ["atomic_path", "atomic_write", "atomic_write_bytes", "atomic_write_text"]

_FILE_MODE = 0o666
"""Mode of a new file before the umask, as :func:`open` creates it (``mkstemp`` would leave 0o600)."""


def _umask() -> int:
    """Return the process umask (read by setting and restoring it)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _fsync(path: str) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


@contextmanager
def atomic_path(path: str | os.PathLike, *, durable: bool = False) -> Iterator[Path]:
    """Yield a unique temporary path beside ``path``; move it onto ``path`` when the block ends without error.

    Parameters
    ----------
    path
        The target file; its parent folders are created.
    durable
        Flush the file to the disk before the rename (see the module docstring).

    Yields
    ------
    Path
        An existing, empty temporary file in the target's folder; the block writes the complete content to it (by
        name, e.g. ``ds.to_netcdf(tmp)`` or ``fig.savefig(tmp, format="png")``).

    Examples
    --------
    >>> with atomic_path("figures/x/fig1.png") as tmp:   # doctest: +SKIP
    ...     fig.savefig(tmp, format="png")
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    try:
        yield Path(name)
        os.chmod(name, _FILE_MODE & ~_umask())
        if durable:
            _fsync(name)
        os.replace(name, target)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def atomic_write(path: str | os.PathLike, write: Callable[[IO[bytes]], object], *, durable: bool = False) -> Path:
    """Call ``write(fh)`` on a binary file handle and move the result onto ``path`` atomically.

    Parameters
    ----------
    path
        The target file.
    write
        Writes the complete content, e.g. ``lambda fh: np.savez(fh, **arrays)``.
    durable
        Flush the file to the disk before the rename.

    Returns
    -------
    Path
        ``path``.
    """
    target = Path(path)
    with atomic_path(target, durable=durable) as tmp, open(tmp, "wb") as fh:
        write(fh)
    return target


def atomic_write_bytes(path: str | os.PathLike, data: bytes, *, durable: bool = False) -> Path:
    """Write bytes to a file atomically.

    Parameters
    ----------
    path
        The target file; its parent folders are created.
    data
        The complete content.
    durable
        Flush the file to the disk before the rename.

    Returns
    -------
    Path
        ``path``.
    """
    return atomic_write(path, lambda fh: fh.write(data), durable=durable)


def atomic_write_text(path: str | os.PathLike, text: str, encoding: str = "utf-8", *, durable: bool = False) -> Path:
    """Write text to a file atomically.

    Parameters
    ----------
    path
        The target file; its parent folders are created.
    text
        The complete content.
    encoding
        How ``text`` is encoded.
    durable
        Flush the file to the disk before the rename.

    Returns
    -------
    Path
        ``path``.
    """
    return atomic_write_bytes(path, text.encode(encoding), durable=durable)
