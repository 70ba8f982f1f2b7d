"""The figure registry and the one function that builds a figure.

A paper declares its figures once::

    REGISTRY = FigureRegistry("rotational", Params, title="Libby & Buschman 2021")

    @REGISTRY.figure("model_auc", plot=plot_model_auc, description="decoding AUC per read-out")
    def model_auc(ctx: RunContext) -> xr.Dataset: ...

:func:`build` computes the data, stamps provenance attributes, writes ``figures/<paper>/<figure>.nc`` and ``.png``
deterministically and atomically, records a provenance sidecar (clock, versions, memory; not checksummed, not
committed) and, on request, compares the data with the figure's reference values. Papers never write figure files
themselves.
"""

from __future__ import annotations

import json
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import xarray as xr

from . import paths, reference
from .activity import write_netcdf
from .atomic import atomic_path, atomic_write_text
from .compare import DEFAULT_TOLERANCE, Tolerance
from .config import RunContext, load_params
from .errors import UsageError
from .execute import run_single_threaded

if TYPE_CHECKING:
    from matplotlib.figure import Figure as MplFigure
    from matplotlib.typing import RcKeyType

    ComputeFn = Callable[[RunContext], xr.Dataset]
    """A figure's data function."""
    PlotFn = Callable[[xr.Dataset], MplFigure]
    """A figure's plot function."""

# Fixed PNG metadata and rendering settings: same data, same matplotlib/FreeType → same bytes.
PNG_DPI = 100
_RC: dict[RcKeyType, Any] = {"svg.hashsalt": "paperrepro", "font.size": 9, "axes.spines.top": False, "axes.spines.right": False}


@dataclass(frozen=True)
class Figure:
    """One registered figure: how to compute its data and how to draw them."""

    paper: str
    name: str
    compute: ComputeFn
    plot: PlotFn
    description: str
    reference_file: Path
    deps: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()
    how_to_make: str = ""
    tolerance: Tolerance = DEFAULT_TOLERANCE
    seeded: bool = True
    trains_in_build: bool | Callable[[Any], bool] = False

    def trains(self, params: Any) -> bool:
        """Whether building the figure with ``params`` trains networks.

        A rebuild elsewhere of a figure that trains is judged by its verdict, not by a numerical tolerance: training
        amplifies last-bit differences.

        Parameters
        ----------
        params
            The profile's parameters (an instance of the paper's ``Params``).

        Returns
        -------
        bool
            ``trains_in_build(params)`` if it is a function, else ``trains_in_build``.
        """
        return self.trains_in_build(params) if callable(self.trains_in_build) else bool(self.trains_in_build)

    @property
    def missing_data(self) -> list[str]:
        """Required files not yet listed in the paper's pooch registry (the figure waits for them)."""
        from .fetch import read_registry

        registered = read_registry(self.paper)
        return [name for name in self.requires if name not in registered]

    def outputs(self, folder: Path | None = None) -> tuple[Path, Path]:
        """Return the paths of the figure's plot and data.

        Parameters
        ----------
        folder
            Output root; default :func:`paperrepro.core.paths.figures_dir`.

        Returns
        -------
        tuple of Path
            ``(<folder>/<paper>/<name>.png, <folder>/<paper>/<name>.nc)``.
        """
        folder = (folder or paths.figures_dir()) / self.paper
        return folder / f"{self.name}.png", folder / f"{self.name}.nc"


