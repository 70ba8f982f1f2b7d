"""Training speed of the memory_factors RNN: seconds per iteration and network-iterations per second.

One iteration = a fresh 50-trial batch per network (numpy Poisson generation), forward + backward over 150 steps,
one Adam step. K networks of one grid column run as one tensor program (batched matmul). Compare with
the original Theano code: about 0.77 s per iteration per network (1.3 network-iterations/s) on a loaded 2-core
machine, and with an independent faithful re-implementation: 125-155 ms per iteration at N = 500 on one idle thread.

Usage::

    python benchmarks/memory_factors_bench.py [--n-hidden 500] [--blocks 1,32] [--iterations 5] [--threads 1]
"""

from __future__ import annotations

import argparse
import os
import time

ORIGINAL_S_PER_ITERATION = 0.77


def bench(n_hidden: int, k: int, iterations: int, task: str, model: str, device: str = "cpu") -> float:
    """Return the seconds per joint iteration of a block of ``k`` networks."""
    from paperrepro.memory_factors.train import NetSetup, Trainer

    setups = [
        NetSetup(
            (task,),
            0.9,
            0.2,
            seed=s + 1,
            n_hidden=n_hidden,
            n_iterations=iterations + 1,
            gamma=7e-4 if model == "hebbian" else 0.0,
        )
        for s in range(k)
    ]
    trainer = Trainer(setups, device=device)
    trainer.train_step()  # warm-up
    start = time.perf_counter()
    for _ in range(iterations):
        trainer.train_step()
    if device.startswith("cuda"):
        import torch

        torch.cuda.synchronize()
    return (time.perf_counter() - start) / iterations


def main() -> None:
    """Parse arguments, run the benchmarks and print one line per block size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-hidden", type=int, default=500)
    parser.add_argument("--blocks", default="1,32", help="comma-separated numbers of networks per block")
    parser.add_argument("--iterations", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--task", default="2AFC")
    parser.add_argument("--model", choices=("vanilla", "hebbian"), default="vanilla")
    parser.add_argument("--device", default="cpu", help="torch device, e.g. cuda (FP32 matmuls, no TF32)")
    args = parser.parse_args()
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ.setdefault(var, str(args.threads))
    import torch

    torch.set_num_threads(args.threads)
    print(
        f"N = {args.n_hidden}, task {args.task}, {args.model}, {args.threads} thread(s), torch {torch.__version__}, "
        f"device {args.device}, load average {os.getloadavg()[0]:.1f}"
    )
    for k in (int(b) for b in args.blocks.split(",")):
        per_iter = bench(args.n_hidden, k, args.iterations, args.task, args.model, args.device)
        print(
            f"K = {k:3d}: {per_iter:8.3f} s per joint iteration, {per_iter / k:7.3f} s per network-iteration, "
            f"{k / per_iter:6.2f} network-iterations/s, {ORIGINAL_S_PER_ITERATION * k / per_iter:5.1f}x the "
            f"original Theano code ({ORIGINAL_S_PER_ITERATION} s per iteration)"
        )


if __name__ == "__main__":
    main()
