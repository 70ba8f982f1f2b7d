"""The networks of a profile as units of work, and the per-network job.

* :func:`network_specs` lists the networks of a profile: ``design="grid"`` is every (condition, task, rho, job) of
  the 10 x 10 lambda0 x sigma0 grid (job j = 1..100: lambda0 = grid[(j-1) mod 10], sigma0 = grid[(j-1) div 10],
  seed = j, as the original's cluster scripts); ``design="quick"`` is the calibrated one-seed set (3 core networks,
  one per condition); ``design="factors"`` is the paired design of ``docs/memory_factors.md`` (:func:`factors_specs`).
* :func:`run_network` (top level, picklable) trains one network, tests it, computes its SI and writes one labelled
  netCDF atomically; it returns at once when that file exists with the same config hash, and resumes from its
  checkpoint after an interruption. :func:`run_block` does the same for K networks of one column in one tensor
  program (batched matmul over a network dimension).
* Learn before measuring: with ``max_iterations > 0`` a single network that fails the pass filter trains on in steps
  of ``extend_by`` iterations until it passes or reaches ``max_iterations``; attribute ``iterations`` records how
  long it trained (``extensions`` how often it was extended).
* :func:`run_networks` sends them through :func:`paperrepro.core.execute.map_units` (:func:`run_with_progress`
  prints one line per finished network with the elapsed time and an ETA); :func:`summarize` collects
  the scalar results into one dataset with a ``network`` dimension; :func:`write_summary` writes that dataset for
  every complete network of one condition to ``<root>/<condition>/summary.nc`` (the summary stage of).

Variable delay (B7): the network's ``SI`` follows ``vardelay_si`` (``"d100"``: trials with d = 100 only, default;
``"all"``; ``"network_time"``: masked steps removed per trial); all three are stored as attributes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import time
from collections.abc import Callable
from concurrent.futures import as_completed
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import xarray as xr

from paperrepro.core.activity import read_netcdf, write_netcdf
from paperrepro.core.errors import DataError
from paperrepro.core.execute import map_units, open_executor, run_single_threaded

from .params import MULTITASK_ORDERS, Params
from .sequentiality import passes, sequentiality_index
from .tasks import T_RESP, T_STIM, T_TOTAL, TASK_INFO
from .train import NetSetup, Trainer

MS_PER_STEP = 10.0  # assumed (B20): the step duration is not stated anywhere
VARDELAY_TASKS: tuple[str, ...] = ("CD", "2AFC", "COMP")
VARDELAY_ESTIMATION_TASKS: tuple[str, ...] = ("DE-1", "DE-2", "GDE")


@dataclass(frozen=True)
class NetworkSpec:
    """One network of a profile.

    Attributes
    ----------
    condition
        One of the six conditions.
    task
        Task (multitask: the second task B, the one whose SI is analysed).
    job
        Grid job index 1..100 (0 in the quick design).
    lambda0, sigma0, rho
        Grid values.
    seed
        Seed of the network's initialisation and data generators.
    first_task
        Multitask only: task A trained first.
    example
        Keep its test hidden activity even when ``keep_hidden="examples"``.
    """

    condition: str
    task: str
    job: int
    lambda0: float
    sigma0: float
    rho: float
    seed: int
    first_task: str = ""
    example: bool = False

    @property
    def task_label(self) -> str:
        """``"2AFC"``, or ``"COMP-2AFC"`` for multitask."""
        return f"{self.first_task}-{self.task}" if self.first_task else self.task

    @property
    def key(self) -> str:
        """``<condition>/<task>/rho<rho>/job<jjj>`` (quick networks: ``.../sigma<sigma0>``)."""
        tail = f"job{self.job:03d}" if self.job else f"lambda{self.lambda0:g}_sigma{self.sigma0:g}"
        return f"{self.condition}/{self.task_label}/rho{self.rho:g}/{tail}"


@dataclass(frozen=True)
class Unit:
    """A picklable unit of work: one network, the profile parameters and where its result goes."""

    spec: NetworkSpec
    params: Params
    path: str
    progress: bool = False


def condition_tasks(condition: str, params: Params) -> tuple[tuple[str, str], ...]:
    """(first task, task) pairs of a condition within ``params.tasks`` (first task empty except multitask)."""
    if condition == "multitask":
        return tuple(order for order in MULTITASK_ORDERS if order[1] in params.tasks)
    allowed = {
        "dynamic_input": tuple(t for t in params.tasks if t != "Sine"),
        "variable_delay": VARDELAY_TASKS + (VARDELAY_ESTIMATION_TASKS if params.vardelay_estimation else ()),
        "tethered": params.tasks,
    }.get(condition, params.tasks)
    return tuple(("", t) for t in params.tasks if t in allowed)


def quick_specs(params: Params) -> list[NetworkSpec]:
    """The one-seed quick design: core networks A, B, C and one 2AFC network per other condition."""
    lam, (low, high), seed = params.quick_lambda0, params.quick_sigma0, params.quick_seed
    specs = [
        NetworkSpec("basic", "2AFC", 0, lam, low, 0.0, seed, example=True),
        NetworkSpec("basic", "2AFC", 0, lam, high, 0.0, seed, example=True),
        NetworkSpec("basic", "COMP", 0, lam, low, 0.0, seed, example=True),
    ]
    for condition in ("hebbian", "tethered", "dynamic_input", "variable_delay"):
        if condition in params.conditions:
            specs.append(NetworkSpec(condition, "2AFC", 0, lam, high, 0.0, seed))
    if "multitask" in params.conditions:
        specs.append(NetworkSpec("multitask", "2AFC", 0, lam, high, 0.0, seed, first_task="COMP"))
    specs += [NetworkSpec("basic", "2AFC", 0, lam, high, rho, seed) for rho in params.rho if rho != 0.0]
    return specs


def factors_specs(params: Params) -> list[NetworkSpec]:
    """The paired design: every condition x task of ``params`` on the factors grid, one seed per grid point.

    Job j = 1..L*S has lambda0 = factor_lambda0[(j-1) mod L], sigma0 = factor_sigma0[(j-1) div L] and seed j, the same
    for a condition network and its basic partner (same task; multitask: task B alone). Conditions follow the
    original's task lists (variable delay: CD, 2AFC, COMP; dynamic input: no Sine); multitask uses the orderings
    whose two tasks are both in ``params.tasks``. The first basic network of each task keeps its hidden activity.
    """
    n_lam = len(params.factor_lambda0)
    jobs = range(1, n_lam * len(params.factor_sigma0) + 1)
    specs = []
    for condition in params.conditions:
        pairs = condition_tasks(condition, params)
        if condition == "multitask":
            pairs = tuple(p for p in pairs if p[0] in params.tasks)
        for first, task in pairs:
            for job in jobs:
                specs.append(
                    NetworkSpec(
                        condition,
                        task,
                        job,
                        params.factor_lambda0[(job - 1) % n_lam],
                        params.factor_sigma0[(job - 1) // n_lam],
                        0.0,
                        job,
                        first_task=first,
                        example=condition == "basic",
                    )
                )
    return specs


def grid_specs(params: Params) -> list[NetworkSpec]:
    """Every network of the grid design (one per condition, task, rho and grid point; seed = job)."""
    n_lam = len(params.lambda0)
    jobs = range(1, n_lam * len(params.sigma0) + 1)
    specs = []
    for condition in params.conditions:
        rhos = (0.0,) if condition == "multitask" else (params.rho if condition == "basic" else (0.0,))
        for first, task in condition_tasks(condition, params):
            for rho in rhos:
                for job in jobs:
                    specs.append(
                        NetworkSpec(
                            condition,
                            task,
                            job,
                            params.lambda0[(job - 1) % n_lam],
                            params.sigma0[(job - 1) // n_lam],
                            rho,
                            job,
                            first_task=first,
                        )
                    )
    return specs


def network_specs(params: Params) -> list[NetworkSpec]:
    """The networks of a profile (see the module docstring)."""
    return {"quick": quick_specs, "factors": factors_specs}.get(params.design, grid_specs)(params)


def net_setup(spec: NetworkSpec, params: Params) -> NetSetup:
    """Training settings of one network from its spec and the profile."""
    variable = spec.condition == "variable_delay"
    options = {"gde_alias_bug": params.gde_alias_bug, "cd_observer": params.cd_observer, "dynamic_bump": params.dynamic_bump}
    return NetSetup(
        phases=(spec.first_task, spec.task) if spec.first_task else (spec.task,),
        lambda0=spec.lambda0,
        sigma0=spec.sigma0,
        rho=spec.rho,
        seed=spec.seed,
        n_hidden=params.n_hidden,
        n_iterations=params.n_iterations,
        batch_size=params.batch_size,
        lr=params.lr,
        gamma=params.gamma if spec.condition == "hebbian" else 0.0,
        penalty=params.tethered_penalty if spec.condition == "tethered" else params.activity_penalty,
        readout_step=-10 if spec.condition == "tethered" else -5,
        dynamic=spec.condition == "dynamic_input",
        variable_delay=variable,
        task_options=tuple(sorted(options.items())),
        angular=params.angular_error,
        kl_zero=params.kl_zero,
        grad_clip=params.grad_clip,
        monitor_every=params.monitor_every,
    )


def config_hash(spec: NetworkSpec, params: Params) -> str:
    """sha256 of everything that determines a network's result file."""
    record = {
        "spec": dataclasses.asdict(spec),
        "setup": dataclasses.asdict(net_setup(spec, params)),
        "test": [params.n_test_batches, params.n_si_batches, params.keep_hidden],
        "si": [
            params.si_bins,
            params.si_window,
            params.si_threshold,
            params.vardelay_si,
            params.pass_threshold,
            params.sine_pass_nmae,
        ],
        "torch": torch.__version__.split("+")[0],
    }
    if params.max_iterations:  # only then, so that the hashes of results made before extension existed stay valid
        record["extend"] = [params.max_iterations, params.extend_by]
    return hashlib.sha256(json.dumps(record, sort_keys=True, default=str).encode()).hexdigest()


