"""Optional compiled time loops for :mod:`bptt` (C via ctypes, built on first use).

NumPy pays ~1–2 µs of call overhead per operation, i.e. ~20 µs per time step for the forward and
backward recurrences of a 100-unit network; these two loops (the forward one also returns the
sigmoid gain needed by the backward pass) and the OU noise filter are all that is compiled here.  The C
source is embedded below and compiled with the system C compiler (``$CC`` or ``cc``) into
``<data_dir>/learning_to_learn/kernels/`` (atomic rename).  Without a compiler, :func:`load`
returns ``None`` and :mod:`bptt` uses its NumPy loops.

Rounding: both loops accumulate every output element in a fixed order with
``-ffp-contract=off`` (no fused multiply-add), so results do not depend on the SIMD width; they
differ from the NumPy path (BLAS summation order) only at the 1e-15 relative level (tested).
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import platform
import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path

import numpy as np

__all__ = ["load", "SOURCE"]

SOURCE = r"""
#include <math.h>
#include <string.h>

#define KERNELS(REAL, SUF, EXP, LOG1P)                                                        \
/* u = x[t] + s[t] @ w;  s[t+1] = keep s[t] + softplus(u);  gain[t] = scale sigmoid(u) */     \
void forward_##SUF(long T, long B, long N, const REAL *restrict w, const REAL *restrict x,    \
                   REAL keep, REAL scale, REAL *restrict s, REAL *restrict pre) {             \
    for (long t = 0; t < T; t++) {                                                            \
        for (long b = 0; b < B; b++) {                                                        \
            const REAL *st = s + (t * B + b) * N;                                             \
            REAL *sn = s + ((t + 1) * B + b) * N;                                             \
            REAL *p = pre + (t * B + b) * N;                                                  \
            const REAL *W = w + b * N * N;                                                    \
            memset(p, 0, N * sizeof(REAL));                                                   \
            for (long i = 0; i < N; i++) {                                                    \
                const REAL si = st[i];                                                        \
                const REAL *Wi = W + i * N;                                                   \
                for (long j = 0; j < N; j++) p[j] += si * Wi[j];                              \
            }                                                                                 \
            const REAL *xt = x + (t * B + b) * N;                                             \
            for (long j = 0; j < N; j++) {                                                    \
                const REAL u = p[j] + xt[j];                                                  \
                const REAL e = EXP(-(u > 0 ? u : -u));                                        \
                sn[j] = keep * st[j] + ((u > 0 ? u : 0) + LOG1P(e));                          \
                p[j] = scale * (u > 0 ? 1 / (1 + e) : e / (1 + e));                           \
            }                                                                                 \
        }                                                                                     \
    }                                                                                         \
}                                                                                             \
/* xi[t] = c1 xi[t-1] + c2 eps[t], xi[-1] = 0, over M independent series */                   \
void ou_##SUF(long T, long M, const REAL *restrict eps, REAL c1, REAL c2, REAL *restrict xi) { \
    for (long m = 0; m < M; m++) xi[m] = c2 * eps[m];                                         \
    for (long t = 1; t < T; t++)                                                              \
        for (long m = 0; m < M; m++) xi[t * M + m] = c1 * xi[(t - 1) * M + m] + c2 * eps[t * M + m]; \
}                                                                                             \
/* q[t] = g * gain[t];  g <- keep * g + q[t] @ w^T + drates[t-1]  (g = dcost/dr) */            \
void backward_##SUF(long T, long B, long N, const REAL *restrict wt,                          \
                    const REAL *restrict gain, const REAL *restrict drates, REAL keep,        \
                    REAL *restrict q, REAL *restrict g) {                                     \
    REAL tmp[N];                                                                              \
    for (long b = 0; b < B; b++)                                                              \
        memcpy(g + b * N, drates + ((T - 1) * B + b) * N, N * sizeof(REAL));                  \
    for (long t = T - 1; t >= 0; t--) {                                                       \
        for (long b = 0; b < B; b++) {                                                        \
            REAL *gb = g + b * N;                                                             \
            REAL *qt = q + (t * B + b) * N;                                                   \
            const REAL *gt = gain + (t * B + b) * N;                                          \
            const REAL *WT = wt + b * N * N;                                                  \
            for (long j = 0; j < N; j++) qt[j] = gb[j] * gt[j];                               \
            memset(tmp, 0, N * sizeof(REAL));                                                 \
            for (long j = 0; j < N; j++) {                                                    \
                const REAL qj = qt[j];                                                        \
                const REAL *row = WT + j * N;                                                 \
                for (long i = 0; i < N; i++) tmp[i] += qj * row[i];                           \
            }                                                                                 \
            if (t > 0) {                                                                      \
                const REAL *dr = drates + ((t - 1) * B + b) * N;                              \
                for (long i = 0; i < N; i++) gb[i] = keep * gb[i] + tmp[i] + dr[i];           \
            } else {                                                                          \
                for (long i = 0; i < N; i++) gb[i] = keep * gb[i] + tmp[i];                   \
            }                                                                                 \
        }                                                                                     \
    }                                                                                         \
}

