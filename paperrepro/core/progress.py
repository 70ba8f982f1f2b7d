"""Progress lines with the elapsed time and an ETA, for long runs that are watched in a log file.

A terminal shows tqdm's bar (:func:`paperrepro.core.execute.map_units` draws one); an unattended run (``nohup``, a
cluster job, a DVC stage) needs lines instead. :class:`Progress` writes them::

    progress = Progress(total=12, items=12, label="networks")
    for spec in specs:
        train(spec)
        progress.advance(info=spec.key)   # "[3/12 networks] A-0.5-s2; 25 % done, elapsed 0:04:10, ETA 0:12:30"

Work may be weighted: ``total`` and each ``advance(amount)`` are in any unit of expected cost (a network that trains
two phases counts 2), so that the ETA does not assume every item costs the same. Work finished before this session
(``initial``, e.g. resumed checkpoints) counts as done but not towards the rate, so a resumed run does not promise an
ETA it cannot keep. The ETA is ``remaining work / rate of this session``: it assumes the rest costs what the finished
work did, with the same number of workers busy.

Runs whose progress is read from files written by other processes (training workers) set the amount done with
:meth:`Progress.update` and print :meth:`Progress.line` every few seconds with :func:`report_periodically`.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["Progress", "format_duration", "print_line", "report_periodically"]


def print_line(text: str) -> None:
    """Print one progress line and flush, so that it reaches a redirected log at once (the default ``report``).

    Parameters
    ----------
    text
        The line.
    """
    print(text, flush=True)


def format_duration(seconds: float) -> str:
    """Return a duration as ``H:MM:SS``.

    Parameters
    ----------
    seconds
        The duration; negative values count as zero, fractions are dropped.

    Returns
    -------
    str
        E.g. ``"0:04:10"`` or ``"27:03:00"`` (hours are not wrapped into days).

    Raises
    ------
    ValueError
        If ``seconds`` is not finite.
    """
    if not math.isfinite(seconds):
        raise ValueError(f"a duration must be finite, got {seconds}")
    whole = int(max(seconds, 0.0))
    return f"{whole // 3600}:{whole // 60 % 60:02d}:{whole % 60:02d}"


class Progress:
    """Work done, elapsed time and ETA of one run, reported as lines.

    Parameters
    ----------
    total
        The work in all, in units of expected cost (e.g. networks, trials); > 0.
    items
        The number of items the work consists of, shown as ``[done/items]``; default: ``total`` when it is a whole
        number, else the count of :meth:`advance` calls is shown without a total.
    label
        What the items are (``"networks"``), shown after the count.
    initial
        Work already done before this session (e.g. resumed); counts as done, not towards the rate.
    report
        Receives each line that :meth:`advance` makes (default :func:`print_line`; a log file's writer for
        unattended runs; ``None`` to only return the lines).
    clock
        Monotonic seconds (tests pass a fake clock).

    Raises
    ------
    ValueError
        If ``total`` is not positive and finite or ``initial`` is not in ``[0, total]``.
    """

    def __init__(
        self,
        total: float,
        *,
        items: int | None = None,
        label: str = "",
        initial: float = 0.0,
        report: Callable[[str], object] | None = print_line,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not (math.isfinite(total) and total > 0):
            raise ValueError(f"total work must be positive and finite, got {total}")
        if not 0 <= initial <= total:
            raise ValueError(f"initial work must be within [0, {total}], got {initial}")
        self.total = float(total)
        self.items = items if items is not None else (int(total) if float(total).is_integer() else None)
        self.label = label
        self.initial = float(initial)
        self.done = float(initial)
        self.finished = 0
        self.report = report
        self.clock = clock
        self.start = clock()

    @property
    def elapsed(self) -> float:
        """Seconds since the progress was created."""
        return self.clock() - self.start

    @property
    def rate(self) -> float:
        """Work done in this session per second (0 before any)."""
        elapsed = self.elapsed
        return (self.done - self.initial) / elapsed if elapsed > 0 else 0.0

    @property
    def eta(self) -> float | None:
        """Seconds left at this session's rate; 0 when all is done, ``None`` while there is no rate yet."""
        remaining = max(self.total - self.done, 0.0)
        if remaining == 0:
            return 0.0
        rate = self.rate
        return remaining / rate if rate > 0 else None

    def update(self, done: float) -> None:
        """Set the work done so far (for work counted elsewhere, e.g. in files that workers write).

        Parameters
        ----------
        done
            The work done in all, ``initial`` included; clipped to ``[0, total]``.
        """
        self.done = min(max(float(done), 0.0), self.total)

    def line(self, info: str = "") -> str:
        """Return the progress line.

        Parameters
        ----------
        info
            What just finished or what is running (e.g. the item's name and result), shown after the count.

        Returns
        -------
        str
            ``[<finished>/<items> <label>] <info>; <percent> % done, elapsed H:MM:SS, ETA H:MM:SS`` (ETA ``unknown``
            before this session has done any work).
        """
        count = f"{self.finished}/{self.items}" if self.items is not None else f"{self.finished}"
        head = f"[{count}{' ' + self.label if self.label else ''}]"
        eta = self.eta
        timing = f"{100 * self.done / self.total:.0f} % done, elapsed {format_duration(self.elapsed)}, ETA " + (
            format_duration(eta) if eta is not None else "unknown"
        )
        return f"{head} {info}; {timing}" if info else f"{head} {timing}"

    def advance(self, amount: float = 1.0, info: str = "") -> str:
        """Count one finished item and report the progress line.

        Parameters
        ----------
        amount
            The item's work (its weight), >= 0.
        info
            Shown in the line (see :meth:`line`).

        Returns
        -------
        str
            The line, also passed to ``report``.

        Raises
        ------
        ValueError
            If ``amount`` is negative.
        """
        if amount < 0:
            raise ValueError(f"work done cannot be negative, got {amount}")
        self.finished += 1
        self.update(self.done + amount)
        text = self.line(info)
        if self.report is not None:
            self.report(text)
        return text


@contextmanager
def report_periodically(
    make_line: Callable[[], str], every: float, report: Callable[[str], object] = print_line
) -> Iterator[threading.Event]:
    """Report ``make_line()`` every ``every`` seconds from a background thread while the block runs.

    Parameters
    ----------
    make_line
        Returns the current line (e.g. a :class:`Progress`'s ``line`` after reading the workers' progress files).
    every
        Seconds between two lines; > 0.
    report
        Receives each line (default :func:`print_line`).

    Yields
    ------
    threading.Event
        Set when the block ends; the thread stops then without a last line (the caller prints its own summary).

    Raises
    ------
    ValueError
        If ``every`` is not positive.
    """
    if not every > 0:
        raise ValueError(f"the reporting period must be positive, got {every}")
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(every):
            report(make_line())

    thread = threading.Thread(target=loop, name="progress", daemon=True)
    thread.start()
    try:
        yield stop
    finally:
        stop.set()
        thread.join()