@dataclass
class FigureRegistry:
    """The figures of one paper, in the order they were registered.

    Parameters
    ----------
    paper
        Module name of the paper (``paperrepro.<paper>``).
    params_type
        The paper's frozen ``Params`` dataclass, read from ``params.yaml``.
    title
        Citation shown in listings and reports.
    reference_dir
        Folder of the figures' reference files; default ``paperrepro/<paper>/reference``.
    requires
        Default for :meth:`figure`: files of the paper's pooch registry that the ``quick`` profile needs (e.g. pinned
        retrained checkpoints). Until they are registered, a figure is listed as waiting for them and kept out of
        the pipeline, the output tests and the report.
    how_to_make
        The commands that produce the required files (shown while they are missing).
    shared_code
        Other folders of the package that the paper's figures run (e.g. ``paperrepro/oculomotor``): dependencies of
        every figure's DVC stage besides the core and the paper's own folder.
    seeded
        Whether the figures draw their randomness from the run's seed (``--seed``). A paper whose figures read
        fixed pinned networks declares ``False``, and the command line refuses ``--seed`` for it.
    """

    paper: str
    params_type: type
    title: str = ""
    reference_dir: Path | None = None
    requires: tuple[str, ...] = ()
    how_to_make: str = ""
    shared_code: tuple[str, ...] = ()
    seeded: bool = True
    figures: dict[str, Figure] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.reference_dir is None:
            self.reference_dir = paths.paper_dir(self.paper) / "reference"

    def figure(
        self,
        name: str,
        *,
        plot: PlotFn,
        description: str,
        deps: tuple[str, ...] = (),
        requires: tuple[str, ...] | None = None,
        how_to_make: str | None = None,
        tolerance: Tolerance = DEFAULT_TOLERANCE,
        trains_in_build: bool | Callable[[Any], bool] = False,
    ) -> Callable[[ComputeFn], ComputeFn]:
        """Register the decorated function as the data function of figure ``name``.

        Parameters
        ----------
        name
            The figure's name (its output files are ``<name>.png`` and ``<name>.nc``; unique per paper, ignoring
            case).
        plot
            Draws the figure from its dataset.
        description
            One line shown in listings, the report and the dataset's ``title``.
        deps
            Further files or folders (relative to the project root, e.g. a pinned network) that the figure reads:
            dependencies of its DVC stage besides the registry's ``shared_code``.
        requires, how_to_make
            Override the registry's defaults for this figure.
        tolerance
            The numerical tolerance under which a rebuild on another machine counts as equivalent (see
            :mod:`paperrepro.core.compare`).
        trains_in_build
            Whether the figure trains networks when it is built (or a function of the profile's parameters that
            says so); such a rebuild is judged by its verdict instead of a tolerance.

        Returns
        -------
        callable
            The decorator; it returns the data function unchanged.

        Raises
        ------
        ValueError
            From the decorator, if the paper already has a figure of that name.
        """

        def register(compute: ComputeFn) -> ComputeFn:
            if name.lower() in (n.lower() for n in self.figures):
                raise ValueError(f"figure {name!r} registered twice in {self.paper}")
            assert self.reference_dir is not None  # set by __post_init__
            needed = self.requires if requires is None else requires
            self.figures[name] = Figure(
                self.paper,
                name,
                compute,
                plot,
                description,
                self.reference_dir / f"{name}.yaml",
                (*self.shared_code, *deps),
                tuple(needed),
                self.how_to_make if how_to_make is None else how_to_make,
                tolerance,
                self.seeded,
                trains_in_build,
            )
            return compute

        return register

    def waiting(self) -> list[Figure]:
        """Return the figures that wait for required files.

        Returns
        -------
        list of Figure
            In registration order.
        """
        return [fig for fig in self.figures.values() if fig.missing_data]

    def ready(self) -> list[Figure]:
        """Return the figures whose required files are registered (all of them for most papers).

        Returns
        -------
        list of Figure
            In registration order.
        """
        return [fig for fig in self.figures.values() if not fig.missing_data]

    @property
    def names(self) -> list[str]:
        """Names of the registered figures."""
        return list(self.figures)

    def get(self, name: str) -> Figure:
        """Return a figure by name.

        Parameters
        ----------
        name
            The figure's name, in any case.

        Returns
        -------
        Figure
            The registered figure.

        Raises
        ------
        UsageError
            If the paper has no figure of that name; the message lists the valid names.
        """
        for key, fig in self.figures.items():
            if key.lower() == name.lower():
                return fig
        raise UsageError(f"unknown figure {name!r} of {self.paper}; valid figures: {', '.join(self.names)}, all")

    def context(
        self, profile: str | None = None, *, seed: int | None = None, jobs: int = 1, executor: str = "serial"
    ) -> RunContext:
        """Return the run context of this paper from ``params.yaml``.

        Parameters
        ----------
        profile
            The profile; default the ``profile`` of ``params.yaml``.
        seed
            The base seed; default the ``seed`` of ``params.yaml`` (0 if it has none).
        jobs, executor
            Workers and executor for sweeps (see :mod:`paperrepro.core.execute`).

        Returns
        -------
        RunContext
            The run, with the profile's parameters.

        Raises
        ------
        ConfigError
            If ``params.yaml`` or the profile is invalid (see :func:`paperrepro.core.config.load_params`).
        """
        from .config import read_params_file

        profile, params = load_params(self.paper, self.params_type, profile)
        if seed is None:
            seed = int(read_params_file().get("seed", 0))
        return RunContext(self.paper, profile, params, seed=seed, jobs=jobs, executor=executor)


