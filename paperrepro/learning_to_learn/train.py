"""Training loop: problems learned in sequence, one trial per Adam step (original ``train.py::train``).

Several *members* (a seed in a given run type) are trained in lock-step: every iteration runs
one trial of each active member through one batched BPTT program (:mod:`bptt`).  Each member
keeps its own problems, Adam state, trial counts and random streams, so a member's result does
not depend on which other members share its batch (up to BLAS rounding).

Per trial and member (original ``train.py::train``): new images at problem start, stimulus draw,
forward/backward, clip, Adam, h0 projection, then the convergence check on the *pre-update*
cross-entropies: solved when more than ``criterion_window`` trials were run and their last-50 mean
is below ``criterion``; trials to criterion = trials − 50.  A NaN cross-entropy or more than
``max_trials`` trials records NaN and moves on without a weight reset.  The homeostatic target is
set once, at the first solved problem, to the mean ``mean(r^2)`` of its last 50 trials.

Run types: ``full`` (problems in sequence; per-problem weights kept), ``base`` (the first
``pert_base_problems`` problems of a perturbation run: problem-1 snapshot, noisy test trajectories
for the subspaces), and the perturbation conditions ``control``, ``ds``, ``ss`` spawned from a
finished base (the three conditions share problems 1–50 to save ≈ 20 k trials per seed; the original ran them
separately).  Every perturbed problem starts from the restored problem-1 network with a freshly
permuted, frozen read-out; at problem 50 two permutations are drawn as in the original.

Checkpoints (optional ``checkpoint_dir``): at each problem boundary the member's state is pickled
atomically (temp file + ``os.replace``) to ``<key>.pkl`` and the problem's weights to
``<key>/p<k>.npz``; a later call with the same directory resumes from the last boundary.
"""

from __future__ import annotations

import copy
import json
import os
import pickle
import tempfile
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from tqdm import tqdm

from .bptt import forward_backward
from .network import PARAM_NAMES, Weights, init_weights, ou_filter, simulate
from .optim import AdamState
from .params import Params
from .perturb import CONDITIONS, StateAccumulator, draw_permutation, perturb_readout, subspaces
from .task import Rng, draw_stimulus, new_problem, trial_inputs

__all__ = ["Member", "make_member", "run_members", "train_full", "train_perturbation", "load_history", "read_progress"]

_NOISE_KEY = {"full": 1, "base": 2}


@dataclass
class Member:
    """Training state of one network (one seed in one run type).

    Attributes
    ----------
    key : str
        Unique name, e.g. ``"full-s0"``, ``"base-s0-ds"``.
    seed : int
        Network seed.
    run_type : str
        ``"full"``, ``"base"`` or one of :data:`perturb.CONDITIONS`.
    n_problems : int
        Problems (including inherited ones) after which the member is done.
    max_trials : int
        Trial cap per problem (NaN recorded above it).
    weights : Weights
        float64 master weights with a leading axis of length 1.
    task_rng, noise_rng :
        Weight/image/stimulus stream and noise stream.
    conv : list of float
        Trials to criterion per finished problem (NaN on failure).
    hnorm : list of float
        Mean ``mean(r^2)`` over the last 50 trials of each problem (original ``hNorm``).
    history : list of dict
        ``full`` runs: float32 weights and images after each problem (index 0 = problem 1).
    problem_images : list of numpy.ndarray
        Images of every finished problem (all run types).
    snapshot, acc, decision, stimulus :
        Perturbation runs: problem-1 network (with ``rho``), test-trajectory sums, subspaces.
    trials_total, wall_s :
        Trials run and wall-clock seconds spent on this member (its share of each batched trial),
        over every session that resumed it.
    """

    key: str
    seed: int
    run_type: str
    n_problems: int
    max_trials: int
    weights: Weights
    task_rng: Rng
    noise_rng: np.random.Generator
    adam: AdamState
    rho: float = 0.0
    rho_set: bool = False
    frozen: bool = False
    conv: list = field(default_factory=list)
    hnorm: list = field(default_factory=list)
    images: np.ndarray | None = None
    perf: list = field(default_factory=list)
    hn: list = field(default_factory=list)
    snapshot: Weights | None = None
    acc: StateAccumulator | None = None
    decision: np.ndarray | None = None
    stimulus: np.ndarray | None = None
    history: list = field(default_factory=list)
    problem_images: list = field(default_factory=list)
    trials_total: int = 0
    wall_s: float = 0.0

    @property
    def done(self) -> bool:
        """True when all problems of the member are finished."""
        return len(self.conv) >= self.n_problems


