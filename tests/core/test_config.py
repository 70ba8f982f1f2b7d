import dataclasses

import numpy as np
import pytest

from paperrepro.core.config import RunContext, load_params
from paperrepro.core.errors import ConfigError

from .toy import ToyParams


def write(tmp_path, text):
    path = tmp_path / "params.yaml"
    path.write_text(text)
    return path


def test_load_params_reads_the_chosen_profile(tmp_path):
    path = write(tmp_path, "profile: quick\nrotational:\n  quick: {n: 5, scales: [1, 2]}\n  paper: {n: 9}\n")
    assert load_params("rotational", ToyParams, path=path) == ("quick", ToyParams(n=5, scales=(1, 2)))
    assert load_params("rotational", ToyParams, "paper", path=path) == ("paper", ToyParams(n=9))


@pytest.mark.parametrize(
    "text, message",
    [
        ("profile: fast\nrotational: {quick: {}}\n", "unknown profile 'fast'"),
        ("profile: quick\nrotational: {quick: {nn: 3}}\n", "unknown parameter(s) ['nn'] in rotational.quick"),
        ("profile: quick\nrotatonal: {quick: {}}\n", "unknown key(s) ['rotatonal']"),
        ("profile: quick\nrotational: {quik: {}}\n", "unknown profile(s) ['quik'] under 'rotational'"),
        ("profile: quick\n", "no section 'rotational'"),
    ],
)
def test_bad_params_name_the_problem(tmp_path, text, message):
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")):
        load_params("rotational", ToyParams, path=write(tmp_path, text))


def test_missing_params_file_says_where(tmp_path):
    with pytest.raises(ConfigError, match="no params.yaml"):
        load_params("rotational", ToyParams, path=tmp_path / "params.yaml")


def test_rng_streams_are_reproducible_and_independent():
    ctx = RunContext("rotational", "quick", ToyParams(), seed=3)
    a = ctx.rng("network", 1).standard_normal(5)
    np.testing.assert_array_equal(a, ctx.rng("network", 1).standard_normal(5))
    assert not np.allclose(a, ctx.rng("network", 2).standard_normal(5))
    assert not np.allclose(a, dataclasses.replace(ctx, seed=4).rng("network", 1).standard_normal(5))
    assert ctx.seed_for("x") == ctx.seed_for("x") != ctx.seed_for("y")
