import pytest

from paperrepro.core.errors import UsageError
from paperrepro.core.execute import map_units

from ..conftest import requires_dask


def square_and_threads(x: int) -> tuple[int, int]:
    import torch
    from threadpoolctl import threadpool_info

    blas = [info["num_threads"] for info in threadpool_info()]
    return x * x, max([torch.get_num_threads(), *blas])


@pytest.mark.parametrize("executor", ["serial", "local", pytest.param("dask", marks=requires_dask)])
def test_every_executor_returns_results_in_order_with_one_thread(executor):
    results = map_units(square_and_threads, list(range(6)), executor=executor, jobs=2, desc="test units")
    assert [r[0] for r in results] == [0, 1, 4, 9, 16, 25]
    assert all(r[1] == 1 for r in results)


def test_unknown_executor_is_a_usage_error():
    with pytest.raises(UsageError, match="valid executors: serial, local, dask"):
        map_units(square_and_threads, [1], executor="slurm")
