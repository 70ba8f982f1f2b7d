"""Progress lines: counts, weighted ETA, resumed work, periodic reporting, and map_units' lines."""

import threading

import pytest

from paperrepro.core.execute import map_units
from paperrepro.core.progress import Progress, format_duration, report_periodically


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_format_duration():
    assert format_duration(0) == "0:00:00"
    assert format_duration(59.9) == "0:00:59"
    assert format_duration(3 * 3600 + 25 * 60 + 7) == "3:25:07"
    assert format_duration(27 * 3600) == "27:00:00"
    assert format_duration(-5) == "0:00:00"
    with pytest.raises(ValueError, match="finite"):
        format_duration(float("inf"))


def test_lines_count_items_and_estimate_the_rest_from_this_sessions_rate():
    clock, lines = FakeClock(), []
    progress = Progress(4, label="networks", report=lines.append, clock=clock)
    assert progress.eta is None and progress.line() == "[0/4 networks] 0 % done, elapsed 0:00:00, ETA unknown"
    clock.now += 60
    assert progress.advance(info="A-s0") == "[1/4 networks] A-s0; 25 % done, elapsed 0:01:00, ETA 0:03:00"
    clock.now += 60
    progress.advance(info="A-s1")
    assert lines[-1] == "[2/4 networks] A-s1; 50 % done, elapsed 0:02:00, ETA 0:02:00"
    clock.now += 30
    progress.advance()
    progress.advance()
    assert progress.eta == 0.0 and lines[-1] == "[4/4 networks] 100 % done, elapsed 0:02:30, ETA 0:00:00"


def test_weighted_work_and_resumed_work():
    clock = FakeClock()
    # 3 networks of which one trains two phases (weight 2), and 1 unit of work finished before this session
    progress = Progress(5, items=3, initial=1, report=None, clock=clock)
    clock.now += 100
    line = progress.advance(2, info="multitask")
    # rate counts only this session's 2 units in 100 s: 2 units left take 100 s
    assert progress.done == 3 and progress.eta == pytest.approx(100.0)
    assert line == "[1/3] multitask; 60 % done, elapsed 0:01:40, ETA 0:01:40"
    with pytest.raises(ValueError, match="negative"):
        progress.advance(-1)


def test_update_sets_work_counted_elsewhere_and_clips_it():
    clock = FakeClock()
    progress = Progress(1000.0, items=None, label="trials", initial=200, report=None, clock=clock)
    clock.now += 10
    progress.update(400)
    assert progress.rate == pytest.approx(20.0) and progress.eta == pytest.approx(30.0)
    progress.update(5000)
    assert progress.done == 1000.0 and progress.eta == 0.0
    assert Progress(2.5, report=None).items is None  # no whole number of items: the count is shown without total


@pytest.mark.parametrize("total, initial", [(0, 0), (-1, 0), (float("nan"), 0), (3, 4), (3, -1)])
def test_invalid_totals_are_refused(total, initial):
    with pytest.raises(ValueError):
        Progress(total, initial=initial, report=None)


def test_report_periodically_reports_until_the_block_ends():
    lines: list[str] = []
    enough = threading.Event()

    def make_line() -> str:
        if len(lines) >= 2:
            enough.set()
        return f"line {len(lines)}"

    with report_periodically(make_line, 0.01, report=lines.append) as stop:
        assert enough.wait(10)
    assert stop.is_set()
    count = len(lines)
    assert count >= 3 and lines[:3] == ["line 0", "line 1", "line 2"]
    enough.clear()
    assert not enough.wait(0.05) and len(lines) == count  # the thread has stopped
    with pytest.raises(ValueError, match="positive"):
        with report_periodically(make_line, 0):
            pass


def double(x: int) -> int:
    return 2 * x


def test_map_units_reports_one_line_per_finished_unit():
    lines: list[str] = []
    assert map_units(double, [1, 2, 3], desc="test units", report=lines.append) == [2, 4, 6]
    assert [line.split("]")[0] for line in lines] == ["[1/3 test units", "[2/3 test units", "[3/3 test units"]
    assert lines[-1].startswith("[3/3 test units] 100 % done, elapsed ") and lines[-1].endswith(", ETA 0:00:00")
    assert map_units(double, [], report=lines.append) == [] and len(lines) == 3
