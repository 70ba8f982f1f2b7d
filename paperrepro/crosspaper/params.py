"""Profile parameters of the cross-paper figure (``params.yaml`` → ``crosspaper: {quick: …, paper: …}``).

The figure has no parameters of its own yet: the networks, stages and trial counts are listed in
:data:`paperrepro.crosspaper.figure_data.NETWORKS`, and each paper's profile chooses where its networks come from.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Params:
    """Parameters of one profile (none yet)."""