def _task_rng(seed: int, params: Params) -> Rng:
    if params.rng_mode == "original":
        return np.random.RandomState(seed)
    return np.random.default_rng(np.random.SeedSequence([seed, 0]))


def make_member(seed: int, run_type: str, params: Params) -> Member:
    """Fresh member with initial weights drawn from the seed's task stream.

    Parameters
    ----------
    seed : int
        Network seed.
    run_type : str
        ``"full"`` or ``"base"``.
    params : Params
        Profile.

    Returns
    -------
    Member
    """
    if run_type not in _NOISE_KEY:
        raise ValueError(f"run_type must be 'full' or 'base', got {run_type!r}")
    task_rng = _task_rng(seed, params)
    weights = {k: v[None].copy() for k, v in init_weights(task_rng, params).items()}
    base = run_type == "base"
    return Member(
        key=f"{run_type}-s{seed}",
        seed=seed,
        run_type=run_type,
        n_problems=params.pert_base_problems if base else params.n_problems,
        max_trials=params.max_trials,
        weights=weights,
        task_rng=task_rng,
        noise_rng=np.random.default_rng(np.random.SeedSequence([seed, _NOISE_KEY[run_type]])),
        adam=AdamState(weights),
        acc=StateAccumulator.empty(params) if base else None,
    )


def _atomic_write(path: Path, write) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _save(member: Member, directory: Path | None) -> None:
    """Checkpoint ``member`` at a problem boundary (weights history written incrementally)."""
    if directory is None:
        return
    if member.history:
        k = len(member.history)
        entry = member.history[-1]
        _atomic_write(directory / member.key / f"p{k:05d}.npz", lambda fh: np.savez(fh, **entry))
    state = copy.copy(member)
    state.history = []
    _atomic_write(directory / f"{member.key}.pkl", lambda fh: pickle.dump(state, fh, protocol=4))
    progress = {
        "problems": len(member.conv),
        "n_problems": member.n_problems,
        "trials": member.trials_total,
        "wall_s": member.wall_s,
    }
    _atomic_write(directory / f"{member.key}.progress.json", lambda fh: fh.write(json.dumps(progress).encode()))


