"""The authors' trained networks from Zenodo (``source: zenodo``) as a :class:`~paperrepro.accuracy.source.Model`.

The authors of Xie et al. 2022 published their trained networks as Zenodo record 5209068
(https://zenodo.org/records/5209068, DOI ``10.5281/zenodo.5209068``; linked from the README and
``example_data/run_example_data.md`` of github.com/maiziezhoulab/RNN_workingmemoryaccuracy). This module reads them
through pooch's DOI support and the numpy TF-checkpoint reader, with no TensorFlow:

1. **Registry from the DOI.** ``pooch.create(base_url="doi:<zenodo_doi>/")`` and
   :meth:`pooch.Pooch.load_registry_from_doi`: pooch resolves the DOI at doi.org (to ``https://zenodo.org/records/
   5209068``), asks the Zenodo API (``https://zenodo.org/api/records/5209068``) for the record's files and makes their
   md5 checksums the registry. The registry is saved as ``registry.txt`` in the cache folder
   ``<data_dir>/accuracy/zenodo/`` and reused from there (a complete cache then builds offline); delete that file to
   ask Zenodo again.
2. **Downloads** land in the same cache folder, each checked against its md5 by pooch: a file whose md5 differs is
   deleted and refused with a :class:`~paperrepro.core.errors.DataError`, nothing of it is kept. The DOI is resolved
   once per process for all downloads (pooch's ``doi_to_repository`` and the repository's ``download_url``; pooch's
   own ``DOIDownloader`` would query doi.org and the API again for every file) and files are fetched by pooch's
   HTTP downloader.
3. **Layout.** Each of the authors' run folders (``6tasks_8loc_256neuron_odr3000_seed0``, ``6tasks_360loc_256neuron``,
   ``odr_mix_uniform_00_30_01step_6tasks``) holds ``hp.json``, ``log.json`` and one folder per evaluation named by its
   training trials (``0/``, ``1280/``, …) with ``checkpoint``, ``model.ckpt.index``,
   ``model.ckpt.data-00000-of-00001`` and ``model.ckpt.meta``. How the record stores them has not been seen (this was
   written without network access). :func:`locate` tries, in this order:

   * **per file**: the record's file keys are the run-relative paths, ``<folder>/hp.json``,
     ``<folder>/<trials>/model.ckpt.index`` …; each file is fetched on its own;
   * **one archive per folder**: ``<folder>.zip`` (members under any leading path; the folder is where its
     ``log.json`` is);
   * **one archive for all**: the record's only ``.zip``, searched for ``<folder>/log.json``.

   The archive layouts are the likely ones: Zenodo records hold at most 100 files, and the 8-location run alone has
   more than 586 checkpoints (three files each). An archive is downloaded whole (hash-checked) and only the members
   the figures need are extracted (:class:`pooch.Unzip` with ``members``) into ``<archive>.unzip/``. Another layout
   (other archive names, ``.tar.gz``, other folder names) is adapted in :func:`locate`; other folder names alone are
   the parameters ``zenodo_prefix`` (+ training seed) and ``zenodo_folder_360``.
4. **Conversion.** ``log.json`` is read (evaluations without a checkpoint on the record are dropped), the checkpoints
   the figures use are chosen with :func:`~paperrepro.accuracy.source.select` under the profile's selection
   parameters (the 360-location model: its single stage checkpoints, as its pinned bundle) and fetched; a
   checkpoint is read with :func:`paperrepro.oculomotor.tfcheckpoint.load_tf_weights` when a figure asks for it
   (``rnn/leaky_rnn_cell/kernel``, ``rnn/leaky_rnn_cell/bias``, ``output/weights``, ``output/biases`` become
   ``kernel``, ``bias``, ``w_out``, ``b_out``: the weights of the pinned bundles and run folders).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pooch
import pooch.downloaders

from paperrepro.core.atomic import atomic_write_text
from paperrepro.core.errors import DataError
from paperrepro.oculomotor.store import LoadedStore, log_to_dataset
from paperrepro.oculomotor.tfcheckpoint import load_tf_weights

from .pin import SINGLES_ONLY
from .source import Model, select
from .train import MODEL_8LOC, MODEL_360LOC

#: The authors' record (Zenodo 5209068).
DOI = "10.5281/zenodo.5209068"
#: Files of one evaluation folder that the reader needs (``checkpoint`` and ``model.ckpt.meta`` are not fetched).
CHECKPOINT_FILES = ("model.ckpt.index", "model.ckpt.data-00000-of-00001")
REGISTRY_FILE = "registry.txt"
_CHECKPOINT_RE = re.compile(r"(\d+)/model\.ckpt\.index")


def cache_dir(data_dir: Path | str) -> Path:
    """The cache folder of the Zenodo files, ``<data_dir>/accuracy/zenodo``."""
    return Path(data_dir) / "accuracy" / "zenodo"


def _one_line(err: BaseException) -> str:
    return " ".join(f"{err.__class__.__name__}: {err}".split())


class _RecordDownloader:
    """A pooch downloader for ``doi:<doi>/<file>`` URLs that resolves the DOI once (pooch's DOI machinery)."""

    def __init__(self, doi: str, progressbar: bool) -> None:
        self.doi = doi
        self.progressbar = progressbar
        self.repository = None

    def __call__(self, url: str, output_file, pooch_obj) -> None:  # noqa: ANN001 (pooch's API)
        prefix = f"doi:{self.doi}/"
        if not url.startswith(prefix):
            raise ValueError(f"{url} is not a file of doi:{self.doi}")
        if self.repository is None:
            self.repository = pooch.downloaders.doi_to_repository(
                self.doi, headers=pooch.downloaders.REQUESTS_HEADERS, timeout=pooch.downloaders.DEFAULT_TIMEOUT
            )
        download_url = self.repository.download_url(url[len(prefix) :])
        pooch.HTTPDownloader(progressbar=self.progressbar)(download_url, output_file, pooch_obj)


@dataclass
class Record:
    """The Zenodo record: its registry (file name → ``md5:…``) and a hash-checked fetch into the cache folder.

    Attributes
    ----------
    doi : str
        The record's DOI.
    pooch : pooch.Pooch
        Registry and cache folder.
    """

    doi: str
    pooch: pooch.Pooch
    downloader: _RecordDownloader = field(repr=False)

    @property
    def path(self) -> Path:
        """The cache folder."""
        return Path(self.pooch.path)

    @property
    def names(self) -> list[str]:
        """The record's file names."""
        return sorted(self.pooch.registry)

    def fetch(self, name: str, processor=None):  # noqa: ANN001, ANN201 (pooch's processor and return types)
        """Fetch one file of the record into the cache (hash-checked; see the module docstring).

        Raises
        ------
        DataError
            The record has no such file, the download failed (one line with the HTTP error) or its md5 differs from
            the one Zenodo lists (the download is deleted).
        """
        if name not in self.pooch.registry:
            raise DataError(f"the Zenodo record doi:{self.doi} has no file {name}")
        try:
            return self.pooch.fetch(name, processor=processor, downloader=self.downloader)
        except ValueError as err:  # pooch's hash mismatch (the download is already deleted)
            detail = re.search(r"expected (\S+) but got (\S+?)\.", str(err))
            what = f"md5 {detail.group(2)}, Zenodo lists {detail.group(1)}" if detail else _one_line(err)
            raise DataError(
                f"{name} downloaded from the Zenodo record doi:{self.doi} is corrupted ({what}); it was "
                "deleted, nothing was kept: try again later"
            ) from err
        except zipfile.BadZipFile as err:
            raise DataError(
                f"{name} of the Zenodo record doi:{self.doi} is not a readable zip archive "
                f"({_one_line(err)}); delete {self.path / name} and try again"
            ) from err
        except Exception as err:  # requests' HTTP and connection errors
            raise DataError(
                f"could not download {name} from the Zenodo record doi:{self.doi} ({_one_line(err)}); "
                "check the internet connection, or use source 'pinned' or 'run'"
            ) from err


_RECORDS: dict[tuple[str, str], Record] = {}


def open_record(doi: str, folder: Path | str) -> Record:
    """The record's registry: ``<folder>/registry.txt`` if saved, else from the Zenodo API (then saved).

    Raises
    ------
    DataError
        If the DOI cannot be resolved or the API cannot be reached (one line).
    """
    folder = Path(folder)
    key = (doi, str(folder.resolve()))
    if key in _RECORDS and (folder / REGISTRY_FILE).is_file():
        return _RECORDS[key]
    progressbar = sys.stderr.isatty()
    try:
        import tqdm  # noqa: F401 (pooch's progress bar needs it)
    except ImportError:
        progressbar = False
    record = pooch.create(path=folder, base_url=f"doi:{doi}/", registry=None)
    saved = folder / REGISTRY_FILE
    if saved.is_file():
        record.load_registry(saved)
    else:
        try:
            record.load_registry_from_doi()
        except Exception as err:  # connection errors, HTTP errors, unexpected API answers
            raise DataError(
                f"could not list the files of the Zenodo record doi:{doi} ({_one_line(err)}); source "
                "'zenodo' needs internet access once, else use source 'pinned' or 'run'"
            ) from err
        if not record.registry:
            raise DataError(f"the Zenodo record doi:{doi} lists no files")
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write_text(saved, "".join(f"{name} {record.registry[name]}\n" for name in sorted(record.registry)))
    _RECORDS[key] = Record(doi, record, _RecordDownloader(doi, progressbar))
    return _RECORDS[key]


@dataclass
class RunFiles:
    """Where one run folder of the record is: its files, fetched on demand (see :func:`locate`).

    Attributes
    ----------
    record : Record
        The record.
    folder : str
        The authors' folder name.
    archive : str or None
        The record's archive holding the folder (None: per-file layout).
    prefix : str
        Path of the folder's files inside the archive, or in the record's file keys (ends with ``/``).
    checkpoints : frozenset of int
        Trials of the evaluations whose checkpoint files are present.
    """

    record: Record
    folder: str
    archive: str | None
    prefix: str
    checkpoints: frozenset[int]

    def local(self, names: list[str]) -> list[Path]:
        """Local paths of files of the folder (run-relative names), fetched or extracted when missing.

        Per-file layout: every call lets pooch check the cached file's md5. Archives: members already extracted are
        read as they are (the archive's md5 was checked when they were extracted; re-hashing a 1-GB archive for
        every checkpoint would dominate the run time).
        """
        if self.archive is None:
            return [Path(self.record.fetch(self.prefix + name)) for name in names]
        extracted = self.record.path / f"{self.archive}.unzip"
        members = [self.prefix + name for name in names if not (extracted / self.prefix / name).is_file()]
        if members:
            logger = pooch.get_logger()
            level = logger.level
            logger.setLevel(max(level, logging.WARNING))  # pooch logs one line per extracted member
            try:
                self.record.fetch(self.archive, processor=pooch.Unzip(members=members))
            finally:
                logger.setLevel(level)
        return [extracted / self.prefix / name for name in names]


def _checkpoints(names: list[str], prefix: str) -> frozenset[int]:
    """Trials of the evaluation folders under ``prefix`` that hold both checkpoint files."""
    present = set(names)
    found = set()
    for name in names:
        if name.startswith(prefix) and (m := _CHECKPOINT_RE.fullmatch(name[len(prefix) :])):
            if all(f"{prefix}{m.group(1)}/{f}" in present for f in CHECKPOINT_FILES):
                found.add(int(m.group(1)))
    return frozenset(found)


def _archive_prefix(members: list[str], folder: str, dedicated: bool) -> str | None:
    """Path of ``folder`` inside an archive (``""`` for its root), found by its ``log.json``; None if absent."""
    logs = sorted(
        (m[: -len("log.json")] for m in members if m == "log.json" or m.endswith("/log.json")), key=lambda p: (p.count("/"), p)
    )
    named = [p for p in logs if p.rstrip("/").rsplit("/", 1)[-1] == folder]
    if named:
        return named[0]
    return logs[0] if dedicated and len(logs) == 1 else None


_RUNS: dict[tuple[str, str, str], RunFiles] = {}


def locate(record: Record, folder: str) -> RunFiles:
    """Find a run folder in the record (per-file layout, ``<folder>.zip``, or the record's only zip; module docstring).

    Raises
    ------
    DataError
        If none of the layouts holds the folder: the message lists the record's files.
    """
    key = (record.doi, str(record.path), folder)
    if key in _RUNS:
        return _RUNS[key]
    names = record.names
    prefix = f"{folder}/"
    if f"{prefix}log.json" in names:
        run = RunFiles(record, folder, None, prefix, _checkpoints(names, prefix))
    else:
        zips = [n for n in names if n.lower().endswith(".zip")]
        candidates = [n for n in zips if n[: -len(".zip")] == folder] or (zips if len(zips) == 1 else [])
        run = None
        for archive in candidates:
            with zipfile.ZipFile(record.fetch(archive)) as zf:
                members = [m for m in zf.namelist() if not m.endswith("/")]
            inner = _archive_prefix(members, folder, dedicated=archive[: -len(".zip")] == folder)
            if inner is not None:
                run = RunFiles(record, folder, archive, inner, _checkpoints(members, inner))
                break
        if run is None:
            shown = ", ".join(names[:12]) + (f", … ({len(names)} files)" if len(names) > 12 else "")
            raise DataError(
                f"the Zenodo record doi:{record.doi} holds no run folder {folder} (neither {folder}/log.json "
                f"nor {folder}.zip; its files: {shown}); adapt paperrepro.accuracy.zenodo.locate or the "
                "zenodo_prefix/zenodo_folder_360 parameters"
            )
    _RUNS[key] = run
    return run


def _checkpoint_names(trials: int) -> list[str]:
    return [f"{int(trials)}/{name}" for name in CHECKPOINT_FILES]


def zenodo_model(ctx, name: str = MODEL_8LOC, seed: int = 0) -> Model:  # noqa: ANN001 (a RunContext)
    """One of the authors' models, read from the Zenodo record (see the module docstring).

    Parameters
    ----------
    ctx : RunContext
        Profile parameters (``zenodo_doi``, ``zenodo_prefix``, ``zenodo_folder_360`` and the selection parameters)
        and the data folder (cache ``<data_dir>/accuracy/zenodo``).
    name : str
        ``"8loc_odr3000"`` (folder ``<zenodo_prefix><seed>``) or ``"360loc_odr"`` (``zenodo_folder_360``).
    seed : int
        Training seed of the 8-location model (the authors published seed 0).

    Raises
    ------
    DataError
        The record cannot be listed, lacks the folder, or a file fails to download or its md5 check.
    """
    params = ctx.params
    folder = f"{params.zenodo_prefix}{seed}" if name == MODEL_8LOC else params.zenodo_folder_360
    record = open_record(params.zenodo_doi, cache_dir(ctx.data_dir))
    run = locate(record, folder)
    hp_path, log_path = run.local(["hp.json", "log.json"])
    log_bytes = log_path.read_bytes()
    try:
        hp, log = json.loads(hp_path.read_text()), json.loads(log_bytes)
        log_ds = log_to_dataset(log)
    except (ValueError, KeyError, TypeError) as err:
        raise DataError(
            f"{folder}/log.json or hp.json of the Zenodo record doi:{record.doi} is not the authors' format ({_one_line(err)})"
        ) from err

    def load(t: int) -> dict[str, np.ndarray]:
        if t not in run.checkpoints:
            raise DataError(f"the Zenodo record doi:{record.doi} has no checkpoint {folder}/{t}")
        index, _ = run.local(_checkpoint_names(t))
        try:
            return load_tf_weights(index.parent / "model.ckpt")
        except (ValueError, KeyError, OSError) as err:
            raise DataError(
                f"checkpoint {folder}/{t} of the Zenodo record doi:{record.doi} cannot be read "
                f"({_one_line(err)}); delete {index.parent} and run again"
            ) from err

    trials = log_ds["log_trial"].values
    store = LoadedStore(
        trials[np.isin(trials, sorted(run.checkpoints))],
        log_ds,
        load,
        {
            "source": f"doi:{record.doi}",
            "zenodo_folder": folder,
            "run_config": json.dumps(hp, sort_keys=True),
            "log_md5": hashlib.md5(log_bytes).hexdigest(),
        },
        {"n_eachring": hp.get("n_eachring", 360 if name == MODEL_360LOC else 8), "seed": hp.get("seed", seed)},
    )
    mdl = Model.from_store(store, name, held_only=True)
    sel = select(mdl, per_stage=params.per_stage or None, cap=params.cap, window=params.window, strict_cap=params.strict_cap)
    needed = sorted(set(sel.singles.values())) if name in SINGLES_ONLY else sel.all_trials()
    run.local([f for t in needed for f in _checkpoint_names(t)])  # one pass over the archive for every checkpoint
    return mdl