def result_path(root: Path, spec: NetworkSpec) -> Path:
    """``<root>/<condition>/<task>/rho<rho>/<job or grid point>.nc``."""
    return Path(root) / f"{spec.key}.nc"


def _si_variants(result: dict, params: Params) -> dict[str, object]:
    """SI of the kept test activity, with the variable-delay variants of B7."""
    hidden = result["hidden"][0]
    si_args = (params.si_bins, params.si_window, params.si_threshold)
    full = sequentiality_index(hidden, *si_args)
    variants = {"all": full}
    delay = result["trial"].get("delay")
    if delay is not None:
        delay = delay[0]
        variants["d100"] = sequentiality_index(hidden[delay == 100], *si_args)
        per_trial = []
        for b, d in enumerate(delay):
            steps = np.r_[0 : T_STIM + d, T_STIM + 100 : T_TOTAL]
            per_trial.append(sequentiality_index(hidden[b : b + 1, steps], *si_args).si)
        variants["network_time"] = float(np.nanmean(per_trial)) if np.isfinite(per_trial).any() else float("nan")
    return variants


#: trial variables of :func:`paperrepro.memory_factors.tasks.make_batch` renamed as coordinates, where the task's name
#: is also a data variable of the result (the estimation tasks' per-trial ``target`` item vs the target time course)
TRIAL_COORDINATE_NAMES = {"target": "target_item"}


