"""Reproduction by tolerance: identical, equivalent (within the declared tolerance) or different, with the worst place."""

import subprocess

import numpy as np
import pytest
import xarray as xr

from paperrepro.core.activity import write_netcdf
from paperrepro.core.compare import (
    DEFAULT_TOLERANCE,
    DIFFERENT,
    EQUIVALENT,
    IDENTICAL,
    MISSING,
    Tolerance,
    committed_bytes,
    compare_datasets,
    format_judgements,
    judge_figure,
)
from paperrepro.core.errors import CheckError


def figure_data(shift: float = 0.0) -> xr.Dataset:
    values = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]) + shift
    return xr.Dataset(
        {"rate": (("stage", "time"), values, {"units": "Hz"}), "count": ("stage", np.array([3, 4]))},
        coords={"stage": ["early", "mature"], "time": [0.0, 20.0, 40.0]},
        attrs={"paper": "toy", "seed": 0, "paperrepro_version": "1.0"},
    )


def test_equal_data_with_other_provenance_are_equivalent():
    new = figure_data()
    new.attrs["paperrepro_version"] = "2.0"
    assert compare_datasets(new, figure_data())[0] == EQUIVALENT


def test_differences_within_the_tolerance_are_equivalent_and_reported():
    new = figure_data()
    new["rate"] = new["rate"] * (1 + 3e-6)
    status, detail = compare_datasets(new, figure_data())
    assert status == EQUIVALENT and "rate: max |Δ| 1.8e-05, max relative 3e-06" in detail


def test_a_difference_beyond_the_tolerance_names_variable_size_and_place():
    new = figure_data()
    new["rate"] = new["rate"].where(~((new.stage == "mature") & (new.time == 20.0)), 5.1)
    status, detail = compare_datasets(new, figure_data())
    assert status == DIFFERENT
    assert detail == "rate: max |Δ| 0.1, max relative 0.02 at stage=mature, time=20.0"
    assert compare_datasets(new, figure_data(), Tolerance(variables={"rate": (0.05, 0.0)}))[0] == EQUIVALENT


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda ds: ds.assign(count=("stage", np.array([3, 5]))), "count: max |Δ| inf, max relative inf at stage=mature"),
        (lambda ds: ds.assign_coords(time=[0.0, 20.0, 60.0]), "coordinate time"),
        (lambda ds: ds.assign_attrs(seed=1), "attribute 'seed' of the dataset differs"),
        (lambda ds: ds.drop_vars("count"), "variable 'count' is only in the committed file"),
        (lambda ds: ds.assign(rate=ds["rate"].where(ds.time > 0)), "NaN in one only"),
    ],
)
def test_exact_values_coordinates_attributes_and_nans_must_match(change, expected):
    status, detail = compare_datasets(change(figure_data()), figure_data())
    assert status == DIFFERENT and expected in detail


def test_a_tolerance_must_be_finite_and_non_negative():
    with pytest.raises(ValueError, match="'rate' must be finite and non-negative"):
        Tolerance(variables={"rate": (-1.0, 0.0)})


@pytest.fixture
def repo(tmp_path):
    root = tmp_path / "repo"
    (root / "figures" / "toy").mkdir(parents=True)
    write_netcdf(figure_data(), root / "figures" / "toy" / "fig.nc")
    (root / "figures" / "toy" / "fig.png").write_bytes(b"png of the committed figure")
    for args in (["init", "-q"], ["add", "."], ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "c"]):
        subprocess.run(["git", *args], cwd=root, check=True)
    return root


def _judge(root, tolerance=DEFAULT_TOLERANCE):
    folder = root / "figures" / "toy"
    return judge_figure(
        folder / "fig.png", folder / "fig.nc", "figures/toy/fig.png", "figures/toy/fig.nc", tolerance, "HEAD", root
    )


def test_rebuilt_outputs_are_judged_against_git_head(repo):
    assert [j.status for j in _judge(repo)] == [IDENTICAL, IDENTICAL]
    new = figure_data()
    new["rate"] = new["rate"] * (1 + 1e-7)
    write_netcdf(new, repo / "figures" / "toy" / "fig.nc")
    (repo / "figures" / "toy" / "fig.png").write_bytes(b"png with other anti-aliasing")
    data, image = _judge(repo)
    assert (data.status, image.status) == (EQUIVALENT, EQUIVALENT) and "judged through its .nc" in image.detail
    write_netcdf(figure_data(shift=1.0), repo / "figures" / "toy" / "fig.nc")
    data, image = _judge(repo)
    assert (data.status, image.status) == (DIFFERENT, DIFFERENT) and data.failed
    assert "rebuild vs committed: 0 identical, 0 equivalent, 2 different, 0 missing" in format_judgements([data, image])
    (repo / "figures" / "toy" / "fig.png").unlink()
    assert _judge(repo)[1].status == MISSING


def test_committed_bytes_need_a_git_checkout(repo, tmp_path):
    assert committed_bytes("figures/toy/fig.png", "HEAD", repo) == b"png of the committed figure"
    assert committed_bytes("figures/toy/none.png", "HEAD", repo) is None
    with pytest.raises(CheckError, match="needs a git checkout"):
        committed_bytes("figures/toy/fig.png", "HEAD", tmp_path)


def test_a_figure_that_trains_in_the_build_is_judged_by_its_verdict(repo):
    from paperrepro.core.compare import RETRAINED

    write_netcdf(figure_data(shift=1.0), repo / "figures" / "toy" / "fig.nc")  # another network: far beyond tolerance
    (repo / "figures" / "toy" / "fig.png").write_bytes(b"png of another network")
    same = _judge_trained(repo, lambda ds: "reproduced")
    assert [j.status for j in same] == [RETRAINED, RETRAINED] and not any(j.failed for j in same)
    assert same[0].detail == "trains in the build; verdict reproduced"
    changed = _judge_trained(repo, lambda ds: "reproduced" if float(ds["rate"].max()) < 6.5 else "not reproduced")
    assert changed[0].status == DIFFERENT and changed[0].detail.endswith("verdict not reproduced, committed reproduced")


def _judge_trained(root, verdict_of):
    folder = root / "figures" / "toy"
    return judge_figure(
        folder / "fig.png", folder / "fig.nc", "figures/toy/fig.png", "figures/toy/fig.nc", Tolerance(), "HEAD", root, verdict_of
    )
