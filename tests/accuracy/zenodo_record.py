"""A Zenodo-shaped record on 127.0.0.1 for the tests of :mod:`paperrepro.accuracy.zenodo`.

:func:`authors_run` rewrites a fake training run (:func:`tests.accuracy.synthetic.fake_run`) in the authors' layout:
``hp.json``, ``log.json`` and per evaluation ``<trials>/model.ckpt.{index,data-00000-of-00001,meta}`` plus the
``checkpoint`` text file, the weights in TF1 tensor-bundle format (:mod:`tests.oculomotor.tf_bundle_writer`) under
the TF variable names, with zero Adam slots and the Adam power scalars.

:class:`FakeZenodo` serves a record from a ``http.server.ThreadingHTTPServer`` thread:

* ``GET /api/records/<id>`` → the Zenodo API's record JSON: ``{"id", "doi", "files": [{"key", "size",
  "checksum": "md5:<hex of the true bytes>", "links": {"self": "http://127.0.0.1:<port>/api/records/<id>/files/
  <key>/content"}}]}``;
* ``GET /api/records/<id>/files/<key>/content`` → the file's bytes, or bytes with one byte flipped for the keys in
  ``corrupt`` (the listed md5 stays that of the true bytes), or 404 for the keys in ``missing``.

:meth:`FakeZenodo.patch` redirects pooch's DOI resolution to it and patches exactly two things:
``pooch.downloaders.doi_to_url`` (doi.org: the record's DOI → ``https://zenodo.org/records/<id>``, as doi.org
answers; another DOI → a 404 ``HTTPError``) and ``pooch.downloaders.ZenodoRepository.base_api_url``
(``https://zenodo.org/api/records`` → ``http://127.0.0.1:<port>/api/records``). Everything else is pooch's code:
the Zenodo API parsing, the registry from the DOI, the download URLs from ``links.self``, the HTTP downloads and the
md5 checks.
"""

from __future__ import annotations

import hashlib
import io
import json
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote

import numpy as np
import pooch.downloaders
import requests

from paperrepro.oculomotor.tfcheckpoint import TF_WEIGHT_NAMES
from paperrepro.oculomotor.train import load_checkpoint

from ..oculomotor.tf_bundle_writer import write_bundle

RECORD_ID = 5209068
DOI = f"10.5281/zenodo.{RECORD_ID}"
BATCH = 64
ADAM_BETAS = (0.9, 0.999)


def authors_run(fake: Path, folder: Path, *, drop: tuple[int, ...] = ()) -> Path:
    """Write the fake run ``fake`` in the authors' layout into ``folder`` (``drop``: evaluations left without files)."""
    config = json.loads((fake / "config.json").read_text())
    log = json.loads((fake / "log.json").read_text())
    folder.mkdir(parents=True, exist_ok=True)
    hp = {
        "seed": config["seed"],
        "n_eachring": config["n_eachring"],
        "rule_trains": config["rules"],
        "n_rnn": config["n_rnn"],
        "target_perf": config["target_perf"],
        "alpha": 0.2,
        "activation": "softplus",
    }
    (folder / "hp.json").write_text(json.dumps(hp))
    rules = config["rules"]
    authors_log = {
        "trials": log["trials"],
        "times": log["times"],
        **{f"cost_{r}": [0.01] * len(log["trials"]) for r in rules},
        **{f"perf_{r}": log[f"perf_{r}"] for r in rules},
        "perf_avg": list(np.mean([log[f"perf_{r}"] for r in rules], axis=0)),
        "perf_min": log["perf_min"],
    }
    (folder / "log.json").write_text(json.dumps(authors_log))
    for t in log["trials"]:
        if t in drop:
            continue
        ckpt = load_checkpoint(fake / "checkpoints" / f"{t}.npz")
        tensors = {tf: ckpt[ours] for tf, ours in TF_WEIGHT_NAMES.items()}
        tensors.update(
            {f"{tf}/Adam{suffix}": np.zeros_like(ckpt[ours]) for tf, ours in TF_WEIGHT_NAMES.items() for suffix in ("", "_1")}
        )
        updates = t // BATCH + 1
        tensors.update({f"beta{i + 1}_power": np.float32(beta**updates) for i, beta in enumerate(ADAM_BETAS)})
        step = folder / str(t)
        step.mkdir()
        write_bundle(step / "model.ckpt", tensors)
        (step / "model.ckpt.meta").write_bytes(b"\x0a\x00 meta graph (not read)")
        (step / "checkpoint").write_text('model_checkpoint_path: "/home/author/data/model.ckpt"\n')
    return folder


