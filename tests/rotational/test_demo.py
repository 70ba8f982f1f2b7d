"""Loading ``model_demo.pkl`` safely, its conversion, and the replay of its networks (spec §6, §12.5)."""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

import numpy as np
import pytest

from paperrepro.core.errors import DataError
from paperrepro.rotational import analysis as an
from paperrepro.rotational.demo import FIELDS, demo_to_dataset, load_demo_pickle, replay_deltas, replay_demo
from paperrepro.rotational.model import build_network
from paperrepro.rotational.params import Params

DEMO_SHA256 = "0e48930d1e7366613088638fe4b253a71db5a5540358991134267fda695d142f"


def synthetic_demo(n_units: int = 150, num_p: int = 2, n_trials: int = 1000) -> list:
    """A demo-layout list (spec §6.1) with two built networks and random metrics."""
    rng = np.random.default_rng(0)
    nets = [build_network(rng, a, 0.2) for a in (0.0, 0.95)][:num_p]
    shape = lambda *s: rng.random(s)  # noqa: E731
    tp = {"AX": None, "CCprime": None}
    return [
        np.int32(1), {"N": np.int32(n_units), "noise_level": np.int32(2), "transfer_func": np.str_("Relu")},
        {"stim0": {"A": np.array([[1], [0], [0], [0]], dtype=np.int32)}}, ["AX", "CCprime"],
        {"link_percents": np.linspace(0, 0.95, 2), "rand_std_all": [0.2]},
        {"link_percents": np.array([0.0, 0.95]), "rand_std_all": np.array([0.2, 0.2])}, num_p,
        {k: shape(num_p, 1, 2, n_units) for k in tp}, {k: shape(num_p, 1, 2) for k in tp},
        {k: shape(num_p, 1, 2, n_units) for k in tp},
        np.stack([n.W for n in nets], -1)[..., None], np.stack([n.IH for n in nets], -1)[..., None],
        rng.integers(0, 20, (num_p, 1, 9)).astype(float),
        {k: shape(num_p, 1) * 90 for k in ("AX_sen_CCp", "AX_sen_AX_mem", "AX_mem_CCp")}, ["AX", "CCprime"],
        {r: {f"{ls}{t}": shape(num_p, 1) for ls in tp for t in (0, 1)} for r in an.READOUTS}, np.int32(1),
        {r: {f"{ls}1{e}": shape(num_p, 1) for ls in tp for e in ("exp", "unexp")} for r in an.READOUTS},
        np.stack([n.patterns for n in nets], -1)[..., None],
        {k: shape(num_p, 1, 2, 2, n_trials) for k in tp}, np.repeat(np.arange(4.0), n_trials // 4),
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
    np.testing.assert_array_equal(ds["auc"].sel(readout="AX1", labels="CCprime", t_test=0).values,
                                  content[15]["AX1"]["CCprime0"][:, 0])
    np.testing.assert_array_equal(ds["postdiction"].sel(readout="AX0", labels="AX", subset="unexp").values,
                                  content[17]["AX0"]["AX1unexp"][:, 0])
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


def _real_demo() -> Path:
    mirror = os.environ.get("PAPERREPRO_MIRROR")
    path = Path(mirror) / "model_demo.pkl" if mirror else None
    if path is None or not path.is_file():
        pytest.skip("set PAPERREPRO_MIRROR to a folder holding model_demo.pkl")
    return path


@pytest.mark.network
def test_real_demo_consistency_and_replay():
    path = _real_demo()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == DEMO_SHA256
    saved = demo_to_dataset(load_demo_pickle(path))
    # spec §6.2 consistency and §9.1 printed values
    W, p, ih = saved["W"].values, saved["patterns"].values, saved["IH"].values
    for k in range(10):
        np.testing.assert_allclose(W[k] @ p[k, 0:2].T, p[k, 2:4].T, atol=1e-9)
    np.testing.assert_array_equal(ih[:, 0:2], p[:, 0:2])
    np.testing.assert_allclose(saved["auc"].sel(readout="AX0", labels="AX", t_test=0).values[[0, 5]],
                               [0.934425, 0.906425], atol=1e-12)
    np.testing.assert_allclose(saved["postdiction"].sel(readout="AX0", labels="AX", subset="unexp").values[5],
                               0.338, atol=1e-12)
    # spec §6.3 / §12.5: replay with the saved read-outs on fresh trials
    deltas = replay_deltas(saved, replay_demo(saved, Params()))
    for name, d in deltas.items():
        assert abs(d.mean()) < 0.02, name
        assert np.abs(d).max() < 0.1, name
    assert np.mean([np.abs(d).mean() for d in deltas.values()]) < 0.03
