"""``python -m paperrepro.crosspaper [figure|all]``."""

from paperrepro.core.cli import main

from .figures import REGISTRY

raise SystemExit(main(REGISTRY))
