"""Xie, Liu, Constantinidis & Zhou (2022), *Neural mechanisms of working memory accuracy revealed by recurrent
neural networks*, Front Syst Neurosci 16:760864 (docs/accuracy.md).

Modules: ``params`` (profiles), ``simulate`` (analysis batches with ``paired_noise``), ``trials`` (the original's
common trial machinery: correct/error split, endpoint deviation, delay units, tuning positions), ``analysis`` (one
function per figure, each returning an ``xarray.Dataset``), ``source`` (the paper's view of a trained model over an
:mod:`paperrepro.oculomotor.store` store, stage selection), ``pin`` (which checkpoints the quick-profile bundle
holds), ``figure_data`` (the figures' data functions), ``plots`` (their drawing) and ``figures`` (the registry:
registrations only).
"""
