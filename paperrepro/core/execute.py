"""Running many independent units of work (networks, seeds) through one ``concurrent.futures`` interface.

Three executors, chosen by name:

``serial``
    In this process, one after the other (the default; tests use it).
``local``
    A process pool on this machine with ``jobs`` workers.
``dask``
    A ``dask.distributed`` client (extra ``paperrepro[dask]``): a ``LocalCluster`` with ``jobs`` single-threaded
    workers, or the scheduler at ``PAPERREPRO_DASK_SCHEDULER`` (e.g. a dask-jobqueue ``SLURMCluster`` started by
    the user), through ``Client.get_executor()``.

Every unit runs with one BLAS/torch thread: parallel networks scale with processes, and intra-op threading only
thrashes (measured on a 2-core machine: 0.36–0.39 vs 3.2–5.8 CPU s per memory-factors iteration with 1 vs 2 threads).
The package owns no scheduler; reruns skip finished units by their files.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from typing import TypeVar

from tqdm.auto import tqdm

from .errors import UsageError
from .progress import Progress

EXECUTORS: tuple[str, ...] = ("serial", "local", "dask")
T = TypeVar("T")
R = TypeVar("R")


def run_single_threaded(fn: Callable[[T], R], unit: T) -> R:
    """Call ``fn(unit)`` with BLAS and torch limited to one thread.

    torch is not imported here (≈ 2 s) for work that runs no network: if it is already loaded its thread count is set
    to one; otherwise ``OMP_NUM_THREADS=1`` is set for the call, so a torch that ``fn`` imports starts with one thread.
    The previous thread settings are restored afterwards.

    Parameters
    ----------
    fn
        The work.
    unit
        Its argument.

    Returns
    -------
    object
        What ``fn(unit)`` returns.
    """
    from threadpoolctl import threadpool_limits

    torch = sys.modules.get("torch")
    previous = torch.get_num_threads() if torch is not None else None
    saved_env = os.environ.get("OMP_NUM_THREADS")
    if torch is not None:
        torch.set_num_threads(1)
    else:
        os.environ["OMP_NUM_THREADS"] = "1"
    try:
        with threadpool_limits(limits=1):
            return fn(unit)
    finally:
        if torch is not None:
            torch.set_num_threads(previous)
        elif saved_env is None:
            os.environ.pop("OMP_NUM_THREADS", None)
        else:
            os.environ["OMP_NUM_THREADS"] = saved_env


@contextmanager
def open_executor(kind: str, jobs: int) -> Iterator[Executor | None]:
    """Yield the executor named ``kind`` with ``jobs`` workers and shut it down after.

    Parameters
    ----------
    kind
        One of :data:`EXECUTORS` (see the module docstring).
    jobs
        Number of worker processes (at least one is started).

    Yields
    ------
    concurrent.futures.Executor or None
        ``None`` for ``serial`` (the caller runs the units itself).

    Raises
    ------
    UsageError
        For an unknown ``kind``, or ``dask`` without the ``dask`` extra installed.
    """
    if kind not in EXECUTORS:
        raise UsageError(f"unknown executor {kind!r}; valid executors: {', '.join(EXECUTORS)}")
    if kind == "serial":
        yield None
    elif kind == "local":
        # forkserver: workers start from a clean process, never from a parent whose OpenMP threads are running.
        context = multiprocessing.get_context("forkserver")
        with ProcessPoolExecutor(max_workers=max(1, jobs), mp_context=context) as pool:
            yield pool
    else:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError as err:
            raise UsageError("the dask executor needs the extra: pip install 'paperrepro[dask]'") from err
        address = os.environ.get("PAPERREPRO_DASK_SCHEDULER")
        if address:
            with Client(address) as client:
                yield client.get_executor()
        else:
            with (
                LocalCluster(n_workers=max(1, jobs), threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
                Client(cluster) as client,
            ):
                yield client.get_executor()


def map_units(
    fn: Callable[[T], R],
    units: Sequence[T],
    *,
    executor: str = "serial",
    jobs: int = 1,
    desc: str = "networks",
    report: Callable[[str], object] | None = None,
) -> list[R]:
    """Apply ``fn`` to every unit and return the results in the order of ``units``.

    Parameters
    ----------
    fn
        A top-level (picklable) function of one unit.
    units
        The units of work, e.g. ``(association, structure, seed)`` tuples.
    executor, jobs
        Which executor (see the module docstring) and how many workers.
    desc
        Label of the progress bar (shown on stderr when it is a terminal) and of the progress lines.
    report
        Receives one line per finished unit with the elapsed time and an ETA
        (:class:`~paperrepro.core.progress.Progress`), e.g. a log file's writer for unattended runs; default none.

    Returns
    -------
    list
        ``[fn(u) for u in units]``.
    """
    progress = Progress(len(units), label=desc, report=report) if report is not None and units else None
    with open_executor(executor, jobs) as pool:
        bar = tqdm(total=len(units), desc=desc, unit=desc.split()[-1], disable=None)

        def tick() -> None:
            bar.update()
            if progress is not None:
                progress.advance()

        with bar:
            if pool is None:
                results = []
                for unit in units:
                    results.append(run_single_threaded(fn, unit))
                    tick()
                return results
            futures = {pool.submit(run_single_threaded, fn, unit): i for i, unit in enumerate(units)}
            finished: dict[int, R] = {}
            for future in as_completed(futures):
                finished[futures[future]] = future.result()
                tick()
            return [finished[i] for i in range(len(units))]
