"""Liu, Zhu, Constantinidis & Zhou (2021), *iScience* 24:103178 — PFC maturation properties in trained RNNs.

Uses the shared oculomotor core (``paperrepro.oculomotor``: tasks, leaky RNN, training, stages). Modules:

* ``params`` — profile parameters (checkpoint sources: :mod:`paperrepro.oculomotor.store`);
* ``stages`` — take-off, analysis range, rule-A/B stage sets, representatives, the pinned subset (docs/maturation.md);
* ``pin`` — ``python -m paperrepro.maturation.pin``: choose the stage checkpoints to commit (written and registered by
  :mod:`paperrepro.oculomotor.pin`);
* ``activity`` — test-batch activity streamed checkpoint by checkpoint; ``selectivity`` — unit selectivity, PSTHs,
  tuning (docs/maturation.md); ``analysis`` — stage reductions, tuning width, t-tests; ``decoding`` — cross-temporal SVM
  decoding; ``dpca`` — closed-form dPCA (docs/maturation.md); ``seldir`` — shared selective units and preferred
  directions of two task epochs (the authors' seldir analysis);
* ``anti_run`` — the quick profile's live antisaccade run; ``figure_data`` — the figures' data functions; ``plots`` —
  their drawing; ``figures`` — the figure registry, registrations only (``python -m paperrepro.maturation <figure>``).
"""
