"""``source: zenodo`` end to end against a Zenodo-shaped record on 127.0.0.1 (``zenodo_record.py`` says what is patched).

The record holds the fake runs of ``synthetic.py`` rewritten in the authors' layout (TF1 checkpoints). Every figure
builds from it; its data equal those built from the same networks as run folders (``source: run``), so the DOI
registry, the downloads, the extraction and the TF conversion are all exercised. A corrupted file (md5 differs from
the listed one) is refused with one line and leaves nothing in the cache; a missing file (404) gives one line.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import xarray as xr

from paperrepro.accuracy import zenodo
from paperrepro.accuracy.figures import REGISTRY
from paperrepro.accuracy.params import Params
from paperrepro.accuracy.pin import SINGLES_ONLY
from paperrepro.accuracy.source import model_from_run, select
from paperrepro.accuracy.train import MODEL_8LOC, MODEL_360LOC
from paperrepro.core.activity import read_netcdf
from paperrepro.core.config import RunContext
from paperrepro.core.errors import DataError
from paperrepro.core.figures import build
from paperrepro.oculomotor.train import load_checkpoint

from .synthetic import fake_run
from .zenodo_record import DOI, FakeZenodo, authors_run, folder_files, md5, zip_bytes

FOLDER_8 = "6tasks_8loc_256neuron_odr3000_seed0"
FOLDER_360 = "6tasks_360loc_256neuron"
FOLDERS = {MODEL_8LOC: FOLDER_8, MODEL_360LOC: FOLDER_360}
DROPPED = 3 * 1280  # an evaluation whose checkpoint the per-file record lacks
SMALL = {"n_noise_seeds": 3, "heatmap_location": 2, "locations_per_batch": 3, "run_prefix": "run", "run_360": "run360"}


def context(source: str, data_dir, **changes) -> RunContext:
    """A smoke-scale run of the accuracy figures (``source`` zenodo or run)."""
    return RunContext("accuracy", "smoke", Params(source=source, **{**SMALL, **changes}), data_dir=data_dir)


@pytest.fixture(autouse=True)
def _fresh_memo():
    """Each test opens the record anew (the module memoises open records per process)."""
    zenodo._RECORDS.clear()
    zenodo._RUNS.clear()
    yield
    zenodo._RECORDS.clear()
    zenodo._RUNS.clear()


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The fake runs as run folders (``data/accuracy/run0``, ``run360``) and in the authors' layout."""
    root = tmp_path_factory.mktemp("zenodo")
    fake8 = fake_run(root / "data" / "accuracy" / "run0")
    fake360 = fake_run(root / "data" / "accuracy" / "run360", n_evals=50, odr_rule="odr")
    authors = {
        MODEL_8LOC: authors_run(fake8, root / "authors" / FOLDER_8),
        MODEL_360LOC: authors_run(fake360, root / "authors" / FOLDER_360),
    }
    dropped = authors_run(fake8, root / "authors_dropped" / FOLDER_8, drop=(DROPPED,))
    return {"root": root, "fake": {MODEL_8LOC: fake8, MODEL_360LOC: fake360}, "authors": authors, "dropped": dropped}


def zip_per_folder(runs) -> dict[str, bytes]:
    """One ``<folder>.zip`` per run folder (members under ``<folder>/``) and a README."""
    files = {f"{f.name}.zip": zip_bytes(folder_files(f, f"{f.name}/")) for f in runs["authors"].values()}
    return {**files, "README.md": b"# trained networks\n"}


def needed(fake, name: str, params: Params) -> set[int]:
    """Checkpoints the figures use, selected on the run folder of the same networks."""
    sel = select(
        model_from_run(fake, name),
        per_stage=params.per_stage or None,
        cap=params.cap,
        window=params.window,
        strict_cap=params.strict_cap,
    )
    return set(sel.singles.values()) if name in SINGLES_ONLY else set(sel.all_trials())


@pytest.fixture(scope="module")
def built(runs, tmp_path_factory):
    """Every figure built from source zenodo, the record served by FakeZenodo (zip per folder)."""
    out = tmp_path_factory.mktemp("built")
    ctx = context("zenodo", out / "data")
    zenodo._RECORDS.clear()
    zenodo._RUNS.clear()
    with pytest.MonkeyPatch.context() as mp, FakeZenodo(zip_per_folder(runs)) as server:
        server.patch(mp)
        results = {name: build(fig, ctx, folder=out / "figures") for name, fig in REGISTRY.figures.items()}
    return {"results": results, "ctx": ctx, "server": server}


