"""Goudar et al. (2023), learning-to-learn of delayed sensorimotor association problems.

Modules: :mod:`.params` (profile parameters), :mod:`.task` (problems and trials), :mod:`.network`
(leaky softplus RNN), :mod:`.loss` and :mod:`.bptt` (cost and hand-written BPTT), :mod:`.optim`
(TF1 Adam), :mod:`.train` (sequential problem learning, perturbation runs), :mod:`.perturb`
(subspaces, read-out perturbations), :mod:`.fit` (Fig. 1 exponential fit), :mod:`.analysis`
(Figs. 2, 3, 5–6), :mod:`.published` (the authors' processed results), :mod:`.authors` (ours beside
the authors'), :mod:`.figure_data` (the figures' data functions), :mod:`.plots` (their drawing), :mod:`.figures`
(registrations).
"""
