"""``python -m paperrepro.maturation [figure|all]`` (pinning: ``python -m paperrepro.maturation.pin``)."""

from paperrepro.core.cli import main

from .figures import REGISTRY

raise SystemExit(main(REGISTRY))
