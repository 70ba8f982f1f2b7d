"""Where each paper's networks come from, and the frozen DVC stages that retrain them.

Every paper reads its networks from one of three **sources**:

``pinned`` (the default)
    Trained networks (or the per-network summaries the figures need) committed under
    ``paperrepro/<paper>/pinned/`` and listed with their sha256 in the paper's ``registry.txt``. Each pinned file
    records how it was made (command, code commit, environment, wall time) in its attributes.
``retrain``
    Train at the profile's scale through the paper's training command (resumable; ``--jobs`` for independent
    networks), into ``data/<paper>/``.
``authors``
    The networks the authors published, where they did (rotational ``model_demo.pkl``; accuracy's Zenodo record).

The retraining commands are DVC stages ``train-<paper>`` with ``frozen: true``: a default ``dvc repro`` never runs
them (it builds the figures from the pinned files, which the figure stages depend on), and ``make retrain
PAPER=<paper>`` (or ``PAPER=all``; :func:`retrain`) runs their commands and records the new pinned files in
``dvc.lock`` (DVC can neither run a frozen stage nor unfreeze a parametrised one). Their outputs are the ``pinned/``
folders, so ``dvc.lock`` holds the md5 of every pinned file.

Rotational has no training stage: its rank-constrained linear networks train in seconds and are trained in the
build (the paper's 10 × 50 grid in minutes).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import paths


@dataclass(frozen=True)
class TrainingStage:
    """The retraining command of one paper and the pinned folder it writes.

    Parameters
    ----------
    paper
        Paper package name.
    commands
        Shell commands run in order (``${profile}`` is DVC's parameter of ``params.yaml``).
    code
        Packages whose source files the training depends on (besides ``paperrepro/core``).
    cost
        Measured cost of the quick profile's training, for the README.
    """

    paper: str
    commands: tuple[str, ...]
    code: tuple[str, ...]
    cost: str

    @property
    def name(self) -> str:
        """DVC stage name, ``train-<paper>``."""
        return f"train-{self.paper}"

    @property
    def pinned(self) -> str:
        """The pinned folder (relative to the project root) that the stage writes."""
        return f"paperrepro/{self.paper}/pinned"

    def code_files(self, root: Path | None = None) -> list[str]:
        """Source files (``.py``, ``.c``) of :attr:`code`, relative to the project root and sorted.

        Parameters
        ----------
        root
            Folder that holds the ``paperrepro`` package (default: that of the installed package).

        Returns
        -------
        list of str
            POSIX paths; the ``pinned/`` folders are not code and are left out.
        """
        root = root or paths.PACKAGE_DIR.parent
        files = []
        for package in self.code:
            folder = root / "paperrepro" / package
            files += [p for p in folder.rglob("*") if p.suffix in {".py", ".c"} and "pinned" not in p.parts]
        return sorted(p.relative_to(root).as_posix() for p in files)


TRAINING_STAGES: tuple[TrainingStage, ...] = (
    TrainingStage(
        "maturation",
        (
            "python -m paperrepro.maturation.train --seed 0",
            "python -m paperrepro.maturation pin --profile ${profile} --source retrained",
        ),
        ("maturation", "oculomotor"),
        "1–3 h on one core",
    ),
    TrainingStage(
        "accuracy",
        tuple(
            f"python -m paperrepro.accuracy.train --model {model} --seed {seed} "
            f"&& python -m paperrepro.accuracy pin --model {model} --seed {seed}"
            for model, seed in (("8loc_odr3000", 0), ("8loc_odr3000", 1), ("8loc_odr3000", 2), ("360loc_odr", 0))
        ),
        ("accuracy", "oculomotor"),
        "1–3 h per seed on one core",
    ),
    TrainingStage(
        "learning_to_learn",
        (
            "python -m paperrepro.learning_to_learn train --profile ${profile} --jobs 2",
            "python -m paperrepro.learning_to_learn perturb --profile ${profile} --jobs 2",
            "python -m paperrepro.learning_to_learn pin --profile ${profile}",
        ),
        ("learning_to_learn",),
        "quick ≈ 10 min on 2 cores (2 networks × 101 problems); paper ≈ 2.1–2.4 h + 45 min of perturbations",
    ),
    TrainingStage(
        "memory_factors",
        (
            "python -m paperrepro.memory_factors sweep --profile ${profile} --jobs 2",
            "python -m paperrepro.memory_factors pin --profile ${profile}",
        ),
        ("memory_factors",),
        "quick ≈ 3.6 CPU-h, ≈ 1.8–2.3 h on 2 cores (160 networks)",
    ),
)
"""The frozen retraining stage of every paper that pins networks."""


def training_stage(paper: str) -> TrainingStage:
    """The training stage of ``paper``.

    Raises
    ------
    KeyError
        If the paper pins no networks (rotational), naming the papers that do.
    """
    for stage in TRAINING_STAGES:
        if stage.paper == paper:
            return stage
    raise KeyError(f"{paper!r} has no training stage; papers with one: {', '.join(s.paper for s in TRAINING_STAGES)}")


def dvc_stage(stage: TrainingStage, root: Path | None = None) -> dict:
    """The frozen DVC stage of ``stage``: its commands, code and parameters in, the pinned folder out.

    Parameters
    ----------
    stage
        The paper's training stage.
    root
        Folder that holds the ``paperrepro`` package (default: that of the installed package).

    Returns
    -------
    dict
        A ``dvc.yaml`` stage with ``frozen: true``.
    """
    return {
        "cmd": list(stage.commands),
        "deps": ["paperrepro/__init__.py", "paperrepro/core", *stage.code_files(root)],
        "params": ["profile", f"{stage.paper}.${{profile}}"],
        "outs": [{stage.pinned: {"cache": False}}],
        "frozen": True,
    }


def commands_for(stage: TrainingStage, profile: str) -> list[str]:
    """The shell commands of ``stage`` with DVC's ``${profile}`` replaced by ``profile``."""
    return [command.replace("${profile}", profile) for command in stage.commands]


def retrain(papers: list[str], profile: str, *, dry_run: bool = False, root: Path | None = None) -> int:
    """Run the training stages of ``papers`` and record their new pinned files in ``dvc.lock``.

    DVC cannot run a frozen stage, nor unfreeze a parametrised one, so this runs the stage's own commands (the same
    strings as ``dvc.yaml``) and then ``dvc commit --force train-<paper>``, which writes the md5s of the new pinned
    folder into ``dvc.lock``; ``make figures`` then rebuilds the figures that depend on them.

    Parameters
    ----------
    papers
        Paper names (each must have a training stage).
    profile
        Profile of ``params.yaml`` to train.
    dry_run
        Only print the commands.
    root
        Project root (default :func:`paperrepro.core.paths.project_root`).

    Returns
    -------
    int
        0, or the exit code of the first command that failed (the later ones are not run).

    Raises
    ------
    UsageError
        If a paper has no training stage.
    """
    import subprocess

    from .errors import UsageError

    root = root or paths.project_root()
    try:
        stages = [training_stage(paper) for paper in papers]
    except KeyError as err:
        raise UsageError(str(err.args[0])) from None
    for stage in stages:
        commands = [*commands_for(stage, profile), f"dvc commit --force {stage.name}"]
        for command in commands:
            print(f"[{stage.name}] {command}", flush=True)
            if dry_run:
                continue
            code = subprocess.run(command, shell=True, cwd=root, check=False).returncode
            if code:
                print(f"[{stage.name}] failed with exit code {code}; rerun to resume where it stopped", flush=True)
                return code
    return 0