def test_every_figure_builds_from_the_record(built, runs):
    results, server, ctx = built["results"], built["server"], built["ctx"]
    assert set(results) == set(REGISTRY.figures)
    for result in results.values():
        assert result.png.stat().st_size > 1000
    # the registry came from the DOI: the DOI was resolved, the API asked once, its md5s saved
    assert set(server.resolved) == {DOI} and server.api_queries() >= 1
    cache = zenodo.cache_dir(ctx.data_dir)
    saved = dict(line.split() for line in (cache / zenodo.REGISTRY_FILE).read_text().splitlines())
    assert saved == {key: f"md5:{md5(data)}" for key, data in server.files.items()}
    # each archive downloaded once, nothing else; only the selected checkpoints extracted
    assert sorted(server.downloads()) == sorted(f"{f}.zip" for f in FOLDERS.values())
    for name, folder in FOLDERS.items():
        extracted = cache / f"{folder}.zip.unzip" / folder
        assert {p.name for p in extracted.iterdir() if p.is_file()} == {"hp.json", "log.json"}
        held = {int(p.name) for p in extracted.iterdir() if p.is_dir()}
        assert held == needed(runs["fake"][name], name, ctx.params)
        for t in held:
            assert sorted(p.name for p in (extracted / str(t)).iterdir()) == sorted(zenodo.CHECKPOINT_FILES)
    assert read_netcdf(results["psth"].data).attrs["model"] == MODEL_8LOC


def test_figure_data_equal_those_of_the_same_networks_as_run_folders(built, runs):
    """The TF conversion is exact: every figure's data from zenodo equal those from the run folders."""
    run_ctx = context("run", runs["root"] / "data")
    for name, fig in REGISTRY.figures.items():
        from_run = fig.compute(run_ctx)
        from_zenodo = read_netcdf(built["results"][name].data)
        xr.testing.assert_equal(from_zenodo, from_run)
        assert from_zenodo.attrs["model"] == from_run.attrs["model"]


def test_a_complete_cache_builds_offline(built, monkeypatch):
    """Once fetched, the record is read from the cache: no DOI resolution, no API, no download."""

    def offline(*args, **kwargs):  # noqa: ANN002, ANN003
        raise AssertionError("the network was used")

    monkeypatch.setattr(zenodo.pooch.downloaders, "doi_to_url", offline)
    monkeypatch.setattr(zenodo.pooch.HTTPDownloader, "__call__", offline)
    ds = REGISTRY.get("input_weights").compute(built["ctx"])
    xr.testing.assert_equal(ds, read_netcdf(built["results"]["input_weights"].data))


