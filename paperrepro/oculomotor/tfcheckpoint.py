"""Numpy-only reader for TF1 checkpoints (tensor bundle V2) of the oculomotor models.

A checkpoint ``<dir>/model.ckpt`` is ``model.ckpt.index`` (a LevelDB-style table mapping tensor names to
``BundleEntryProto`` messages) plus ``model.ckpt.data-<shard>-of-<n>`` (raw little-endian tensor bytes). Layout:

1. the last 48 bytes of the index are the footer: metaindex and index block handles (varint64 offset, size), zero
   padding, magic ``0xdb4775248b80fb57``;
2. every block is followed by a 5-byte trailer (compression byte, 0 = none, and a masked CRC32C of block + byte);
3. block entries: varint shared key length, varint unshared length, varint value length, key suffix, value; the
   block ends with uint32 restart offsets and their uint32 count;
4. index-block values are data-block handles; data-block keys are tensor names (the empty key holds the
   ``BundleHeaderProto``, field 1 = number of shards);
5. ``BundleEntryProto``: 1 dtype, 2 shape (repeated field 2 ``dim`` with field 1 ``size``), 3 shard, 4 offset,
   5 size, 6 masked CRC32C of the tensor bytes, 7 slices (partitioned tensors; rejected).

The ``checkpoint`` text file (absolute paths of the authors' machine) is ignored: open by explicit prefix.
Variables of the oculomotor models: ``rnn/leaky_rnn_cell/kernel`` [n_input+N, N] (rows < n_input = W_in),
``rnn/leaky_rnn_cell/bias`` [N], ``output/weights`` [N, n_output], ``output/biases`` [n_output], their Adam slots
``…/Adam``, ``…/Adam_1`` and the scalars ``beta1_power``, ``beta2_power``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

TABLE_MAGIC = 0xDB4775248B80FB57
FOOTER_SIZE = 48
_DTYPES: dict[int, np.dtype[Any]] = {
    1: np.dtype("<f4"),
    2: np.dtype("<f8"),
    3: np.dtype("<i4"),
    4: np.dtype("u1"),
    6: np.dtype("i1"),
    9: np.dtype("<i8"),
    10: np.dtype("?"),
    19: np.dtype("<f2"),
}
#: TF variable name → weight name of ``paperrepro.oculomotor.model.LeakyRNN``.
TF_WEIGHT_NAMES = {
    "rnn/leaky_rnn_cell/kernel": "kernel",
    "rnn/leaky_rnn_cell/bias": "bias",
    "output/weights": "w_out",
    "output/biases": "b_out",
}


def _crc_table() -> list[int]:
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


_CRC_TABLE = _crc_table()


def crc32c(data: bytes) -> int:
    """CRC-32C (Castagnoli) of ``data`` (pure Python; slow for large buffers)."""
    crc = 0xFFFFFFFF
    table = _CRC_TABLE
    for byte in data:
        crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def masked_crc32c(data: bytes) -> int:
    """LevelDB/TF masked CRC-32C: ``rot15(crc) + 0xa282ead8`` (mod 2³²)."""
    crc = crc32c(data)
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def _varint(buf: bytes, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        byte = buf[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7


def _read_block(index: bytes, offset: int, size: int, verify: bool) -> list[tuple[bytes, bytes]]:
    """Entries ``(key, value)`` of one table block."""
    block = index[offset : offset + size]
    kind = index[offset + size]
    if kind != 0:
        raise ValueError(f"compressed checkpoint blocks (type {kind}) are not supported")
    if verify:
        stored = int.from_bytes(index[offset + size + 1 : offset + size + 5], "little")
        if masked_crc32c(index[offset : offset + size + 1]) != stored:
            raise ValueError("checkpoint index block fails its CRC check")
    n_restarts = int.from_bytes(block[-4:], "little")
    end = len(block) - 4 * (n_restarts + 1)
    entries, pos, key = [], 0, b""
    while pos < end:
        shared, pos = _varint(block, pos)
        unshared, pos = _varint(block, pos)
        value_len, pos = _varint(block, pos)
        key = key[:shared] + block[pos : pos + unshared]
        pos += unshared
        entries.append((key, block[pos : pos + value_len]))
        pos += value_len
    return entries


def _fields(msg: bytes) -> list[tuple[int, int, int | bytes]]:
    """Protobuf wire fields ``(number, wire type, value)``: an int for varint/fixed fields, bytes if length-delimited."""
    out: list[tuple[int, int, int | bytes]] = []
    pos = 0
    while pos < len(msg):
        tag, pos = _varint(msg, pos)
        number, wire = tag >> 3, tag & 7
        value: int | bytes
        if wire == 0:
            value, pos = _varint(msg, pos)
        elif wire == 1:
            value, pos = int.from_bytes(msg[pos : pos + 8], "little"), pos + 8
        elif wire == 2:
            length, pos = _varint(msg, pos)
            value, pos = msg[pos : pos + length], pos + length
        elif wire == 5:
            value, pos = int.from_bytes(msg[pos : pos + 4], "little"), pos + 4
        else:
            raise ValueError(f"unsupported protobuf wire type {wire}")
        out.append((number, wire, value))
    return out


def _int_field(where: str, number: int, value: int | bytes) -> int:
    """``value`` of an integer (varint or fixed-width) protobuf field; a length-delimited one means a malformed message."""
    if not isinstance(value, int):
        raise ValueError(f"{where}: protobuf field {number} is length-delimited where an integer is expected")
    return value


def _bytes_field(where: str, number: int, value: int | bytes) -> bytes:
    """``value`` of a length-delimited protobuf field (sub-message); an integer one means a malformed message."""
    if not isinstance(value, bytes):
        raise ValueError(f"{where}: protobuf field {number} is an integer where a sub-message is expected")
    return value


@dataclass(frozen=True)
class _BundleEntry:
    """The fields of one ``BundleEntryProto`` that locate and describe a tensor (``crc`` -1: none stored)."""

    dtype: int = 0
    shard: int = 0
    offset: int = 0
    size: int = 0
    crc: int = -1
    shape: tuple[int, ...] = ()


def _parse_entry(name: str, msg: bytes) -> _BundleEntry:
    ints = {"dtype": 0, "shard": 0, "offset": 0, "size": 0, "crc": -1}
    shape: list[int] = []
    for number, _, value in _fields(msg):
        if number == 1:
            ints["dtype"] = _int_field(name, number, value)
        elif number == 2:
            for dim_no, _, dim in _fields(_bytes_field(name, number, value)):
                if dim_no == 2:
                    size = next((v for n, _, v in _fields(_bytes_field(name, dim_no, dim)) if n == 1), 0)
                    shape.append(_int_field(name, 1, size))
        elif number in (3, 4, 5):
            ints[{3: "shard", 4: "offset", 5: "size"}[number]] = _int_field(name, number, value)
        elif number == 6:
            ints["crc"] = _int_field(name, number, value)
        elif number == 7:
            raise ValueError(f"{name}: partitioned (sliced) tensors are not supported")
    return _BundleEntry(shape=tuple(shape), **ints)


def read_tf_checkpoint(prefix: Path | str, *, verify: bool = False) -> dict[str, np.ndarray]:
    """Read every tensor of a TF1 V2 checkpoint.

    Parameters
    ----------
    prefix : path
        Checkpoint prefix, e.g. ``<dir>/model.ckpt`` (a folder is taken to hold ``model.ckpt``).
    verify : bool
        Check the CRC32C of the index blocks and of every tensor (pure Python, ≈ 1 s per MB).

    Returns
    -------
    dict of str to ndarray
        Tensor name → array (little-endian, the checkpoint's dtype and shape; copies).
    """
    prefix = Path(prefix)
    if prefix.is_dir():
        prefix = prefix / "model.ckpt"
    index_path = Path(f"{prefix}.index")
    if not index_path.exists():
        raise FileNotFoundError(f"no TF checkpoint index at {index_path}")
    index = index_path.read_bytes()
    footer = index[-FOOTER_SIZE:]
    if int.from_bytes(footer[-8:], "little") != TABLE_MAGIC:
        raise ValueError(f"{index_path} is not a TF tensor-bundle index (bad magic)")
    pos = 0
    _, pos = _varint(footer, pos)  # metaindex offset
    _, pos = _varint(footer, pos)  # metaindex size
    idx_offset, pos = _varint(footer, pos)
    idx_size, pos = _varint(footer, pos)
    num_shards = 1
    entries: dict[str, _BundleEntry] = {}
    for _, handle in _read_block(index, idx_offset, idx_size, verify):
        off, p = _varint(handle, 0)
        size, _ = _varint(handle, p)
        for key, value in _read_block(index, off, size, verify):
            if key == b"":
                num_shards = _int_field("BundleHeaderProto", 1, next((v for n, _, v in _fields(value) if n == 1), 1))
                continue
            name = key.decode()
            entries[name] = _parse_entry(name, value)
    shards: dict[int, bytes] = {}
    tensors: dict[str, np.ndarray] = {}
    for name, e in entries.items():
        shard = e.shard
        if shard not in shards:
            shards[shard] = Path(f"{prefix}.data-{shard:05d}-of-{num_shards:05d}").read_bytes()
        if e.dtype not in _DTYPES:
            raise ValueError(f"{name}: unsupported TF dtype {e.dtype}")
        raw = shards[shard][e.offset : e.offset + e.size]
        if len(raw) != e.size:
            raise ValueError(f"{name}: data file too short")
        if verify and e.crc >= 0 and masked_crc32c(raw) != e.crc:
            raise ValueError(f"{name}: tensor bytes fail their CRC check")
        tensors[name] = np.frombuffer(raw, dtype=_DTYPES[e.dtype]).reshape(e.shape).copy()
    return tensors


def weights_from_tf(tensors: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The four model weights (``kernel``, ``bias``, ``w_out``, ``b_out``, float32) from a TF checkpoint's tensors."""
    missing = [k for k in TF_WEIGHT_NAMES if k not in tensors]
    if missing:
        raise KeyError(f"checkpoint lacks {missing}; is it a LeakyRNN (fused input) model?")
    return {ours: tensors[tf].astype(np.float32) for tf, ours in TF_WEIGHT_NAMES.items()}


def adam_step(tensors: dict[str, np.ndarray]) -> int:
    """Number of Adam updates ``s`` from ``beta2_power`` = 0.999^(s+1) (``beta1_power`` underflows early)."""
    return int(round(np.log(float(tensors["beta2_power"])) / np.log(0.999))) - 1


def load_tf_weights(prefix: Path | str, *, verify: bool = False) -> dict[str, np.ndarray]:
    """Read a TF checkpoint and return the model weights (see ``weights_from_tf``)."""
    return weights_from_tf(read_tf_checkpoint(prefix, verify=verify))
