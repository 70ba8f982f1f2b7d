"""The reference files: generated from the committed table of the original code's networks, evidence for every figure."""

from __future__ import annotations

import numpy as np

from paperrepro.core.reference import load_reference
from paperrepro.rotational.figures import REGISTRY
from paperrepro.rotational.original import METRICS, read_table
from paperrepro.rotational.references import REFERENCE_DIR, TABLE, checks_by_figure, render


def test_reference_files_are_generated_from_the_original_table():
    generated = checks_by_figure()
    assert set(generated) == set(REGISTRY.figures)
    for figure, checks in generated.items():
        path = REFERENCE_DIR / f"{figure}.yaml"
        assert path.read_text() == render(figure, checks), (
            f"{path.name} differs from what {TABLE.name} gives: run python -m paperrepro.rotational.references"
        )


def test_every_figure_has_fidelity_checks_that_name_the_original():
    for name, figure in REGISTRY.figures.items():
        ref = load_reference(figure.reference_file)
        assert len(ref.fidelity_checks) >= 4, name
        for check in ref.checks:
            assert "RotationalDynamics @ 307afcc" in check.source and "original/demo_grid.csv" in check.source, check.name
            assert check.value is not None or check.max is not None, check.name


def test_original_table_layout():
    """One row per network of the demo grid (association fastest, as the notebook's p_index), whole seeds from 0."""
    t = read_table(TABLE)
    assert set(METRICS) <= set(t)
    seeds = np.unique(t["seed"]).astype(int)
    assert seeds.tolist() == list(range(seeds.size)) and seeds.size >= 5
    assert t["seed"].size == 10 * seeds.size
    np.testing.assert_array_equal(t["association"][:10], [0.0, 0.95] * 5)
    np.testing.assert_allclose(t["structure_cov"][:10], np.repeat(np.linspace(0, 0.45, 5), 2))
    assert np.all((t["AX0"] > 0.5) & (t["AX0"] <= 1)) and np.all(np.abs(t["angle_sen_mem"] - 90) < 45)
    counts = sum(t[f"n_{k}"] for k in ("AA", "0A", "XA", "A0", "00", "X0", "AX", "0X", "XX"))
    np.testing.assert_array_equal(counts, 150)