def read_progress(directory: Path, key: str) -> dict | None:
    """The progress record of member ``key`` written at its last problem boundary (``None`` before the first)."""
    path = Path(directory) / f"{key}.progress.json"
    try:
        return json.loads(path.read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def _load(key: str, directory: Path) -> Member | None:
    path = directory / f"{key}.pkl"
    if not path.exists():
        return None
    with open(path, "rb") as fh:
        member = pickle.load(fh)
    member.history = load_history(directory / key, len(member.conv) if member.run_type == "full" else 0)
    return member


def load_history(folder: Path, n: int) -> list[dict]:
    """Per-problem weights ``p00001.npz`` .. ``p<n>.npz`` written by checkpoints."""
    history = []
    for k in range(1, n + 1):
        with np.load(folder / f"p{k:05d}.npz") as data:
            history.append({name: data[name] for name in data.files})
    return history


def _test_rates(member: Member, params: Params) -> np.ndarray:
    """Noisy test trials, one per stimulus, with the member's current weights, ``(2, T, N)``."""
    weights = {k: v[0] for k, v in member.weights.items()}
    u = np.stack([trial_inputs(member.images[s], params) for s in range(2)])
    noise = ou_filter(member.noise_rng.standard_normal((params.n_steps, 2, params.n_units)), params)
    return simulate(weights, u, params, noise)


def _restore_perturbed(member: Member, params: Params) -> None:
    """Restore the problem-1 network and apply a fresh frozen read-out perturbation."""
    perm = draw_permutation(member.task_rng, params.pert_rank)
    member.weights = {k: member.snapshot[k].copy() for k in PARAM_NAMES}
    member.weights["w_out"][0] = perturb_readout(
        member.snapshot["w_out"][0], member.run_type, member.decision, member.stimulus, perm
    )
    member.frozen = True


def _spawn(base: Member, params: Params) -> list[Member]:
    """Perturbation members sharing the finished base run's problems 1..50."""
    base.decision, base.stimulus = subspaces(base.acc, params.pert_rank)
    children = []
    for condition in CONDITIONS:
        child = copy.deepcopy(base)
        child.key = f"{base.key}-{condition}"
        child.run_type = condition
        child.n_problems = params.pert_base_problems + params.pert_problems
        child.max_trials = params.pert_max_trials
        child.acc = None
        child.perf, child.hn, child.images = [], [], None
        child.adam.reset(0)
        child.rho = float(child.snapshot["rho"][0])
        draw_permutation(child.task_rng, params.pert_rank)  # overwritten in the original too
        _restore_perturbed(child, params)
        children.append(child)
    return children


def _end_problem(member: Member, failed: bool, params: Params) -> list[Member]:
    """Book-keeping at a problem boundary; returns members spawned by a finished base run."""
    w = params.criterion_window
    if failed:
        member.conv.append(float("nan"))
        member.hnorm.append(float("nan"))
    else:
        member.conv.append(float(len(member.perf) - w))
        member.hnorm.append(float(np.mean(member.hn[-w:])))
        if not member.rho_set:
            member.rho = member.hnorm[-1]
            member.rho_set = True
    member.problem_images.append(member.images.copy())
    if member.run_type == "full":
        entry = {k: v[0].astype(np.float32) for k, v in member.weights.items()}
        entry["images"] = member.images.astype(np.float32)
        member.history.append(entry)
    spawned: list[Member] = []
    if member.run_type == "base":
        if len(member.conv) == 1:
            member.snapshot = {k: v.copy() for k, v in member.weights.items()}
            member.snapshot["rho"] = np.array([member.rho])
        member.acc.add(_test_rates(member, params))
        if member.done:
            spawned = _spawn(member, params)
    elif member.run_type in CONDITIONS and not member.done:
        _restore_perturbed(member, params)
    member.perf, member.hn, member.images = [], [], None
    member.adam.reset(0)
    return spawned


def _trial(active: list[Member], params: Params) -> list[tuple[Member, bool]]:
    """One batched trial; returns the members whose problem ended (with the failure flag)."""
    dtype = np.dtype(params.compute_dtype)
    stims = np.empty(len(active), dtype=np.int64)
    for b, m in enumerate(active):
        if m.images is None:
            m.images = new_problem(m.task_rng, params.n_pixels)
        stims[b] = draw_stimulus(m.task_rng)
    eps = np.stack([m.noise_rng.standard_normal((params.n_steps, params.n_units)) for m in active], 1)
    noise = ou_filter(eps, params)
    weights = {k: np.concatenate([m.weights[k] for m in active]).astype(dtype) for k in PARAM_NAMES}
    images = np.stack([m.images[s] for m, s in zip(active, stims, strict=True)])
    rho = np.array([m.rho for m in active])
    res = forward_backward(weights, images, stims, noise, rho, params)
    ended = []
    for b, m in enumerate(active):
        grads = {k: res.grads[k][b : b + 1] for k in PARAM_NAMES}
        m.adam.step(m.weights, grads, np.array([m.frozen]), params)
        ce = float(res.ce[b])
        m.perf.append(ce)
        m.hn.append(float(res.mean_r2[b]))
        w = params.criterion_window
        failed = bool(np.isnan(ce)) or len(m.perf) > m.max_trials
        if failed or (len(m.perf) > w and np.mean(m.perf[-w:]) < params.criterion):
            ended.append((m, failed))
    return ended


def _resume(member: Member, directory: Path | None, params: Params) -> list[Member]:
    """Replace ``member`` by its checkpointed state (and a finished base by its children)."""
    if directory is None:
        return [member]
    loaded = _load(member.key, directory)
    if loaded is None:
        return [member]
    loaded.n_problems = member.n_problems  # a later call may ask for more problems
    if loaded.run_type == "base" and loaded.done:
        children = [_load(f"{loaded.key}-{c}", directory) for c in CONDITIONS]
        if not all(c is not None for c in children):
            return _spawn(loaded, params)
        for child in children:
            child.n_problems = params.pert_base_problems + params.pert_problems
        return children
    return [loaded]


def run_members(
    members: list[Member],
    params: Params,
    checkpoint_dir: Path | None = None,
    progress: bool = True,
) -> dict[str, Member]:
    """Train members in lock-step batches of ``params.batch_seeds`` until all are done.

    Parameters
    ----------
    members : list of Member
        Fresh members (see :func:`make_member`); replaced by checkpoints found in
        ``checkpoint_dir``.
    params : Params
        Profile.
    checkpoint_dir : pathlib.Path, optional
        Folder for resumable checkpoints.
    progress : bool
        Show a tqdm bar over problems.

    Returns
    -------
    dict
        Finished members by key (perturbation conditions included, base runs excluded).
    """
    directory = Path(checkpoint_dir) if checkpoint_dir is not None else None
    pending = deque(m for member in members for m in _resume(member, directory, params))
    total = sum(m.n_problems for m in pending) + params.pert_problems * 3 * sum(m.run_type == "base" for m in pending)
    bar = tqdm(total=total, desc="problems", disable=not progress, initial=sum(len(m.conv) for m in pending))
    active: list[Member] = []
    finished: dict[str, Member] = {}
    while pending or active:
        while pending and len(active) < params.batch_seeds:
            m = pending.popleft()
            if m.done:
                finished[m.key] = m
            else:
                active.append(m)
        if not active:
            continue
        start = time.perf_counter()
        ended = _trial(active, params)
        share = (time.perf_counter() - start) / len(active)
        for m in active:
            m.trials_total += 1
            m.wall_s += share
        for m, failed in ended:
            spawned = _end_problem(m, failed, params)
            for child in spawned:
                _save(child, directory)
            _save(m, directory)
            bar.update(1)
            bar.set_postfix_str(f"{m.key} p{len(m.conv)}: {m.conv[-1]:.0f}")
            if m.done:
                active.remove(m)
                if m.run_type != "base":
                    finished[m.key] = m
                pending.extend(spawned)
    bar.close()
    return finished


def train_full(
    seeds: tuple[int, ...], params: Params, checkpoint_dir: Path | None = None, progress: bool = True
) -> dict[int, Member]:
    """Train ``full`` runs (``params.n_problems`` problems) for ``seeds``.

    Returns
    -------
    dict
        Finished member per seed (``conv``, ``history`` of per-problem weights, ``rho``).
    """
    members = [make_member(s, "full", params) for s in seeds]
    done = run_members(members, params, checkpoint_dir, progress)
    return {m.seed: m for m in done.values()}


def train_perturbation(
    seeds: tuple[int, ...], params: Params, checkpoint_dir: Path | None = None, progress: bool = True
) -> dict[tuple[int, str], Member]:
    """Manifold-perturbation runs: shared base problems, then each condition (Fig. 3).

    Returns
    -------
    dict
        Finished member per ``(seed, condition)``; ``conv[:pert_base_problems]`` are the shared
        base problems, the rest the perturbed ones.
    """
    members = [make_member(s, "base", params) for s in seeds]
    done = run_members(members, params, checkpoint_dir, progress)
    return {(m.seed, m.run_type): m for m in done.values()}