def result_dataset(spec: NetworkSpec, params: Params, results: list[dict], k: int, trainer: Trainer) -> xr.Dataset:
    """Labelled result of network ``k`` of a trained block."""
    res = {
        name: (value[k : k + 1] if isinstance(value, np.ndarray) and value.ndim else value) for name, value in results[-1].items()
    }
    res["trial"] = {name: value[k : k + 1] for name, value in results[-1]["trial"].items()}
    variants = _si_variants(res, params)
    main = variants["d100"] if spec.condition == "variable_delay" and params.vardelay_si == "d100" else variants["all"]
    if spec.condition == "variable_delay" and params.vardelay_si == "network_time":
        si_value = variants["network_time"]
    else:
        si_value = main.si
    infloss = float(results[-1]["infloss"][k])
    threshold = params.sine_pass_nmae if spec.task == "Sine" else params.pass_threshold
    passed = passes(infloss, threshold) and bool(results[-1]["alive"][k])
    hidden = res["hidden"][0]
    full = variants["all"]
    mean_act = hidden.mean(0)
    n_trials, n_steps, n_units = hidden.shape
    step = np.arange(n_steps)
    weights = trainer.model.numpy_params(k)
    info = TASK_INFO[spec.task]
    data = {
        "trial_si": (("trial",), full.trial_si, {"long_name": "sequentiality index of the trial", "units": "1"}),
        "trial_entropy": (("trial",), full.trial_entropy, {"long_name": "peak-time entropy", "units": "nat"}),
        "trial_log_r2b": (("trial",), full.trial_log_r2b, {"long_name": "mean log ridge-to-background", "units": "1"}),
        "n_selected": (("trial",), full.n_selected.astype(np.int32), {"long_name": "units above threshold"}),
        "peak_time": (
            ("trial", "unit"),
            np.argmax(hidden, axis=1).astype(np.int16),
            {"long_name": "peak step of each unit", "units": "step"},
        ),
        "mean_activity": (
            ("time", "unit"),
            mean_act.astype(np.float32),
            {"long_name": "trial-averaged post-ReLU activity", "units": "1"},
        ),
        "output": (
            ("trial", "time", "output_unit"),
            res["output"][0].astype(np.float32),
            {"long_name": "network output", "units": "1"},
        ),
        "target": (("trial", "time", "output_unit"), res["target"][0].astype(np.float32), {"long_name": "target", "units": "1"}),
        "W_hh": (("unit_pre", "unit_post"), weights["W_hh"], {"long_name": "recurrent weights (Lasagne layout)"}),
        "W_in": (("channel", "unit_post"), weights["W_in"], {"long_name": "input weights"}),
        "b_in": (("unit_post",), weights["b_in"], {"long_name": "input bias"}),
        "b_hh": (("unit_post",), weights["b_hh"], {"long_name": "recurrent bias"}),
        "W_out": (("unit_pre", "output_unit"), weights["W_out"], {"long_name": "readout weights"}),
        "b_out": (("output_unit",), weights["b_out"], {"long_name": "readout bias"}),
    }
    for phase, phase_res in enumerate(results):
        suffix = "" if phase == len(results) - 1 else "_first"
        curve = phase_res["curve"][k]
        data[f"infloss_train{suffix}"] = (
            ("report",),
            np.pad(curve, (0, max(0, _n_reports(params) - len(curve))), constant_values=np.nan)[: _n_reports(params)],
            {"long_name": f"training information loss ({phase_res['task']})"},
        )
    if params.keep_hidden == "all" or (params.keep_hidden == "examples" and spec.example):
        data["hidden"] = (
            ("trial", "time", "unit"),
            hidden.astype(np.float32),
            {"long_name": "post-ReLU hidden activity (test)", "units": "1"},
        )
        inp = res["input"][0]
        dtype = np.float32 if spec.task == "Sine" else np.uint8
        data["input"] = (("trial", "time", "channel"), inp.astype(dtype), {"long_name": "input (spike counts)"})
    coords = {
        "trial": np.arange(n_trials),
        "time": ("time", step * MS_PER_STEP, {"units": "ms", "long_name": "time, assuming 10 ms per step"}),
        "step": ("time", step.astype(np.int32), {"units": "step"}),
        "epoch": ("time", np.array(["stim"] * T_STIM + ["delay"] * 100 + ["resp"] * T_RESP)),
        "unit": np.arange(n_units),
        "unit_pre": np.arange(n_units),
        "unit_post": np.arange(n_units),
        "report": np.arange(_n_reports(params)) * params.monitor_every,
    }
    for name, value in res["trial"].items():
        value = value[0]
        name = TRIAL_COORDINATE_NAMES.get(name, name)
        if value.ndim == 1:
            coords[name] = ("trial", value)
        else:
            for item in range(value.shape[1]):
                coords[f"{name}{item + 1}" if value.shape[1] > 1 else name] = ("trial", value[:, item])
    attrs = {
        "condition": spec.condition,
        "task": spec.task,
        "first_task": spec.first_task,
        "model": int(spec.condition == "hebbian"),
        "lambda0": spec.lambda0,
        "sigma0": spec.sigma0,
        "sigma_val": spec.sigma0 / np.sqrt(params.n_hidden),
        "rho": spec.rho,
        "gamma": params.gamma if spec.condition == "hebbian" else 0.0,
        "seed": spec.seed,
        "job": spec.job,
        "iterations": int(trainer.n_iterations),
        "N": params.n_hidden,
        "readout": info.readout,
        "infloss_test": infloss,
        "SI": si_value if passed else float("nan"),
        "SI_unfiltered": si_value,
        "SI_entropy": main.entropy,
        "SI_logr2b": main.log_r2b,
        "n_selected_mean": float(np.mean(full.n_selected)),
        "n_inf_units": full.n_inf_units,
        "passed": int(passed),
        "diverged": int(not results[-1]["alive"][k]),
        "gde_alias_bug": int(params.gde_alias_bug),
        "cd_observer": params.cd_observer,
        "dynamic_bump": params.dynamic_bump,
        "vardelay_si": params.vardelay_si,
        "angular_error": params.angular_error,
        "kl_zero": params.kl_zero,
        "torch_version": torch.__version__,
        "config_sha256": config_hash(spec, params),
        "status": "complete",
    }
    if len(results) > 1:
        attrs["infloss_test_first"] = float(results[0]["infloss"][k])
    for name, variant in variants.items():
        attrs[f"SI_vardelay_{name}"] = variant if isinstance(variant, float) else variant.si
    return xr.Dataset({n: xr.Variable(*v) for n, v in data.items()}, coords=coords, attrs=attrs)


