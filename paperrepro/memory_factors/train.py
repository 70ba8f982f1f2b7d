"""Training and testing of a block of K networks of one grid column.

A :class:`Trainer` owns the stacked model (:class:`~paperrepro.memory_factors.model.RNNBlock`), one Adam optimiser
(lr 5e-4) over the stacked tensors, one data generator per network, and the training monitor (information loss
over the batches since the last report, every ``monitor_every`` iterations, starting at iteration 0). The
loss of the block is the sum of the networks' own losses. ``phases`` is a list of tasks trained one after the
other with the same network and Adam state (multitask: [A, B]); after each phase the networks are tested on that
phase's task.

Checkpoints (every ``checkpoint_every`` iterations and at phase ends) hold parameters, Adam state, iteration,
phase, generator states, monitor accumulators, curves and phase results; they are written to a temporary file and
renamed (``os.replace``), and a resumed run equals an uninterrupted one.

A network whose loss becomes non-finite is marked diverged: it leaves the summed loss and its gradients are
zeroed, so it cannot contaminate the others. No activity clipping is applied.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
from tqdm.auto import tqdm

from paperrepro.core.errors import DataError

from .loss import total_loss
from .model import RNNBlock, init_params
from .performance import InfoLoss
from .tasks import TASK_INFO, Batch, make_batch


@dataclass(frozen=True)
class NetSetup:
    """Everything that defines the training of one network (hashable, picklable).

    Attributes
    ----------
    phases
        Tasks trained in order (one task, or [A, B] for multitask).
    lambda0, sigma0, rho
        Initial self-coupling, off-diagonal coupling (N-independent) and L2 coefficient.
    seed
        Seed of the initialisation (``default_rng([seed, 0])``) and data (``default_rng([seed, 1])``) generators.
    n_hidden, n_iterations, batch_size, lr
        Size and optimisation settings (``n_iterations`` per phase).
    gamma
        Hebbian fast-weight rate (0: vanilla).
    penalty
        Activity-penalty coefficient (1e-4; tethered 1e-1).
    readout_step
        Step read by the information loss (-5; tethered -10).
    dynamic, variable_delay
        Input variants.
    task_options
        Switches passed to :func:`~paperrepro.memory_factors.tasks.make_batch`, as sorted (name, value) pairs.
    angular, kl_zero, grad_clip, monitor_every
        Loss/performance switches and monitor interval.
    """

    phases: tuple[str, ...]
    lambda0: float
    sigma0: float
    rho: float = 0.0
    seed: int = 1
    n_hidden: int = 500
    n_iterations: int = 25001
    batch_size: int = 50
    lr: float = 5e-4
    gamma: float = 0.0
    penalty: float = 1e-4
    readout_step: int = -5
    dynamic: bool = False
    variable_delay: bool = False
    task_options: tuple[tuple[str, object], ...] = field(default=())
    angular: str = "abs_mod"
    kl_zero: str = "xlogy"
    grad_clip: float = 100.0
    monitor_every: int = 500

    def block_key(self) -> tuple:
        """Settings that must be equal for networks trained in one block."""
        return (
            self.phases,
            self.n_hidden,
            self.n_iterations,
            self.batch_size,
            self.lr,
            self.gamma,
            self.penalty,
            self.readout_step,
            self.dynamic,
            self.variable_delay,
            self.task_options,
            self.angular,
            self.kl_zero,
            self.grad_clip,
            self.monitor_every,
        )


def draw_batch(setup: NetSetup, task: str, rng: np.random.Generator) -> Batch:
    """One training or test batch of ``task`` for a network with ``setup``."""
    return make_batch(
        task, rng, setup.batch_size, dynamic=setup.dynamic, variable_delay=setup.variable_delay, **dict(setup.task_options)
    )


def _stack(batches: list[Batch], device: torch.device) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor | None]:
    x = torch.from_numpy(np.stack([b.x for b in batches])).to(device)
    y = torch.from_numpy(np.stack([b.y for b in batches])).to(device)
    masked = not all(b.mask.all() for b in batches)
    mask = torch.from_numpy(np.stack([b.mask for b in batches])).to(device) if masked else None
    return x, y, mask


class Trainer:
    """Train and test K networks with identical block settings.

    Parameters
    ----------
    setups
        One :class:`NetSetup` per network; all with the same :meth:`NetSetup.block_key`.
    checkpoint
        Checkpoint file (resumed from when it exists); ``None`` for no checkpoints.
    checkpoint_every
        Iterations between checkpoints.
    device
        Torch device of the model (batches are generated with numpy on the CPU and moved there).
    """

    def __init__(
        self, setups: list[NetSetup], checkpoint: Path | None = None, checkpoint_every: int = 1000, device: str = "cpu"
    ) -> None:
        if len({s.block_key() for s in setups}) != 1:
            raise ValueError("networks of one block must share tasks, sizes, condition and switches")
        self.setups = setups
        self.first = setups[0]
        info = TASK_INFO[self.first.phases[0]]
        n_in = info.n_in(self.first.dynamic)
        params = [
            init_params(np.random.default_rng([s.seed, 0]), n_in, info.n_out, s.n_hidden, s.lambda0, s.sigma0) for s in setups
        ]
        self.device = torch.device(device)
        self.model = RNNBlock(params, info.readout, self.first.gamma, self.first.grad_clip).to(self.device)
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=self.first.lr, betas=(0.9, 0.999), eps=1e-8)
        self.rho = torch.tensor([s.rho for s in setups], dtype=torch.float32, device=self.device)
        self.rngs = [np.random.default_rng([s.seed, 1]) for s in setups]
        self.iteration = 0
        self.phase = 0
        #: iterations of the current (last) phase; raised by :meth:`extend`
        self.n_iterations = self.first.n_iterations
        self.alive = np.ones(len(setups), dtype=bool)
        self.monitors = [InfoLoss(self.first.phases[0], self.first.angular, self.first.kl_zero) for _ in setups]
        self.curves: list[list[list[float]]] = [[[] for _ in setups] for _ in self.first.phases]
        self.loss_curves: list[list[list[float]]] = [[[] for _ in setups] for _ in self.first.phases]
        self._loss_sum = np.zeros(len(setups))
        self._loss_n = 0
        self.results: list[dict] = []
        self.checkpoint = Path(checkpoint) if checkpoint is not None else None
        self.checkpoint_every = checkpoint_every
        if self.checkpoint is not None and self.checkpoint.exists():
            self._load(self.checkpoint)

    # ----------------------------------------------------------------------------------------------- training
    @property
    def task(self) -> str:
        """Task of the current phase."""
        return self.first.phases[self.phase]

    def train_step(self) -> np.ndarray:
        """One Adam step of every network on a fresh batch; returns the per-network losses."""
        task = self.task
        batches = [draw_batch(s, task, rng) for s, rng in zip(self.setups, self.rngs, strict=False)]
        x, y_target, mask = _stack(batches, self.device)
        y, hidden = self.model(x, mask)
        losses = total_loss(
            y, hidden, y_target, TASK_INFO[task].kind, self.first.penalty, self.rho, self.model.squared_norm(), self.first.angular
        )
        values = losses.detach().cpu().numpy().astype(np.float64)
        self.alive &= np.isfinite(values)
        self.optimizer.zero_grad(set_to_none=False)
        if self.alive.any():
            losses[torch.from_numpy(self.alive).to(self.device)].sum().backward()
        dead = torch.from_numpy(~self.alive).to(self.device)
        if dead.any():
            for p in self.model.parameters():
                if p.grad is not None:
                    p.grad[dead] = 0.0
        self.optimizer.step()
        out = y.detach().cpu().numpy()
        for k, batch in enumerate(batches):
            self.monitors[k].add(out[k], batch.optimal, batch.y, self.first.readout_step)
        self._loss_sum += values
        self._loss_n += 1
        if self.iteration % self.first.monitor_every == 0:
            for k in range(len(self.setups)):
                self.curves[self.phase][k].append(self.monitors[k].value())
                self.loss_curves[self.phase][k].append(self._loss_sum[k] / self._loss_n)
                self.monitors[k].reset()
            self._loss_sum[:] = 0.0
            self._loss_n = 0
        self.iteration += 1
        return values

    def run(self, test_batches: int, keep_batches: int, progress: bool = True) -> list[dict]:
        """Train every phase to its end (resuming where the checkpoint left off) and test after each phase.

        Parameters
        ----------
        test_batches
            Test batches per phase for the information loss.
        keep_batches
            Of them, how many are kept for the SI (every ``(test_batches - 1) // (keep_batches - 1)``-th).
        progress
            Show a tqdm bar.

        Returns
        -------
        list of dict
            Per phase, the output of :meth:`test`.
        """
        n_it = self.first.n_iterations
        total = n_it * (len(self.first.phases) - 1) + self.n_iterations
        with tqdm(
            total=total, initial=self.phase * n_it + self.iteration, desc="iterations", disable=not progress or None, leave=False
        ) as bar:
            while self.phase < len(self.first.phases):
                last = self.phase == len(self.first.phases) - 1
                while self.iteration < (self.n_iterations if last else n_it):
                    self.train_step()
                    bar.update(1)
                    if self.checkpoint is not None and self.iteration % self.checkpoint_every == 0:
                        self.save(self.checkpoint)
                self.results.append(self.test(test_batches, keep_batches))
                self._next_phase()
                if self.checkpoint is not None:
                    self.save(self.checkpoint)
        return self.results

    def extend(self, extra: int) -> None:
        """Reopen the finished last phase for ``extra`` more iterations (same model, Adam state and generators).

        The last phase's test result is dropped; the next :meth:`run` trains on from where training stopped and tests
        again. Used to train a network that failed the pass filter for longer.
        """
        if self.phase != len(self.first.phases) or not self.results:
            raise RuntimeError("extend() needs a trainer whose every phase has finished")
        self.phase -= 1
        self.results.pop()
        self.iteration = self.n_iterations
        self.n_iterations += extra

    def _next_phase(self) -> None:
        self.phase += 1
        self.iteration = 0
        if self.phase < len(self.first.phases):
            self.monitors = [InfoLoss(self.task, self.first.angular, self.first.kl_zero) for _ in self.setups]
            self._loss_sum[:] = 0.0
            self._loss_n = 0

    # ------------------------------------------------------------------------------------------------- testing
    @torch.no_grad()
    def test(self, test_batches: int, keep_batches: int) -> dict:
        """Test every network on fresh batches of the current task.

        Returns
        -------
        dict
            ``task``; ``infloss`` (K,); kept ``hidden`` (K, trials, T, N) float32, ``input``, ``output``, ``target``
            and per-trial variables ``trial`` (dict of (K, trials, ...)) from the kept batches; ``alive`` (K,).
        """
        task = self.task
        stride = max(1, (test_batches - 1) // max(1, keep_batches - 1))
        keep = {i * stride for i in range(keep_batches)}
        monitors = [InfoLoss(task, self.first.angular, self.first.kl_zero) for _ in self.setups]
        kept: dict[str, list] = {"hidden": [], "input": [], "output": [], "target": [], "trial": []}
        for i in range(test_batches):
            batches = [draw_batch(s, task, rng) for s, rng in zip(self.setups, self.rngs, strict=False)]
            x, _, mask = _stack(batches, self.device)
            y, hidden = self.model(x, mask)
            out = y.cpu().numpy()
            for k, batch in enumerate(batches):
                monitors[k].add(out[k], batch.optimal, batch.y, self.first.readout_step)
            if i in keep:
                kept["hidden"].append(hidden.cpu().numpy())
                kept["input"].append(x.cpu().numpy())
                kept["output"].append(out)
                kept["target"].append(np.stack([b.y for b in batches]))
                kept["trial"].append([b.trial for b in batches])
        trial_vars = {}
        for name in kept["trial"][0][0]:
            trial_vars[name] = np.stack([np.concatenate([tb[k][name] for tb in kept["trial"]]) for k in range(len(self.setups))])
        return {
            "task": task,
            "infloss": np.array([m.value() for m in monitors]),
            "alive": self.alive.copy(),
            "hidden": np.concatenate(kept["hidden"], axis=1),
            "input": np.concatenate(kept["input"], axis=1),
            "output": np.concatenate(kept["output"], axis=1),
            "target": np.concatenate(kept["target"], axis=1),
            "trial": trial_vars,
            "curve": np.array(self.curves[self.phase], dtype=np.float64),
            "loss_curve": np.array(self.loss_curves[self.phase], dtype=np.float64),
        }

    # --------------------------------------------------------------------------------------------- checkpoints
    def state(self) -> dict:
        """Everything needed to resume."""
        return {
            "model": self.model.state_dict(),
            "optimizer": self.optimizer.state_dict(),
            "rngs": [r.bit_generator.state for r in self.rngs],
            "iteration": self.iteration,
            "phase": self.phase,
            "alive": self.alive.copy(),
            "monitors": self.monitors,
            "curves": self.curves,
            "loss_curves": self.loss_curves,
            "loss_sum": self._loss_sum.copy(),
            "loss_n": self._loss_n,
            "results": self.results,
            "setups": self.setups,
            "n_iterations": self.n_iterations,
        }

    def save(self, path: Path) -> None:
        """Write a checkpoint atomically (temporary file + ``os.replace``)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        torch.save(self.state(), tmp)
        os.replace(tmp, path)

    def _load(self, path: Path) -> None:
        state = torch.load(path, weights_only=False, map_location=self.device)
        if state["setups"] != self.setups:
            raise DataError(f"checkpoint {path} belongs to other settings; delete it to restart")
        self.model.load_state_dict(state["model"])
        self.optimizer.load_state_dict(state["optimizer"])
        for rng, rng_state in zip(self.rngs, state["rngs"], strict=False):
            rng.bit_generator.state = rng_state
        self.iteration, self.phase, self.alive = state["iteration"], state["phase"], state["alive"]
        self.monitors, self.curves, self.loss_curves = state["monitors"], state["curves"], state["loss_curves"]
        self._loss_sum, self._loss_n, self.results = state["loss_sum"], state["loss_n"], state["results"]
        self.n_iterations = state.get("n_iterations", self.first.n_iterations)