KERNELS(double, f64, exp, log1p)
KERNELS(float, f32, expf, log1pf)
"""

_FLAG_SETS = (
    ["-O3", "-march=native", "-ffp-contract=off", "-fPIC", "-shared", "-std=c99"],
    ["-O3", "-ffp-contract=off", "-fPIC", "-shared", "-std=c99"],
)


def _kernel_dir() -> Path:
    from paperrepro.core import paths

    return paths.data_dir() / "learning_to_learn" / "kernels"


def _compile(target: Path) -> bool:
    compiler = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        src = Path(tmp) / "l2l_kernels.c"
        src.write_text(SOURCE)
        out = Path(tmp) / target.name
        for flags in _FLAG_SETS:
            result = subprocess.run([compiler, *flags, "-o", str(out), str(src), "-lm"], capture_output=True)
            if result.returncode == 0:
                os.replace(out, target)
                return True
    return False


class Kernels:
    """ctypes wrappers of the compiled forward and backward loops."""

    def __init__(self, lib: ctypes.CDLL) -> None:
        self._lib = lib
        for name in ("forward_f64", "forward_f32", "backward_f64", "backward_f32", "ou_f64", "ou_f32"):
            getattr(lib, name).restype = None

    @staticmethod
    def _ptr(a: np.ndarray) -> ctypes.c_void_p:
        assert a.flags.c_contiguous
        return ctypes.c_void_p(a.ctypes.data)

    def forward(self, w: np.ndarray, x: np.ndarray, keep: float, scale: float, s: np.ndarray, gain: np.ndarray) -> None:
        """Forward recurrence in place (``s[0]`` holds the initial state); ``gain = scale * sigmoid(pre)``."""
        suf, real = self._suffix(w)
        t, b, n = x.shape[0], x.shape[1], x.shape[-1]
        getattr(self._lib, f"forward_{suf}")(
            ctypes.c_long(t),
            ctypes.c_long(b),
            ctypes.c_long(n),
            self._ptr(w),
            self._ptr(x),
            real(keep),
            real(scale),
            self._ptr(s),
            self._ptr(gain),
        )

    def ou(self, eps: np.ndarray, c1: float, c2: float) -> np.ndarray:
        """OU filter ``xi_t = c1 xi_{t-1} + c2 eps_t`` along axis 0 of a C-contiguous array."""
        suf, real = self._suffix(eps)
        xi = np.empty_like(eps)
        getattr(self._lib, f"ou_{suf}")(
            ctypes.c_long(eps.shape[0]), ctypes.c_long(eps[0].size), self._ptr(eps), real(c1), real(c2), self._ptr(xi)
        )
        return xi

    def backward(self, wt: np.ndarray, gain: np.ndarray, d_rates: np.ndarray, keep: float, q: np.ndarray, g: np.ndarray) -> None:
        """Run the backward recurrence in place; ``g`` receives dcost/dh0."""
        suf, real = self._suffix(wt)
        t, b, n = gain.shape[0], gain.shape[1], gain.shape[-1]
        getattr(self._lib, f"backward_{suf}")(
            ctypes.c_long(t),
            ctypes.c_long(b),
            ctypes.c_long(n),
            self._ptr(wt),
            self._ptr(gain),
            self._ptr(d_rates),
            real(keep),
            self._ptr(q),
            self._ptr(g),
        )

    @staticmethod
    def _suffix(a: np.ndarray) -> tuple[str, type]:
        if a.dtype == np.float64:
            return "f64", ctypes.c_double
        if a.dtype == np.float32:
            return "f32", ctypes.c_float
        raise TypeError(f"unsupported dtype {a.dtype}")


@lru_cache(maxsize=1)
def load() -> Kernels | None:
    """Compiled kernels, building them on first use; ``None`` if no C compiler works."""
    # -march=native: a build is only valid on the machine (node) that compiled it
    digest = hashlib.sha256(f"{SOURCE}\n{platform.node()}\n{platform.machine()}".encode()).hexdigest()[:16]
    target = _kernel_dir() / f"l2l_kernels_{digest}.so"
    if not target.is_file() and not _compile(target):
        return None
    try:
        return Kernels(ctypes.CDLL(str(target)))
    except OSError:
        return None
