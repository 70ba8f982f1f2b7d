"""Orhan & Ma (2019), "A diverse range of factors affect the nature of neural representations underlying
short-term memory", Nat Neurosci 22:275-283 (spec ``memory_factors.md``).

Discrete non-leaky ReLU RNNs (N = 500) trained on seven short-term-memory tasks with Poisson population inputs under
six conditions over a lambda0 x sigma0 grid; the sequentiality index (SI) measures how sequential or persistent
their delay activity is. Nothing is published to fetch: every network is retrained.

Modules, in the order of the pipeline:

``params``        frozen :class:`~paperrepro.memory_factors.params.Params` of a profile (grid, sizes, bug switches)
``tasks``         task generators (DE-1, DE-2, CD, GDE, 2AFC, Sine, COMP; dynamic-input and variable-delay
                  variants) and the optimal observers
``performance``   fractional information loss against the optimal observer
``model``         K stacked ReLU RNNs (vanilla and Hebbian fast weights) with the pre-activation gradient clamp
``loss``          task loss + activity penalty + L2
``train``         :class:`~paperrepro.memory_factors.train.Trainer`: Adam, monitor, test, atomic checkpoints
``sequentiality`` the SI exactly as the original ``compute_SI`` and the pass filter
``grid``          the networks of a profile as units of work; one netCDF result per network; summary
``figures``       the figure registry
"""
