"""Numpy TF-checkpoint reader on bundles written by an independent writer (tf_bundle_writer.py)."""

import numpy as np
import pytest
import torch

from paperrepro.oculomotor.model import LeakyRNN, NetworkConfig, init_weights
from paperrepro.oculomotor.tasks import TaskConfig, generate_trials
from paperrepro.oculomotor.tfcheckpoint import adam_step, crc32c, load_tf_weights, read_tf_checkpoint, weights_from_tf

from .tf_bundle_writer import write_bundle


def _tf_tensors(n_rnn: int, seed: int, step: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    w = init_weights(NetworkConfig(n_rnn=n_rnn), seed)
    w["bias"] = rng.normal(0, 0.1, n_rnn).astype(np.float32)
    w["b_out"] = rng.normal(0, 0.1, 9).astype(np.float32)
    names = {
        "kernel": "rnn/leaky_rnn_cell/kernel",
        "bias": "rnn/leaky_rnn_cell/bias",
        "w_out": "output/weights",
        "b_out": "output/biases",
    }
    tensors = {}
    for ours, tf in names.items():
        tensors[tf] = w[ours]
        tensors[tf + "/Adam"] = rng.normal(size=w[ours].shape).astype(np.float32)
        tensors[tf + "/Adam_1"] = rng.random(size=w[ours].shape).astype(np.float32)
    tensors["beta1_power"] = np.array(0.9 ** (step + 1), dtype=np.float32)
    tensors["beta2_power"] = np.array(0.999 ** (step + 1), dtype=np.float32)
    return tensors


def test_crc32c_known_value():
    assert crc32c(b"123456789") == 0xE3069283  # the standard CRC-32C check value


def test_reader_is_bit_identical(tmp_path):
    tensors = _tf_tensors(4, 0, 40)
    tensors["extra/int64"] = np.arange(6, dtype=np.int64).reshape(2, 3)
    tensors["extra/f64"] = np.linspace(0, 1, 5)
    write_bundle(tmp_path / "model.ckpt", tensors)
    read = read_tf_checkpoint(tmp_path, verify=True)
    assert sorted(read) == sorted(tensors) and len(read) == 16
    for name, arr in tensors.items():
        assert read[name].dtype == arr.dtype and read[name].shape == arr.shape
        np.testing.assert_array_equal(read[name], arr)
    assert adam_step(read) == 40


def test_corruption_and_errors(tmp_path):
    tensors = _tf_tensors(4, 1, 3)
    write_bundle(tmp_path / "model.ckpt", tensors)
    data_path = tmp_path / "model.ckpt.data-00000-of-00001"
    raw = bytearray(data_path.read_bytes())
    raw[10] ^= 0xFF
    data_path.write_bytes(bytes(raw))
    read_tf_checkpoint(tmp_path / "model.ckpt")  # no check by default
    with pytest.raises(ValueError, match="CRC"):
        read_tf_checkpoint(tmp_path / "model.ckpt", verify=True)
    with pytest.raises(FileNotFoundError):
        read_tf_checkpoint(tmp_path / "missing.ckpt")
    with pytest.raises(KeyError):
        weights_from_tf({"beta1_power": np.float32(1)})


def test_forward_pass_after_loading(tmp_path):
    tensors = _tf_tensors(32, 2, 39)  # 2,560 trials
    write_bundle(tmp_path / "model.ckpt", tensors)
    weights = load_tf_weights(tmp_path / "model.ckpt")
    cfg = NetworkConfig(n_rnn=32)
    model = LeakyRNN(cfg, weights)
    trial = generate_trials("odr", TaskConfig(), "test", noise_on=False)
    x = torch.from_numpy(trial.x[:, ::16])
    h, y = model(x, noise=False)
    # independent float64 numpy forward pass straight from the TF layout (x·W_in + h·W_rec + b)
    k = tensors["rnn/leaky_rnn_cell/kernel"].astype(np.float64)
    b = tensors["rnn/leaky_rnn_cell/bias"].astype(np.float64)
    hh = np.zeros((8, 32))
    hs = []
    for t in range(x.shape[0]):
        pre = np.concatenate([x[t].numpy(), hh], axis=1) @ k + b
        hh = 0.8 * hh + 0.2 * np.logaddexp(0, pre)
        hs.append(hh)
    hs = np.array(hs)
    y_ref = 1 / (1 + np.exp(-(hs @ tensors["output/weights"] + tensors["output/biases"])))
    assert np.abs(h.detach().numpy() - hs).max() < 2e-6
    assert np.abs(y.detach().numpy() - y_ref).max() < 5e-7
