"""Where the project's files live: project root, data cache and figure outputs.

Environment variables override every default:

``PAPERREPRO_ROOT``
    The project folder (holds ``params.yaml``, ``dvc.yaml``, ``figures/``). Default: the first folder upwards from
    the working directory that holds ``params.yaml``, else the folder above the installed package.
``PAPERREPRO_DATA_DIR``
    Downloads, checkpoints and cached intermediates. Default: ``<root>/data``.
``PAPERREPRO_FIGURES_DIR``
    Built figures and their data. Default: ``<root>/figures``.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1]


def project_root() -> Path:
    """Return the project folder (see the module docstring for how it is found).

    Returns
    -------
    Path
        ``$PAPERREPRO_ROOT``, else the first folder upwards from the working directory that holds ``params.yaml``,
        else the folder above the installed package.
    """
    if env := os.environ.get("PAPERREPRO_ROOT"):
        return Path(env)
    cwd = Path.cwd().resolve()
    for folder in (cwd, *cwd.parents):
        if (folder / "params.yaml").is_file():
            return folder
    return PACKAGE_DIR.parent


def data_dir() -> Path:
    """Return the data folder (downloads, checkpoints, cached intermediates).

    Returns
    -------
    Path
        ``$PAPERREPRO_DATA_DIR``, else ``<project root>/data``.
    """
    if env := os.environ.get("PAPERREPRO_DATA_DIR"):
        return Path(env)
    return project_root() / "data"


def figures_dir() -> Path:
    """Return the folder that receives ``<paper>/<figure>.png`` and ``.nc``.

    Returns
    -------
    Path
        ``$PAPERREPRO_FIGURES_DIR``, else ``<project root>/figures``.
    """
    if env := os.environ.get("PAPERREPRO_FIGURES_DIR"):
        return Path(env)
    return project_root() / "figures"


def paper_dir(paper: str) -> Path:
    """Return the source folder of one paper's subpackage.

    Parameters
    ----------
    paper
        Module name of the paper.

    Returns
    -------
    Path
        ``paperrepro/<paper>`` in the installed package.
    """
    return PACKAGE_DIR / paper
