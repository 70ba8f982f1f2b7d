"""``python -m paperrepro.learning_to_learn [figure|all]``."""

from paperrepro.core.cli import main

from .figures import REGISTRY

raise SystemExit(main(REGISTRY))
