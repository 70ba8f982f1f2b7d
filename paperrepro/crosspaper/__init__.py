"""One analysis across the five papers: every paper's delay activity on the persistent ↔ sequential spectrum.

Modules: ``measures`` (the sequentiality index of Orhan & Ma and the cross-temporal decoder of Liu et al., applied
alike to any labelled activity of :mod:`paperrepro.activity`), ``figures`` (the ``spectrum`` figure).
"""
