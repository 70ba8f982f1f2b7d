"""Training speed and memory of the oculomotor RNN (``paperrepro.oculomotor``).

Prints training throughput (trials/s on the six-task mix, updates only), the cost of one evaluation + checkpoint,
the resulting seconds per 1,280 trials (20 steps + 1 evaluation + 1 checkpoint, the unit of the original's log)
and the peak resident memory, beside the original TensorFlow code's 4.1–8.4 s per 1,280 trials
(2-core CPU).

    python benchmarks/oculomotor_bench.py --n-rnn 256 --steps 40 --threads 1
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

import torch

from paperrepro.oculomotor.train import TrainConfig, _evaluate_and_save, _Run, _train_step

TF_SECONDS_PER_1280 = 4.1


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a JSON summary."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n-rnn", type=int, default=256)
    parser.add_argument("--steps", type=int, default=40, help="training steps timed (task mix, seed 0)")
    parser.add_argument("--evals", type=int, default=2, help="evaluations + checkpoints timed")
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    config = TrainConfig(n_rnn=args.n_rnn)
    run = _Run(config)
    with tempfile.TemporaryDirectory() as tmp:
        _train_step(run)  # warm-up
        t0 = time.perf_counter()
        for _ in range(args.steps):
            _train_step(run)
            run.step += 1
        train_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        for _ in range(args.evals):
            _evaluate_and_save(run, Path(tmp))
            run.step += config.eval_every
        eval_s = (time.perf_counter() - t0) / args.evals
    per_step = train_s / args.steps
    per_1280 = per_step * config.eval_every + eval_s
    result = {
        "n_rnn": args.n_rnn,
        "threads": args.threads,
        "train_trials_per_s": round(config.batch_size / per_step, 1),
        "seconds_per_step": round(per_step, 4),
        "seconds_per_eval_and_checkpoint": round(eval_s, 3),
        "seconds_per_1280_trials": round(per_1280, 3),
        "original_tf_seconds_per_1280_trials": TF_SECONDS_PER_1280,
        "speedup_vs_tf": round(TF_SECONDS_PER_1280 / per_1280, 2),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "torch": torch.__version__,
    }
    json.dump(result, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
