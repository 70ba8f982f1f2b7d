"""paperrepro: reproducible figures of five computational-neuroscience RNN papers.

Each paper is a subpackage (``paperrepro.rotational``, ``paperrepro.memory_factors``, ``paperrepro.maturation``,
``paperrepro.learning_to_learn``, ``paperrepro.accuracy``) built on the shared infrastructure in
:mod:`paperrepro.core`.
"""

__version__ = "0.1.0"

PAPERS: tuple[str, ...] = ("rotational", "memory_factors", "maturation", "learning_to_learn", "accuracy")
