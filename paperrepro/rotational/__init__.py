"""Libby & Buschman (2021), "Rotational dynamics reduce interference between sensory and memory representations".

The paper's model: a 150-unit, two-step noisy ReLU network whose A/X code rotates from a sensory to an orthogonal
memory axis (docs/rotational.md). Modules: :mod:`.params` (profiles), :mod:`.model` (network and forward
pass), :mod:`.analysis` (read-outs and analyses), :mod:`.network` (one network end to end, the grid),
:mod:`.demo` (the authors' ``model_demo.pkl``), :mod:`.figure_data` (the figures' data functions),
:mod:`.plots` (their drawing), :mod:`.figures` (figure registry).
"""