def stamp(ds: xr.Dataset, figure: Figure, ctx: RunContext) -> xr.Dataset:
    """Add the CF and provenance attributes that every figure dataset carries (no clocks, no paths).

    ``seed`` is recorded only for figures that draw on it (``FigureRegistry.seeded``): a figure of fixed pinned networks
    never claims a seed it did not use.

    Parameters
    ----------
    ds
        The figure's data, as its data function returned them.
    figure
        The figure.
    ctx
        The run that computed them.

    Returns
    -------
    xarray.Dataset
        A shallow copy of ``ds`` with the attributes added (attributes already on ``ds`` win).
    """
    from paperrepro import __version__

    ds = ds.copy()
    ds.attrs = {
        "Conventions": "CF-1.8",
        "title": f"{ctx.paper} {figure.name}: {figure.description}",
        "paper": ctx.paper,
        "figure": figure.name,
        "profile": ctx.profile,
        **({"seed": ctx.seed} if figure.seeded else {}),
        "paperrepro_version": __version__,
        "config_json": ctx.params_json(),
        **ds.attrs,
    }
    return ds


def save_png(fig: MplFigure, path: Path) -> Path:
    """Save a matplotlib figure as PNG with fixed metadata, atomically.

    Parameters
    ----------
    fig
        The drawn figure.
    path
        Target ``.png`` file.

    Returns
    -------
    Path
        ``path``.
    """
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=PNG_DPI, metadata={"Software": None})
    return path


def render(figure: Figure, ds: xr.Dataset) -> MplFigure:
    """Draw the figure with the package's fixed style (Agg, no pyplot state).

    Parameters
    ----------
    figure
        The figure, whose plot function draws.
    ds
        Its data.

    Returns
    -------
    matplotlib.figure.Figure
        What the plot function returned.
    """
    import matplotlib

    matplotlib.use("Agg")
    with matplotlib.rc_context(_RC):
        fig = figure.plot(ds)
    return fig


