"""paperrepro: reproducible figures of five computational-neuroscience RNN papers.

Each paper is a subpackage (``paperrepro.rotational``, ``paperrepro.memory_factors``, ``paperrepro.maturation``,
``paperrepro.learning_to_learn``, ``paperrepro.accuracy``) built on the shared infrastructure in
:mod:`paperrepro.core`. Every paper runs as ``python -m paperrepro.<paper>`` (or ``paperrepro`` for the overview).

A mistyped module name, ``python -m paperrepro.nosuch``, would otherwise end with CPython's bare "No module named
paperrepro.nosuch" and exit code 1. While ``-m`` looks for its module, CPython has imported this package (the parent)
and set ``sys.argv[0]`` to ``"-m"``; :class:`_MissingModuleFinder`, the last entry of ``sys.meta_path``, acts only in
that situation and only for the module named after ``-m`` (or a parent of it) when no other finder found it: it
prints one line listing the valid modules and exits 2. Every other import, including a failing ``import
paperrepro.x`` in a program, is left to the normal machinery (the finder returns ``None``).
"""

from __future__ import annotations

import sys

__version__ = "0.1.0"

PAPERS: tuple[str, ...] = ("rotational", "memory_factors", "maturation", "learning_to_learn", "accuracy")
#: analyses across the papers: packages with figures (registry, params.yaml section, DVC stages) but no networks
ANALYSES: tuple[str, ...] = ("crosspaper",)
#: every package with figures
PACKAGES: tuple[str, ...] = PAPERS + ANALYSES


def _dash_m_target(argv: list[str]) -> str | None:
    """Return the module named by ``-m`` in the interpreter's original arguments, or ``None``."""
    for i, arg in enumerate(argv[1:], start=1):
        if arg == "-m":
            return argv[i + 1] if i + 1 < len(argv) else None
        if arg.startswith("-m"):
            return arg[2:]
        if arg == "-c" or not arg.startswith("-"):  # a command or a script: no -m
            return None
    return None


def missing_module_message(name: str) -> str:
    """Return the one-line message for a ``python -m`` of a module ``name`` below ``paperrepro`` that does not exist."""
    import importlib
    import pkgutil

    parent = name.rpartition(".")[0]
    if parent == __name__:
        valid = ", ".join(f"{__name__}.{paper}" for paper in PACKAGES)
        return f"error: no module {name}; valid paper modules: {valid} (or python -m {__name__} for the overview)"
    try:
        package = importlib.import_module(parent)
        children = sorted(m.name for m in pkgutil.iter_modules(getattr(package, "__path__", [])) if m.name != "__main__")
    except ImportError:
        children = []
    listing = f"modules of {parent}: {', '.join(children)}" if children else f"{parent} has no submodules"
    return f"error: no module {name}; {listing} (run python -m {parent} for its figures)"


class _MissingModuleFinder:
    """Meta-path finder of last resort for ``python -m paperrepro.<mistyped>`` (see the module docstring)."""

    @staticmethod
    def find_spec(fullname: str, path: object = None, target: object = None) -> None:
        if not fullname.startswith(__name__ + ".") or not sys.argv or sys.argv[0] != "-m":
            return None
        wanted = _dash_m_target(list(getattr(sys, "orig_argv", [])))
        if wanted is None or not (wanted == fullname or wanted.startswith(fullname + ".")):
            return None
        print(missing_module_message(fullname), file=sys.stderr)
        raise SystemExit(2)


if not any(isinstance(finder, _MissingModuleFinder) for finder in sys.meta_path):
    sys.meta_path.append(_MissingModuleFinder())
