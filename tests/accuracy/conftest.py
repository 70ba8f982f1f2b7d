"""Shared settings for the accuracy tests: one torch thread."""

import torch

torch.set_num_threads(1)
