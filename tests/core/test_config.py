import dataclasses
import importlib
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pytest
import yaml

from paperrepro import PAPERS
from paperrepro.core import paths
from paperrepro.core.config import RunContext, bounded, check_params_file, check_seed, check_value, load_params, make_params
from paperrepro.core.errors import ConfigError
from paperrepro.maturation.params import Params as MaturationParams
from paperrepro.rotational.params import Params as RotationalParams

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


# --- validation of every value against its field's type and bounds -------------------------------------------------

COMMITTED = paths.PACKAGE_DIR.parent / "params.yaml"


@dataclass(frozen=True)
class Typed:
    count: int = 3
    signed: int = bounded(-1, ge=-10, le=10)
    fraction: float = bounded(0.5, gt=0.0, le=1.0)
    rate: float = 1e-3
    name: str = "auto"
    flag: bool = False
    triple: tuple[float, float, int] = (0.0, 1.0, 5)
    seeds: tuple[int, ...] = (0, 1)
    mode: Literal["a", "b"] = "a"
    maybe: int | None = None


@pytest.mark.parametrize(
    "key, value, expected",
    [
        ("count", -1, "count must be an integer >= 0, got -1"),
        ("count", "ten", "count must be an integer, got 'ten'"),
        ("count", 2.0, "count must be an integer, got 2.0"),
        ("count", True, "count must be an integer, got True"),
        ("signed", 11, "signed must be an integer >= -10 and <= 10, got 11"),
        ("fraction", 0.0, "fraction must be a number > 0 and <= 1, got 0.0"),
        ("rate", float("nan"), "rate must be a finite number, got nan"),
        ("rate", "1e-3", "rate must be a finite number, got '1e-3'"),  # YAML reads 1e-3 without a dot as text
        ("name", 0.5, "name must be text (quote numbers: '0.5'), got 0.5"),
        ("flag", 1, "flag must be true or false, got 1"),
        ("triple", [0.0, 1.0], "triple must be a list of 3 values"),
        ("triple", [0.0, 1.0, 2.5], "triple must be a list of 3 values (a number, a number, an integer), each an integer"),
        ("seeds", 3, "seeds must be a list of integers, got 3"),
        ("seeds", [0, -2], "seeds must be a list of integers, each an integer >= 0, got [0, -2]"),
        ("mode", "c", "mode must be one of 'a', 'b', got 'c'"),
        ("maybe", "x", "maybe must be an integer or null, got 'x'"),
    ],
)
def test_values_are_checked_against_the_field_type_and_bounds(key, value, expected):
    with pytest.raises(
        ValueError,
        match="^"
        + expected.replace("(", r"\(")
        .replace(")", r"\)")
        .replace("[", r"\[")
        .replace("]", r"\]")
        .replace("+", r"\+")
        .replace(".", r"\."),
    ):
        check_value(Typed, key, value)
    with pytest.raises(ConfigError, match=r"^invalid parameter in toy\.quick: .*; fix it in params\.yaml$"):
        make_params(Typed, {key: value}, where="toy.quick")


def test_valid_values_pass_unchanged():
    values = {
        "count": 0,
        "signed": -10,
        "fraction": 1,
        "rate": 2,
        "name": "x",
        "flag": True,
        "triple": [0, 1.5, 2],
        "seeds": [],
        "mode": "b",
        "maybe": 4,
    }
    params = make_params(Typed, values, where="toy.quick")
    assert params.rate == 2 and isinstance(params.rate, int)  # validated, never converted (cache keys keep their bytes)
    assert params.triple == (0, 1.5, 2) and params.maybe == 4
    assert make_params(Typed, {"maybe": None}, where="toy.quick").maybe is None


def paper_params_file(tmp_path, edit=None, text=None):
    """A copy of the committed params.yaml, edited as a dict (``edit(data)``) or replaced by raw text."""
    if text is None:
        data = yaml.safe_load(COMMITTED.read_text())
        if edit is not None:
            edit(data)
        text = yaml.safe_dump(data, sort_keys=False)
    return write(tmp_path, text)


