"""Shared core of the oculomotor RNN papers (``maturation`` and ``accuracy``).

Modules: ``tasks`` (six saccade tasks and ``odr<ms>``, original encoding), ``model`` (leaky softplus RNN, TF
layout, original initialisation), ``train`` (clipped Adam, evaluation/checkpoints, stopping, resume),
``performance`` (population-vector read-out, correctness, developmental stages), ``simulate`` (test batches for
analyses) and ``tfcheckpoint`` (numpy reader for the authors' TF1 checkpoints).
"""