def git_commit() -> str:
    """Return the commit of the package source.

    Returns
    -------
    str
        The ``HEAD`` commit of the checkout that holds the package, or ``"unknown"`` outside a git checkout.
    """
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=paths.PACKAGE_DIR, capture_output=True, text=True, timeout=10)
        return out.stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def provenance(figure: Figure, ctx: RunContext, wall_s: float) -> dict[str, Any]:
    """Return the provenance record of one build (written beside the outputs, never checksummed).

    Parameters
    ----------
    figure
        The figure built.
    ctx
        The run.
    wall_s
        Wall time of the build in seconds.

    Returns
    -------
    dict
        JSON-serialisable: run, versions of the package and its main dependencies, git commit, platform, wall time,
        peak memory and command line.
    """
    from importlib import metadata

    from paperrepro import __version__

    versions: dict[str, str] = {}
    for dist in ("numpy", "scipy", "scikit-learn", "xarray", "netCDF4", "matplotlib", "torch", "pooch"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = "absent"
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "paper": ctx.paper,
        "figure": figure.name,
        "profile": ctx.profile,
        "seed": ctx.seed if figure.seeded else None,
        "executor": ctx.executor,
        "jobs": ctx.jobs,
        "paperrepro_version": __version__,
        "git_commit": git_commit(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "versions": versions,
        "wall_s": round(wall_s, 3),
        "peak_rss_mb": round(peak_kb / 1024, 1),
        "command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
    }


@dataclass(frozen=True)
class BuildResult:
    """What :func:`build` produced."""

    figure: Figure
    png: Path
    data: Path
    wall_s: float
    checks: list[reference.CheckResult]

    @property
    def passed(self) -> bool:
        """Whether no reference check failed (``True`` when none were run; unverified checks never fail)."""
        return not any(r.failed for r in self.checks)


def build(figure: Figure, ctx: RunContext, *, check: bool = False, folder: Path | None = None) -> BuildResult:
    """Compute, save and optionally check one figure.

    The data are computed with BLAS and torch limited to one thread in this process (as every unit of a sweep is),
    so the bytes do not depend on the machine's core count or ``OMP_NUM_THREADS``.

    Parameters
    ----------
    figure
        The registered figure.
    ctx
        The run (profile, parameters, seed, executor).
    check
        Compare the data with the figure's reference values.
    folder
        Output root; default :func:`paperrepro.core.paths.figures_dir`.

    Returns
    -------
    BuildResult
        Paths, wall time and check results.
    """
    start = time.perf_counter()
    ds = stamp(run_single_threaded(figure.compute, ctx), figure, ctx)
    png, data = figure.outputs(folder)
    write_netcdf(ds, data)
    save_png(render(figure, ds), png)
    wall = time.perf_counter() - start
    results = reference.evaluate(ds, reference.load_checks(figure.reference_file), ctx.profile) if check else []
    record = provenance(figure, ctx, wall)
    record["checks"] = [
        {
            "name": r.check.name,
            "computed": r.computed_text(),
            "expected": r.check.describe(),
            "kind": r.check.kind,
            "outcome": r.outcome,
            "source": r.check.source,
        }
        for r in results
    ]
    atomic_write_text(data.with_name(f"{figure.name}.provenance.json"), json.dumps(record, indent=1, sort_keys=True) + "\n")
    return BuildResult(figure, png, data, wall, results)


def paper_registry(paper: str) -> FigureRegistry | None:
    """Return the figure registry of ``paperrepro.<paper>``.

    Parameters
    ----------
    paper
        Module name of the paper.

    Returns
    -------
    FigureRegistry or None
        ``paperrepro.<paper>.figures.REGISTRY``, or ``None`` if that paper has no figures yet.

    Raises
    ------
    UsageError
        If ``paper`` is not one of :data:`paperrepro.PACKAGES` (the papers and the cross-paper analyses).
    """
    import importlib
    import importlib.util

    from paperrepro import PACKAGES

    if paper not in PACKAGES:
        raise UsageError(f"unknown paper {paper!r}; valid papers: {', '.join(PACKAGES)}")
    if importlib.util.find_spec(f"paperrepro.{paper}") is None or importlib.util.find_spec(f"paperrepro.{paper}.figures") is None:
        return None
    return importlib.import_module(f"paperrepro.{paper}.figures").REGISTRY


def all_registries() -> list[FigureRegistry]:
    """Return the registries of every paper that has figures.

    Returns
    -------
    list of FigureRegistry
        In the order of :data:`paperrepro.PACKAGES` (the papers, then the cross-paper analyses).
    """
    from paperrepro import PACKAGES

    return [r for r in (paper_registry(p) for p in PACKAGES) if r is not None]


def ready_figures() -> list[Figure]:
    """Return every figure of every paper whose required files are registered: the pipeline's figures.

    Returns
    -------
    list of Figure
        Paper by paper, in registration order.
    """
    return [fig for registry in all_registries() for fig in registry.ready()]
