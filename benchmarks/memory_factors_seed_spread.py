"""Seed spread of the quick-profile condition effects (a scientific check, too slow for the test suite).

The quick profile trains one network per condition (seed 1), so its condition effects (delta SI against the basic
2AFC network with the same sigma0) are single draws. This script trains the basic partner and the chosen conditions
for more seeds with the quick configuration and prints delta SI per seed, to tell a direction from seed noise.
Each network costs about 150 s on an idle core (N = 100, 6,000 iterations).

Usage::

    python benchmarks/memory_factors_seed_spread.py [--seeds 2,3] [--conditions hebbian,variable_delay] [--jobs 2]
"""

from __future__ import annotations

import argparse
import dataclasses


def main() -> None:
    from paperrepro.core.activity import read_netcdf
    from paperrepro.core.config import load_params
    from paperrepro.core.paths import data_dir
    from paperrepro.memory_factors.grid import NetworkSpec, run_networks
    from paperrepro.memory_factors.params import Params

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", default="2,3", help="comma-separated seeds (the quick profile uses 1)")
    parser.add_argument("--conditions", default="hebbian,variable_delay", help="comma-separated conditions")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (one thread each)")
    args = parser.parse_args()

    _, params = load_params("memory_factors", Params, "quick")
    seeds = [int(s) for s in args.seeds.split(",")]
    conditions = args.conditions.split(",")
    lam, sigma = params.quick_lambda0, params.quick_sigma0[1]
    specs = [NetworkSpec(condition, "2AFC", 0, lam, sigma, 0.0, seed) for seed in seeds for condition in ("basic", *conditions)]
    params = dataclasses.replace(params, keep_hidden="none")
    root = data_dir() / "memory_factors" / "quick_seed_spread"
    paths = [
        p
        for seed in seeds  # result files are named by grid point, not seed: one folder per seed
        for p in run_networks(
            [s for s in specs if s.seed == seed], params, root / f"seed{seed}", executor="local", jobs=args.jobs
        )
    ]
    si = {(s.seed, s.condition): read_netcdf(p).attrs for s, p in zip(specs, paths, strict=True)}
    print(
        f"quick configuration (N = {params.n_hidden}, {params.n_iterations} iterations, lambda0 {lam}, "
        f"sigma0 {sigma}), 2AFC; delta SI = condition - basic (same seed)"
    )
    print("(SI is NaN for a network with test information loss >= 0.5; the unfiltered SI is shown beside it)")
    for condition in conditions:
        for seed in seeds:
            cond, basic = si[seed, condition], si[seed, "basic"]
            print(
                f"{condition:15s} seed {seed}: delta SI {cond['SI'] - basic['SI']:+.2f} (unfiltered "
                f"{cond['SI_unfiltered'] - basic['SI_unfiltered']:+.2f}); SI {cond['SI']:.2f} vs {basic['SI']:.2f}; "
                f"infloss {cond['infloss_test']:.3f} vs {basic['infloss_test']:.3f}"
            )


if __name__ == "__main__":
    main()
