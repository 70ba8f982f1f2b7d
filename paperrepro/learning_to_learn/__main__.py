"""``python -m paperrepro.learning_to_learn [figure|all]``, ``... train``, ``... perturb``, ``... pin``, ``... activity``."""

from paperrepro.core.cli import main

from .commands import COMMANDS
from .figures import REGISTRY

raise SystemExit(main(REGISTRY, commands=COMMANDS))