def _n_reports(params: Params) -> int:
    return (max(params.n_iterations, params.max_iterations) - 1) // params.monitor_every + 1


def _failed(results: list[dict], spec: NetworkSpec, params: Params) -> bool:
    """Whether the single network of a finished block fails the pass filter (diverged networks are not extended)."""
    threshold = params.sine_pass_nmae if spec.task == "Sine" else params.pass_threshold
    return bool(results[-1]["alive"][0]) and not passes(float(results[-1]["infloss"][0]), threshold)


def _is_complete(path: Path, spec: NetworkSpec, params: Params) -> bool:
    if not path.is_file():
        return False
    with xr.open_dataset(path, engine="netcdf4") as ds:
        same = ds.attrs.get("config_sha256") == config_hash(spec, params) and ds.attrs.get("status") == "complete"
    if not same:
        raise DataError(f"{path} was made with another configuration; delete it (or the folder) to recompute")
    return True


def run_block(units: list[Unit]) -> list[str]:
    """Train, test and store K networks of one column in one tensor program; skip finished ones.

    Parameters
    ----------
    units
        Units with equal block settings (same condition, task and profile).

    Returns
    -------
    list of str
        The result files, in the order of ``units``.

    Raises
    ------
    DataError
        If a result file or checkpoint was made with another configuration.
    """
    todo = [u for u in units if not _is_complete(Path(u.path), u.spec, u.params)]
    if todo:
        params = todo[0].params
        first = Path(todo[0].path)
        checkpoint = first.with_name(first.stem + (f".block{len(todo)}" if len(todo) > 1 else "") + ".ckpt.pt")
        trainer = Trainer([net_setup(u.spec, params) for u in todo], checkpoint, params.checkpoint_every)
        results = trainer.run(params.n_test_batches, params.n_si_batches, progress=todo[0].progress)
        if len(todo) == 1:  # learn before measuring: train a failing network on, up to max_iterations
            while _failed(results, todo[0].spec, params) and trainer.n_iterations < params.max_iterations:
                trainer.extend(min(params.extend_by, params.max_iterations - trainer.n_iterations))
                results = trainer.run(params.n_test_batches, params.n_si_batches, progress=todo[0].progress)
        for k, unit in enumerate(todo):
            ds = result_dataset(unit.spec, unit.params, results, k, trainer)
            ds.attrs["extensions"] = -(-(trainer.n_iterations - params.n_iterations) // params.extend_by)
            write_netcdf(ds, unit.path)
        checkpoint.unlink(missing_ok=True)
    return [u.path for u in units]


def run_network(unit: Unit) -> str:
    """Train, test and store one network (top-level, picklable; see :func:`run_block`)."""
    return run_block([unit])[0]


def run_networks(
    specs: list[NetworkSpec],
    params: Params,
    root: Path,
    *,
    executor: str = "serial",
    jobs: int = 1,
    block_size: int = 1,
    progress: bool = False,
) -> list[Path]:
    """Run networks through :func:`paperrepro.core.execute.map_units` and return their result files.

    Parameters
    ----------
    specs, params
        Networks and profile parameters.
    root
        Folder of the result files.
    executor, jobs
        Executor name and workers.
    block_size
        Networks per tensor program (1: one network per unit; > 1 groups networks with equal block settings).
    progress
        Show a per-network iteration bar (serial runs).
    """
    units = [Unit(s, params, str(result_path(root, s)), progress) for s in specs]
    if block_size <= 1:
        return [Path(p) for p in map_units(run_network, units, executor=executor, jobs=jobs)]
    groups: dict[tuple, list[Unit]] = {}
    for unit in units:
        groups.setdefault(net_setup(unit.spec, params).block_key(), []).append(unit)
    blocks = [g[i : i + block_size] for g in groups.values() for i in range(0, len(g), block_size)]
    map_units(run_block, blocks, executor=executor, jobs=jobs, desc="network blocks")
    return [Path(u.path) for u in units]


def run_with_progress(
    specs: list[NetworkSpec],
    params: Params,
    root: Path,
    *,
    executor: str = "serial",
    jobs: int = 1,
    report: Callable[[str], None] = print,
) -> list[Path]:
    """Run networks like :func:`run_networks` (one per unit), reporting each finished one with elapsed time and ETA.

    Networks whose result file is complete are skipped without training and left out of the ETA. The ETA assumes
    the remaining networks cost what the finished ones did on average, with ``jobs`` of them running at once
    (multitask networks train two phases and cost about twice as much).

    Parameters
    ----------
    specs, params, root
        Networks, profile parameters and folder of the result files.
    executor, jobs
        Executor name and workers (see :mod:`paperrepro.core.execute`).
    report
        Receives one line per event (default :func:`print`; unattended runs redirect it to a log file).
    """
    units = [Unit(s, params, str(result_path(root, s))) for s in specs]
    todo = [u for u in units if not _is_complete(Path(u.path), u.spec, params)]
    report(
        f"{len(units)} networks, {len(units) - len(todo)} already complete, {len(todo)} to train ({executor}, {jobs} worker(s))"
    )
    start = time.perf_counter()
    weight = {id(u): 2.0 if u.spec.first_task else 1.0 for u in todo}
    left = sum(weight.values())
    with open_executor(executor, jobs) as pool:
        if pool is None:
            finished = ((u, run_single_threaded(run_network, u)) for u in todo)
        else:
            futures = {pool.submit(run_single_threaded, run_network, u): u for u in todo}
            finished = ((futures[f], f.result()) for f in as_completed(futures))
        for done, (unit, path) in enumerate(finished, start=1):
            left -= weight[id(unit)]
            elapsed = time.perf_counter() - start
            eta = elapsed / max(sum(weight.values()) - left, 1e-9) * left
            with xr.open_dataset(path, engine="netcdf4") as ds:
                info = f"infloss {ds.attrs['infloss_test']:.3f}, {ds.attrs['iterations']} iterations"
            report(f"[{done}/{len(todo)}] {unit.spec.key}: {info}; elapsed {elapsed / 60:.1f} min, ETA {eta / 60:.1f} min")
    return [Path(u.path) for u in units]


SUMMARY_ATTRS: tuple[str, ...] = ("SI", "SI_unfiltered", "SI_entropy", "SI_logr2b", "infloss_test", "passed", "n_selected_mean")


def summarize(paths: list[Path]) -> xr.Dataset:
    """Scalar results of many networks along a ``network`` dimension with condition/task/grid coordinates."""
    rows = [read_netcdf(p).attrs for p in paths]
    coords = {
        name: ("network", np.array([r[name] for r in rows]))
        for name in ("condition", "task", "first_task", "lambda0", "sigma0", "rho", "job", "seed")
    }
    data = {name: ("network", np.array([r[name] for r in rows], dtype=np.float64)) for name in SUMMARY_ATTRS}
    ds = xr.Dataset(data, coords={"network": np.arange(len(rows)), **coords})
    ds["SI"].attrs.update(long_name="sequentiality index (NaN if failed)", units="1")
    ds["infloss_test"].attrs.update(long_name="test fractional information loss", units="1")
    ds["passed"] = ds["passed"].astype(np.int8)
    return ds


def write_summary(condition: str, params: Params, root: Path) -> Path:
    """Write the summary of one condition: every network of the profile with a complete result file.

    Parameters
    ----------
    condition
        The condition.
    params
        Profile parameters (their design, conditions and tasks define the networks looked for).
    root
        Folder of the result files.

    Returns
    -------
    Path
        ``<root>/<condition>/summary.nc``: :func:`summarize` of those networks (dimension ``network`` with task,
        lambda0, sigma0, rho and job coordinates).

    Raises
    ------
    DataError
        If no network of the condition is complete, or a result was made with another configuration.
    """
    specs = [s for s in network_specs(params) if s.condition == condition]
    paths = [result_path(root, s) for s in specs if _is_complete(result_path(root, s), s, params)]
    if not paths:
        raise DataError(f"no complete network of condition {condition!r} under {root}: run the sweep first")
    ds = summarize(paths)
    ds.attrs.update(condition=condition, n_networks=len(specs), n_complete=len(paths))
    return write_netcdf(ds, Path(root) / condition / "summary.nc")
