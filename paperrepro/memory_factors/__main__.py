"""``python -m paperrepro.memory_factors [figure|all]``, ``... train ...``, ``... sweep ...``, ``... activity ...``."""

from paperrepro.core.cli import main

from .commands import COMMANDS
from .figures import REGISTRY

raise SystemExit(main(REGISTRY, commands=COMMANDS))
