"""Shared core of the oculomotor RNN papers (``maturation`` and ``accuracy``).

Modules: ``tasks`` (six saccade tasks and ``odr<ms>``, original encoding), ``model`` (leaky softplus RNN, TF
layout, original initialisation), ``train`` (clipped Adam, evaluation/checkpoints, stopping, resume),
``performance`` (population-vector read-out, correctness, developmental stages: the stage rules, representatives and
evenly spread subsets both papers use), ``simulate`` (test batches for analyses), ``tfcheckpoint`` (numpy reader for
the authors' TF1 checkpoints), ``store`` (the one way from a training run to analysable networks: run folder, pinned
bundle, caller-supplied loaders such as the authors' checkpoints), ``pin`` (writing, hashing and registering a pinned
bundle; the ``pin`` command in ``paperrepro.core.cli`` style) and ``plotting`` (stage colours, the cue-grid
convention). The time step of every task is ``tasks.DT_MS`` (= ``TaskConfig.dt``).
"""
