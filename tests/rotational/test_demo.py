"""Loading ``model_demo.pkl`` safely, its conversion, and the replay of the authors' 10 networks.

The tests on the real file run wherever the authors' files are reachable (CI: ``PAPERREPRO_MIRROR=../shared/authors``).
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

import numpy as np
import pytest

from paperrepro.core.errors import DataError
from paperrepro.core.fetch import download_dir, fetch
from paperrepro.rotational import analysis as an
from paperrepro.rotational.demo import FIELDS, demo_to_dataset, load_demo_pickle, replay_deltas, replay_demo
from paperrepro.rotational.model import build_network
from paperrepro.rotational.original import summarise
from paperrepro.rotational.params import Params

DEMO_SHA256 = "0e48930d1e7366613088638fe4b253a71db5a5540358991134267fda695d142f"


def synthetic_demo(n_units: int = 150, num_p: int = 2, n_trials: int = 1000) -> list:
    """A demo-layout list (the 21 entries the notebook pickles) with two built networks and random metrics."""
    rng = np.random.default_rng(0)
    nets = [build_network(rng, a, 0.2) for a in (0.0, 0.95)][:num_p]
    shape = lambda *s: rng.random(s)  # noqa: E731
    tp = {"AX": None, "CCprime": None}
    return [
        np.int32(1),
        {"N": np.int32(n_units), "noise_level": np.int32(2), "transfer_func": np.str_("Relu")},
        {"stim0": {"A": np.array([[1], [0], [0], [0]], dtype=np.int32)}},
        ["AX", "CCprime"],
        {"link_percents": np.linspace(0, 0.95, 2), "rand_std_all": [0.2]},
        {"link_percents": np.array([0.0, 0.95]), "rand_std_all": np.array([0.2, 0.2])},
        num_p,
        {k: shape(num_p, 1, 2, n_units) for k in tp},
        {k: shape(num_p, 1, 2) for k in tp},
        {k: shape(num_p, 1, 2, n_units) for k in tp},
        np.stack([n.W for n in nets], -1)[..., None],
        np.stack([n.IH for n in nets], -1)[..., None],
        rng.integers(0, 20, (num_p, 1, 9)).astype(float),
        {k: shape(num_p, 1) * 90 for k in ("AX_sen_CCp", "AX_sen_AX_mem", "AX_mem_CCp")},
        ["AX", "CCprime"],
        {r: {f"{ls}{t}": shape(num_p, 1) for ls in tp for t in (0, 1)} for r in an.READOUTS},
        np.int32(1),
        {r: {f"{ls}1{e}": shape(num_p, 1) for ls in tp for e in ("exp", "unexp")} for r in an.READOUTS},
        np.stack([n.patterns for n in nets], -1)[..., None],
        {k: shape(num_p, 1, 2, 2, n_trials) for k in tp},
        np.repeat(np.arange(4.0), n_trials // 4),
    ]


def test_synthetic_demo_loads_and_converts(tmp_path):
    content = synthetic_demo()
    assert len(content) == len(FIELDS)
    path = tmp_path / "model_demo.pkl"
    path.write_bytes(pickle.dumps(content, protocol=4))
    demo = load_demo_pickle(path)
    ds = demo_to_dataset(demo)
    assert ds.sizes["network"] == 2 and ds.sizes["unit"] == 150
    np.testing.assert_array_equal(ds["W"].values[1], content[10][:, :, 1, 0])
    np.testing.assert_array_equal(ds["coef"].sel(readout="CCprime1").values, content[7]["CCprime"][:, 0, 1])
    np.testing.assert_array_equal(
        ds["auc"].sel(readout="AX1", labels="CCprime", t_test=0).values, content[15]["AX1"]["CCprime0"][:, 0]
    )
    np.testing.assert_array_equal(
        ds["postdiction"].sel(readout="AX0", labels="AX", subset="unexp").values, content[17]["AX0"]["AX1unexp"][:, 0]
    )
    assert ds["association"].values.tolist() == [0.0, 0.95]
    replayed = replay_demo(ds, Params(n_shuffles=50))
    assert replayed.sizes["network"] == 2 and int(replayed["is_test"].sum()) == 2000


class _Evil:
    def __reduce__(self):
        return (os.system, ("echo should-not-run",))


def test_non_whitelisted_global_is_refused(tmp_path):
    path = tmp_path / "model_demo.pkl"
    path.write_bytes(pickle.dumps([_Evil()], protocol=4))
    with pytest.raises(DataError, match="not allowed"):
        load_demo_pickle(path)
    path.write_bytes(pickle.dumps([np.zeros(2), dict], protocol=4))
    with pytest.raises(DataError):
        load_demo_pickle(path)


@pytest.fixture
def authors_demo(authors_mirror) -> Path:
    """``model_demo.pkl`` fetched through the real pooch path (pinned hash) from the authors' mirror folder."""
    path = fetch("rotational", "model_demo.pkl", mirror=authors_mirror)
    assert path.parent == download_dir("rotational")  # copied into the cache by pooch, not read in place
    assert hashlib.sha256(path.read_bytes()).hexdigest() == DEMO_SHA256
    return path