def _set(paper, key, value):
    def edit(data):
        data[paper]["quick"][key] = value

    return edit


# The rows of the bad-input list: each is one ConfigError line that names the key, the value and the fix.
BAD_PARAMS = {
    "n_seeds -1": (
        _set("rotational", "n_seeds", -1),
        "invalid parameter in rotational.quick: n_seeds must be an integer >= 0, got -1; fix it in params.yaml",
    ),
    "n_seeds ten": (
        _set("rotational", "n_seeds", "ten"),
        "invalid parameter in rotational.quick: n_seeds must be an integer, got 'ten'; fix it in params.yaml",
    ),
    "dpca_repeats -3": (
        _set("maturation", "dpca_repeats", -3),
        "invalid parameter in maturation.quick: dpca_repeats must be an integer >= 0, got -3; fix it in params.yaml",
    ),
    "seed abc": (
        lambda data: data.update(seed="abc"),
        "params.yaml: seed must be an integer from 0 to 4294967295, got 'abc'; fix the top-level 'seed'",
    ),
    "unknown key": (
        _set("rotational", "n_seed", 3),
        "unknown parameter(s) ['n_seed'] in rotational.quick; valid parameters: association",
    ),
    "profile not a mapping": (
        lambda data: data["rotational"].update(quick=[1, 2]),
        "rotational.quick must be a mapping of parameter names to values, got [1, 2]",
    ),
    "post_init rule": (
        _set("rotational", "n_trials", 1001),
        "invalid parameters in rotational.quick: n_trials must be a multiple of 4",
    ),
}


@pytest.mark.parametrize("row", BAD_PARAMS)
def test_bad_params_rows_give_one_line(tmp_path, row):
    edit, expected = BAD_PARAMS[row]
    path = paper_params_file(tmp_path, edit)
    paper = "maturation" if "dpca" in row else "rotational"
    params_type = MaturationParams if paper == "maturation" else RotationalParams
    with pytest.raises(ConfigError) as info:
        load_params(paper, params_type, path=path)
    assert str(info.value).startswith(expected)
    assert "\n" not in str(info.value)


def test_yaml_syntax_error_names_line_and_column(tmp_path):
    path = write(tmp_path, "profile: quick\nrotational:\n  quick:\n    n_seeds: [1, 2\n  paper: {}\n")
    with pytest.raises(ConfigError) as info:
        load_params("rotational", RotationalParams, path=path)
    message = str(info.value)
    assert message.startswith("params.yaml line 5, column 8: YAML syntax error (expected ',' or ']'")
    assert "fix the file" in message
    assert "\n" not in message


def test_seed_must_be_a_32_bit_natural_number(tmp_path):
    for bad in (-1, 2**32, 1.5, True):
        with pytest.raises(ConfigError, match="seed must be an integer from 0 to 4294967295"):
            load_params("rotational", RotationalParams, path=paper_params_file(tmp_path, lambda d, b=bad: d.update(seed=b)))


def test_seed_check_takes_numpy_integers_and_returns_a_python_int():
    for good in (0, np.uint32(2**32 - 1), np.int64(7)):
        seed = check_seed(good)
        assert type(seed) is int and seed == int(good)
    for bad in (np.int64(-1), np.uint64(2**32), np.float64(3.0), np.bool_(True), "3"):
        with pytest.raises(ValueError, match="seed must be an integer from 0 to 4294967295"):
            check_seed(bad)


def test_committed_params_file_and_every_default_pass():
    check_params_file(COMMITTED)
    for paper in PAPERS:
        params_type = importlib.import_module(f"paperrepro.{paper}.params").Params
        for spec in dataclasses.fields(params_type):
            check_value(params_type, spec.name, getattr(params_type(), spec.name))