@pytest.mark.parametrize("layout", ["per_file", "one_zip"])
def test_other_layouts_and_the_conversion(layout, runs, tmp_path, monkeypatch):
    """Per-file record keys and one archive of every folder; evaluations without a checkpoint are dropped."""
    dropped = runs["dropped"]
    if layout == "per_file":
        files = {**folder_files(dropped, f"{FOLDER_8}/"), "README.md": b"x"}
    else:
        files = {"example_data.zip": zip_bytes(folder_files(dropped, f"example_data/{FOLDER_8}/"))}
    ctx = context("zenodo", tmp_path / "data")
    with FakeZenodo(files) as server:
        server.patch(monkeypatch)
        mdl = zenodo.zenodo_model(ctx, MODEL_8LOC, 0)
        fake = model_from_run(runs["fake"][MODEL_8LOC])
        assert DROPPED in fake.trials and DROPPED not in mdl.trials
        assert mdl.trials.size == fake.trials.size - 1 and mdl.n_eachring == 8 and mdl.seed == 0
        keep = fake.trials != DROPPED
        for rule in fake.perf:
            np.testing.assert_array_equal(mdl.perf[rule], fake.perf[rule][keep])
        want = needed(runs["fake"][MODEL_8LOC], MODEL_8LOC, ctx.params)
        cache = zenodo.cache_dir(ctx.data_dir)
        if layout == "per_file":
            fetched = {p.relative_to(cache / FOLDER_8).as_posix() for p in (cache / FOLDER_8).rglob("*") if p.is_file()}
            assert fetched == {"hp.json", "log.json"} | {f"{t}/{f}" for t in want for f in zenodo.CHECKPOINT_FILES}
            assert not [k for k in server.downloads() if k.endswith((".meta", "/checkpoint"))]
        for t in sorted(want)[:: max(1, len(want) // 4)]:
            weights, ckpt = mdl.weights(t), load_checkpoint(runs["fake"][MODEL_8LOC] / "checkpoints" / f"{t}.npz")
            for key in ("kernel", "bias", "w_out", "b_out"):
                assert weights[key].dtype == np.float32
                np.testing.assert_array_equal(weights[key], ckpt[key])
        with pytest.raises(DataError, match=f"no checkpoint {FOLDER_8}/{DROPPED}"):
            mdl.weights(DROPPED)
        if layout == "one_zip":  # an extraction cut short: one line that says what to delete
            t = min(want)
            data = cache / "example_data.zip.unzip" / "example_data" / FOLDER_8 / str(t) / zenodo.CHECKPOINT_FILES[1]
            data.write_bytes(data.read_bytes()[:100])
            with pytest.raises(DataError, match=rf"checkpoint {FOLDER_8}/{t} .* cannot be read .*too short.*; delete "):
                mdl.weights(t)


@pytest.mark.parametrize("layout", ["zip", "per_file"])
def test_a_corrupted_file_is_refused_and_nothing_is_cached(layout, runs, tmp_path, monkeypatch):
    if layout == "zip":
        files = zip_per_folder(runs)
        bad = f"{FOLDER_8}.zip"
    else:
        files = folder_files(runs["authors"][MODEL_8LOC], f"{FOLDER_8}/")
        first = min(needed(runs["fake"][MODEL_8LOC], MODEL_8LOC, Params(**SMALL)))
        bad = f"{FOLDER_8}/{first}/model.ckpt.data-00000-of-00001"
    ctx = context("zenodo", tmp_path / "data")
    cache = zenodo.cache_dir(ctx.data_dir)
    with FakeZenodo(files, corrupt={bad}) as server:
        server.patch(monkeypatch)
        with pytest.raises(DataError) as err:
            REGISTRY.get("weights").compute(ctx)
        message = str(err.value)
        assert "\n" not in message and bad in message and "corrupted" in message
        assert f"Zenodo lists md5:{md5(files[bad])}" in message
        assert bad in server.downloads()
        left = sorted(p.relative_to(cache).as_posix() for p in cache.rglob("*") if p.is_file())
        assert bad not in left and not [p for p in left if p.rsplit("/", 1)[-1].startswith("tmp")]
        if layout == "zip":
            assert left == [zenodo.REGISTRY_FILE]  # neither the bad archive nor a temporary download
        else:  # the good files fetched before it stay: hp.json, log.json and the index of its checkpoint
            assert left == [
                f"{FOLDER_8}/{first}/model.ckpt.index",
                f"{FOLDER_8}/hp.json",
                f"{FOLDER_8}/log.json",
                zenodo.REGISTRY_FILE,
            ]
        server.corrupt.clear()  # Zenodo serves the right bytes again: the same cache now builds
        zenodo._RUNS.clear()
        ds = REGISTRY.get("weights").compute(ctx)
        assert ds.attrs["model"] == MODEL_8LOC


def test_a_missing_file_is_one_clear_line(runs, tmp_path, monkeypatch):
    files = zip_per_folder(runs)
    ctx = context("zenodo", tmp_path / "data")
    with FakeZenodo(files, missing={f"{FOLDER_360}.zip"}) as server:
        server.patch(monkeypatch)
        with pytest.raises(DataError) as err:
            REGISTRY.get("heatmap360").compute(ctx)
        message = str(err.value)
        assert "\n" not in message
        assert message.startswith(f"could not download {FOLDER_360}.zip from the Zenodo record doi:{DOI}")
        assert "404 Client Error" in message
        cache = zenodo.cache_dir(ctx.data_dir)
        assert not list(cache.glob(f"{FOLDER_360}*"))


def test_absent_folder_and_unknown_doi_say_what_to_do(runs, tmp_path, monkeypatch):
    with FakeZenodo(zip_per_folder(runs)) as server:
        server.patch(monkeypatch)
        ctx = context("zenodo", tmp_path / "data", zenodo_prefix="6tasks_8loc_256neuron_seed")
        with pytest.raises(
            DataError,
            match=r"holds no run folder 6tasks_8loc_256neuron_seed0 .*its files: "
            rf"{FOLDER_360}\.zip, {FOLDER_8}\.zip, README\.md",
        ):
            zenodo.zenodo_model(ctx, MODEL_8LOC, 0)
        other = context("zenodo", tmp_path / "other", zenodo_doi="10.5281/zenodo.1")
        with pytest.raises(
            DataError,
            match=r"^could not list the files of the Zenodo record doi:10\.5281/zenodo\.1 "
            r"\(HTTPError: 404",
        ):
            zenodo.zenodo_model(other, MODEL_8LOC, 0)
        assert not (tmp_path / "other" / "accuracy" / "zenodo" / zenodo.REGISTRY_FILE).exists()
    with pytest.raises(ValueError, match="zenodo_doi"):
        dataclasses.replace(Params(), zenodo_doi="10.1000/xyz")
