"""Speed and memory of one learning-to-learn training trial (the cost that sizes the paper run).

Prints wall-clock and CPU ms per trial (per network) for the full training step (noise, forward, BPTT, Adam):
NumPy time loops, compiled C loops, batches of several seeds, and the PyTorch autograd reference,
plus the peak memory allocated by one trial (tracemalloc) and the process's peak RSS.

Run with one thread: ``OMP_NUM_THREADS=1 python benchmarks/learning_to_learn_bench.py``.
On a loaded machine the wall-clock column overstates the cost; the CPU column (process time, one
thread) is what a dedicated core would take.
"""

from __future__ import annotations

import argparse
import dataclasses
import resource
import time
import tracemalloc

import numpy as np
import torch

from paperrepro.learning_to_learn import network, reference, task, train
from paperrepro.learning_to_learn.params import Params


def _time_training(params: Params, batch: int, trials: int) -> tuple[float, float, float]:
    members = [train.make_member(s, "full", params) for s in range(batch)]
    train._trial(members, params)  # warm-up (and kernel build)
    tracemalloc.start()
    train._trial(members, params)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    start, cpu = time.perf_counter(), time.process_time()
    for _ in range(trials):
        train._trial(members, params)
    scale = 1e3 / trials / batch
    return (time.perf_counter() - start) * scale, (time.process_time() - cpu) * scale, peak / 2**20


def _time_autograd(params: Params, trials: int) -> float:
    torch.set_num_threads(1)
    rng = np.random.default_rng(0)
    w = network.init_weights(np.random.RandomState(0), params)
    images = task.new_problem(rng)
    noise = network.ou_noise(rng, params)
    start = time.perf_counter()
    for _ in range(trials):
        reference.autograd_trial(w, images[0], 0, noise, 0.0, params, dtype=torch.float32)
    return (time.perf_counter() - start) / trials * 1e3


def main() -> None:
    """Print the benchmark table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--batches", type=int, nargs="+", default=[1, 2, 4, 10])
    parser.add_argument("--autograd-trials", type=int, default=3)
    args = parser.parse_args()
    base = Params()
    print(f"{'implementation':<34} {'batch':>5} {'ms/trial/net':>13} {'CPU ms':>8} {'trial peak MiB':>15}")
    for dtype in ("float64", "float32"):
        p = dataclasses.replace(base, kernel="numpy", compute_dtype=dtype)
        ms, cpu, mib = _time_training(p, 1, max(3, args.trials // 4))
        print(f"{'NumPy loops, ' + dtype:<34} {1:>5} {ms:>13.1f} {cpu:>8.1f} {mib:>15.1f}")
    for dtype in ("float64", "float32"):
        p = dataclasses.replace(base, kernel="c", compute_dtype=dtype)
        for b in args.batches:
            ms, cpu, mib = _time_training(p, b, args.trials)
            print(f"{'C loops, ' + dtype:<34} {b:>5} {ms:>13.1f} {cpu:>8.1f} {mib:>15.1f}")
    if args.autograd_trials:
        ms = _time_autograd(base, args.autograd_trials)
        print(f"{'PyTorch autograd, float32':<34} {1:>5} {ms:>13.1f} {'-':>8} {'-':>15}")
    print(f"process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
