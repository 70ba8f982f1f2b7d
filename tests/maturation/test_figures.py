"""Smoke-scale figure computation on a fake 16-unit run (schema, attributes, reference-file consistency)."""

import dataclasses

import numpy as np
import pytest

from paperrepro.core.activity import read_netcdf
from paperrepro.core.config import RunContext
from paperrepro.core.errors import DataError
from paperrepro.core.figures import build
from paperrepro.core.reference import evaluate, load_checks
from paperrepro.maturation import figure_data, plots
from paperrepro.maturation import figures as figs
from paperrepro.maturation.params import Params
from paperrepro.maturation.pin import pin_run

from .conftest import make_fake_run


@pytest.fixture
def smoke_ctx(tmp_path):
    data = tmp_path / "data"
    make_fake_run(data / "maturation" / "paper" / "seed0")
    # decoder windows of 100 steps (76 bins instead of 166) keep the smoke decoder fast
    params = dataclasses.replace(
        Params(), source="run", range_lead=4, dpca_repeats=1, decoder_window=100, anti_n_rnn=8, anti_steps=40
    )
    return RunContext("maturation", "smoke", params, data_dir=data)


def test_all_figures_smoke(smoke_ctx, tmp_path):
    expected = {
        "fig4EFG": {"psth": ("epoch", "stage", "condition", "time")},
        "figS3B": {"tuning": ("panel", "stage", "position")},
        "figS2B": {"growth": ("selection", "checkpoint")},
        "fig3B": {"h_mean": ("location", "time")},
        "figS5E": {"accuracy": ("stage", "train_time", "test_time")},
        "fig5E": {"Z": ("stage", "marginalization", "location", "time")},
        "anti_psth": {"psth": ("task", "stage", "time"), "tuning": ("task", "stage", "position")},
        "learning_curves": {"perf_smooth": ("task", "log_trial")},
        "distractor_distance": {"perf": ("stage", "distance"), "perf_checkpoint": ("checkpoint", "distance")},
        "seldir": {"inter": ("checkpoint",), "n_selected": ("selection", "checkpoint")},
    }
    assert set(figs.REGISTRY.names) == set(expected)
    for name, dims in expected.items():
        fig = figs.REGISTRY.get(name)
        result = build(fig, smoke_ctx, check=True, folder=tmp_path / "figures")
        assert result.png.stat().st_size > 10_000 and result.data.stat().st_size < 1_000_000
        # checks marked for smoke (constructions that hold for any network) are evaluated and must not fail
        assert not [r.check.name for r in result.checks if r.failed]
        if name == "figS3B":
            assert [r.check.kind for r in result.checks] == ["sanity"]
        ds = read_netcdf(result.data)
        for var, d in dims.items():
            assert ds[var].dims == d
        assert ds.attrs["profile"] == "smoke"
        if name not in ("anti_psth", "learning_curves", "distractor_distance"):
            assert ds.attrs["matured"] == 1 and ds.attrs["range_start"] == (36 - 4) * 1280
        if "time" in ds.dims and name != "anti_psth":
            assert ds["time"].attrs["units"] == "ms" and ds["time"].values[-1] == 3480.0
        # every quick/paper check names a variable and selection that exist (values of random nets are arbitrary)
        assert len(evaluate(ds, load_checks(fig.reference_file), "quick")) >= 1


def test_fig5E_uses_mature_lambda_for_all_stages(smoke_ctx):
    ds = figs.fig5E(smoke_ctx)
    lam = ds["lam"].values
    assert np.all(lam == lam[2]) and np.isfinite(ds["cv_score"].values).all()
    assert ds["checkpoint"].sel(stage="mature") == 59 * 1280


def test_pinned_source(smoke_ctx, tmp_path, monkeypatch):
    run = smoke_ctx.data_dir / "maturation" / "paper" / "seed0"
    out, _, sel = pin_run(run, tmp_path / "pinned.nc", per_stage=3, plateau_every=8, range_lead=4)
    monkeypatch.setattr(figure_data, "fetch", lambda paper, name: out)
    ctx = dataclasses.replace(smoke_ctx, params=dataclasses.replace(smoke_ctx.params, source="pinned"))
    ds = figs.figS2B(ctx)
    assert ds["checkpoint"].values.tolist() == sel["trials"]
    assert figs.fig3B(ctx).attrs["checkpoint"] == 59 * 1280


def test_missing_pinned_file_names_the_commands(smoke_ctx):
    ctx = dataclasses.replace(smoke_ctx, params=dataclasses.replace(smoke_ctx.params, source="pinned", pinned_name="absent.nc"))
    with pytest.raises(DataError, match="python -m paperrepro.maturation.pin"):
        figs.open_store(ctx)


def test_figures_module_holds_registrations_only():
    """Every registered figure computes in figure_data and draws in plots; figures.py defines no function itself."""
    import inspect

    for fig in figs.REGISTRY.figures.values():
        assert fig.compute.__module__ == figure_data.__name__ and fig.plot.__module__ == plots.__name__
    own = [n for n, f in inspect.getmembers(figs, inspect.isfunction) if f.__module__ == figs.__name__]
    assert own == []
