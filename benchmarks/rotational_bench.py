"""Speed and memory of the rotational model beside the original code's figures (docs/rotational.md).

Prints the median seconds per network (build + 1000-trial forward + 4 SGD read-outs + 2 × 1000-shuffle z-scores +
AUCs; one BLAS thread) with the time of the SGD fits alone (scikit-learn's per-sample SGD, the floor), the wall time
of the full paper grid (500 networks) on ``--jobs`` worker processes, and the peak resident memory.
Original code: 1.77 s per network, ≈ 15 min per paper grid per core, 314 MB peak (demo) / 569 MB (paper grid).

Usage: ``python benchmarks/rotational_bench.py [--networks 20] [--jobs 2] [--skip-grid]``
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
from functools import partial

import numpy as np
from threadpoolctl import threadpool_limits

from paperrepro.core.execute import map_units
from paperrepro.rotational import analysis as an
from paperrepro.rotational.model import block_conditions, build_network, simulate
from paperrepro.rotational.network import analyse_network, run_grid
from paperrepro.rotational.params import Params


def peak_rss_mb() -> float:
    """Peak resident set size of this process and its finished children, in MiB (Linux: ru_maxrss in KiB)."""
    return max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024


def time_networks(n: int, params: Params) -> tuple[list[float], list[float]]:
    """Seconds per network and per network's four SGD fits, for ``n`` networks across the quick grid."""
    levels = [(a, c) for c in params.structure_levels for a in params.association_levels]
    total, sgd = [], []
    for i in range(n):
        a, c = levels[i % len(levels)]
        start = time.perf_counter()
        analyse_network(a, c, i, params)
        total.append(time.perf_counter() - start)
        rng = np.random.default_rng(i)
        net = build_network(rng, a, c)
        conditions = block_conditions(params.n_trials)
        rates = simulate(net.W, net.IH, conditions, rng)
        _, train = an.split_train_test(rng, conditions)
        start = time.perf_counter()
        an.fit_readouts(rates, conditions, train, rng)
        sgd.append(time.perf_counter() - start)
    return total, sgd


def main() -> None:
    """Run the benchmark and print its numbers."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--networks", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--skip-grid", action="store_true", help="skip the 500-network paper grid")
    args = parser.parse_args()
    params = Params()
    with threadpool_limits(limits=1):
        analyse_network(0.0, 0.0, 999, params)  # warm-up (imports, caches)
        total, sgd = time_networks(args.networks, params)
    print(
        f"seconds per network (median of {len(total)}, 1 thread): {statistics.median(total):.3f} "
        f"(min {min(total):.3f}, max {max(total):.3f}); original 1.77"
    )
    print(f"  of which 4 SGD fits (median): {statistics.median(sgd):.3f}")
    print(f"peak RSS after single-network runs: {peak_rss_mb():.0f} MB")
    if not args.skip_grid:
        paper = Params(association=(0.0, 0.95, 10), structure_cov=(0.0, 0.45, 50), n_seeds=1)
        start = time.perf_counter()
        ds = run_grid(paper, map_fn=partial(map_units, executor="local", jobs=args.jobs, desc="networks"))
        wall = time.perf_counter() - start
        print(
            f"paper grid ({ds.sizes['network']} networks) on {args.jobs} workers: {wall:.1f} s "
            f"({wall / ds.sizes['network']:.3f} s per network wall); original ≈ 15 min per core"
        )
        print(f"peak RSS (this process or one worker): {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