def folder_files(folder: Path, prefix: str = "") -> dict[str, bytes]:
    """Every file under ``folder`` as ``{prefix + relative path: bytes}``."""
    return {prefix + p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def zip_bytes(files: dict[str, bytes]) -> bytes:
    """A deflated zip archive of ``{member: bytes}`` (directory entries included, as ``zip -r`` writes them)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        dirs = sorted({name.rsplit("/", 1)[0] + "/" for name in files if "/" in name})
        for d in dirs:
            zf.writestr(d, b"")
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


def md5(data: bytes) -> str:
    """Hex md5."""
    return hashlib.md5(data).hexdigest()


class FakeZenodo:
    """A Zenodo record served on 127.0.0.1 (see the module docstring); use as a context manager.

    Parameters
    ----------
    files : dict of str to bytes
        The record's files by key.
    corrupt, missing : set of str
        Keys served with one byte flipped, and keys answered with 404 (both still listed with their true md5).
    """

    def __init__(self, files: dict[str, bytes], *, corrupt: set[str] = frozenset(), missing: set[str] = frozenset()) -> None:
        self.files, self.corrupt, self.missing = dict(files), set(corrupt), set(missing)
        self.requests: list[str] = []
        self.resolved: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's API)
                server.requests.append(self.path)
                api = f"/api/records/{RECORD_ID}"
                if self.path == api:
                    return self._send(200, json.dumps(server.record()).encode(), "application/json")
                if self.path.startswith(f"{api}/files/") and self.path.endswith("/content"):
                    key = unquote(self.path[len(f"{api}/files/") : -len("/content")])
                    if key in server.files and key not in server.missing:
                        data = server.files[key]
                        if key in server.corrupt:
                            data = data[:-1] + bytes([data[-1] ^ 0xFF])
                        return self._send(200, data, "application/octet-stream")
                return self._send(404, b'{"status": 404, "message": "not found"}', "application/json")

            def _send(self, status: int, body: bytes, kind: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:  # noqa: ANN002 (silence the request log)
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def record(self) -> dict:
        """The API's record JSON."""
        files = [
            {
                "id": md5(key.encode()),
                "key": key,
                "size": len(data),
                "checksum": f"md5:{md5(data)}",
                "links": {"self": f"{self.url}/api/records/{RECORD_ID}/files/{quote(key, safe='/')}/content"},
            }
            for key, data in sorted(self.files.items())
        ]
        return {"id": RECORD_ID, "doi": DOI, "metadata": {"title": "fake record"}, "files": files}

    def downloads(self) -> list[str]:
        """Keys whose content was requested."""
        api = f"/api/records/{RECORD_ID}/files/"
        return [unquote(p[len(api) : -len("/content")]) for p in self.requests if p.startswith(api)]

    def api_queries(self) -> int:
        """How many times the record JSON was requested."""
        return self.requests.count(f"/api/records/{RECORD_ID}")

    def patch(self, monkeypatch) -> None:  # noqa: ANN001 (pytest.MonkeyPatch)
        """Point pooch's DOI resolution at this server (the two patches of the module docstring)."""

        def doi_to_url(doi: str, **kwargs) -> str:  # noqa: ANN003 (requests' keywords)
            self.resolved.append(doi)
            if doi != DOI:
                response = requests.Response()
                response.status_code, response.url = 404, f"https://doi.org/{doi}"
                raise requests.HTTPError(f"404 Client Error: Not Found for url: https://doi.org/{doi}", response=response)
            return f"https://zenodo.org/records/{RECORD_ID}"

        monkeypatch.setattr(pooch.downloaders, "doi_to_url", doi_to_url)
        monkeypatch.setattr(pooch.downloaders.ZenodoRepository, "base_api_url", f"{self.url}/api/records")

    def __enter__(self) -> FakeZenodo:
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:  # noqa: ANN002
        self.httpd.shutdown()
        self.httpd.server_close()