def test_authors_demo_consistency(authors_demo):
    """The saved networks obey the model's construction and hold the values the notebook printed."""
    saved = demo_to_dataset(load_demo_pickle(authors_demo))
    W, p, ih = saved["W"].values, saved["patterns"].values, saved["IH"].values
    for k in range(saved.sizes["network"]):
        np.testing.assert_allclose(W[k] @ p[k, 0:2].T, p[k, 2:4].T, atol=1e-9)  # W maps sensory onto memory
    np.testing.assert_array_equal(ih[:, 0:2], p[:, 0:2])  # A/X inputs are the sensory patterns
    # the notebook's saved printout (Model Demo 2020.ipynb, RotationalDynamics @ 307afcc), grid points 0 and 5
    np.testing.assert_allclose(
        saved["auc"].sel(readout="AX0", labels="AX", t_test=0).values[[0, 5]], [0.934425, 0.906425], atol=1e-12
    )
    np.testing.assert_allclose(saved["postdiction"].sel(readout="AX0", labels="AX", subset="unexp").values[5], 0.338, atol=1e-12)
    assert saved["association"].values.tolist() == [0.0, 0.95] * 5


def test_authors_demo_replay(authors_demo):
    """Our forward pass and scoring, run on the authors' 10 saved networks with their saved read-outs.

    Fresh trials (1000 per network) stand in for the unsaved test trials; the saved AUCs come from 400 (200 for
    the unexpected subset) held-out trials, so they scatter by about 0.02-0.035 around the networks' true AUCs:
    per network the replay may differ by at most 0.1 (3 SD), on average over the 10 networks by at most 0.02.
    """
    saved = demo_to_dataset(load_demo_pickle(authors_demo))
    deltas = replay_deltas(saved, replay_demo(saved, Params()))
    for name, d in deltas.items():
        assert abs(d.mean()) < 0.02, name
        assert np.abs(d).max() < 0.1, name
    assert np.mean([np.abs(d).mean() for d in deltas.values()]) < 0.03


def test_original_table_of_authors_demo(authors_demo):
    """:func:`paperrepro.rotational.original.summarise` reads the authors' pickle as the notebook printed it."""
    rows = summarise(authors_demo, seed=-1)
    assert len(rows) == 10
    assert rows[5]["AX0"] == pytest.approx(0.906425) and rows[5]["CC1"] == pytest.approx(0.865125)
    assert rows[9]["sen_unexp"] == pytest.approx(0.2548) and rows[9]["mem_unexp"] == pytest.approx(0.8082)
    assert [rows[0][f"n_{k}"] for k in an.CATEGORIES] == [4, 10, 4, 13, 97, 5, 4, 9, 4]
    assert all(0.0 <= r["frac_sel_ax0"] <= 1.0 and 0.5 < r["proj_ax0_t0"] <= 1.0 for r in rows)
