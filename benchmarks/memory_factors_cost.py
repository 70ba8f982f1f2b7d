"""Cost of one memory-factors network per condition and task, and the K = 1 matmul kernels (choose a design from it).

For each (condition, task) it trains ``--iterations`` iterations of one network of the factors design (N = 100 by
default) after one warm-up iteration and prints wall and CPU time per iteration: CPU time is the better measure on a
loaded machine (contention inflates wall time far more). It then times the recurrence of one network (150 steps,
forward and backward) with the batched kernel (``baddbmm`` on a K = 1 stack) and the 2-D kernel (``addmm``) that
:class:`~paperrepro.memory_factors.model.RNNBlock` now uses for K = 1.

Usage::

    OMP_NUM_THREADS=1 nice -n 10 python benchmarks/memory_factors_cost.py [--n-hidden 100] [--iterations 100]
"""

from __future__ import annotations

import argparse
import time

CASES: tuple[tuple[str, str, str], ...] = (
    ("basic", "2AFC", ""),
    ("basic", "COMP", ""),
    ("basic", "DE-1", ""),
    ("hebbian", "2AFC", ""),
    ("tethered", "2AFC", ""),
    ("dynamic_input", "DE-1", ""),
    ("variable_delay", "2AFC", ""),
)
T_STEPS = 150
BATCH = 50


def per_iteration(condition: str, task: str, first: str, n_hidden: int, iterations: int) -> tuple[float, float]:
    """Wall and CPU seconds per training iteration of one network."""
    from paperrepro.memory_factors.grid import NetworkSpec, net_setup
    from paperrepro.memory_factors.params import Params
    from paperrepro.memory_factors.train import Trainer

    params = Params(design="factors", n_hidden=n_hidden, n_iterations=iterations + 1)
    trainer = Trainer([net_setup(NetworkSpec(condition, task, 1, 0.96, 0.1, 0.0, 1, first_task=first), params)])
    trainer.train_step()
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(iterations):
        trainer.train_step()
    return (time.perf_counter() - wall) / iterations, (time.process_time() - cpu) / iterations


def kernels(n_hidden: int, repeats: int) -> dict[str, float]:
    """CPU seconds of one forward + backward recurrence with each kernel (best of ``repeats``)."""
    import torch

    gen = torch.Generator().manual_seed(0)
    w = (0.96 * torch.eye(n_hidden) + 0.01 * torch.randn(n_hidden, n_hidden, generator=gen)).requires_grad_()
    drive = torch.randn(T_STEPS, BATCH, n_hidden, generator=gen)
    out = {}
    for name in ("baddbmm", "addmm"):
        best = float("inf")
        for _ in range(repeats):
            start = time.process_time()
            h = torch.zeros(1, BATCH, n_hidden) if name == "baddbmm" else torch.zeros(BATCH, n_hidden)
            for t in range(T_STEPS):
                if name == "baddbmm":
                    h = torch.relu(torch.baddbmm(drive[t][None], h, w[None]))
                else:
                    h = torch.relu(torch.addmm(drive[t], h, w))
            h.sum().backward()
            w.grad = None
            best = min(best, time.process_time() - start)
        out[name] = best
    return out


def main() -> None:
    """Parse the arguments and print one line per case, then the kernel comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-hidden", type=int, default=100)
    parser.add_argument("--iterations", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=5, help="repeats of the kernel timing (best is kept)")
    args = parser.parse_args()
    import os

    import torch

    torch.set_num_threads(1)
    print(f"N = {args.n_hidden}, 1 thread, torch {torch.__version__}, load average {os.getloadavg()[0]:.1f}")
    for condition, task, first in CASES:
        wall, cpu = per_iteration(condition, task, first, args.n_hidden, args.iterations)
        print(f"{condition:15s} {task:5s} wall {wall * 1e3:6.1f} ms/iteration, CPU {cpu * 1e3:6.1f} ms/iteration")
    k = kernels(args.n_hidden, args.repeats)
    print(
        f"recurrence fwd+bwd, 150 steps: baddbmm {k['baddbmm'] * 1e3:.1f} ms CPU, addmm {k['addmm'] * 1e3:.1f} ms "
        f"CPU ({k['baddbmm'] / k['addmm']:.2f}x)"
    )


if __name__ == "__main__":
    main()
