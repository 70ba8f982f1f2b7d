"""``python -m paperrepro.accuracy [figure|all]``, ``... activity``."""

from paperrepro.activity import command
from paperrepro.core.cli import main

from .activity_export import EXPORTER
from .figures import REGISTRY
from .pin import PIN

raise SystemExit(main(REGISTRY, commands=(command(EXPORTER), PIN)))
