"""A minimal writer of TF tensor-bundle V2 checkpoints, written independently of the reader for its tests.

Follows the LevelDB table format (prefix-compressed entries with a restart every 16 keys, 5-byte block trailers
with masked CRC32C, 48-byte footer) and the ``BundleHeaderProto`` / ``BundleEntryProto`` wire format.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

_DTYPE_ENUM = {np.dtype("<f4"): 1, np.dtype("<f8"): 2, np.dtype("<i4"): 3, np.dtype("<i8"): 9}


def _crc32c(data: bytes) -> int:
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 & -(crc & 1))
    return crc ^ 0xFFFFFFFF


def _mask(crc: int) -> int:
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _field(number: int, wire: int, payload: bytes) -> bytes:
    return _varint(number << 3 | wire) + payload


def _len_field(number: int, payload: bytes) -> bytes:
    return _field(number, 2, _varint(len(payload)) + payload)


def _block(entries: list[tuple[bytes, bytes]], restart_interval: int = 16) -> bytes:
    out, restarts, prev = bytearray(), [], b""
    for i, (key, value) in enumerate(entries):
        if i % restart_interval == 0:
            shared = 0
            restarts.append(len(out))
        else:
            shared = 0
            while shared < min(len(key), len(prev)) and key[shared] == prev[shared]:
                shared += 1
        out += _varint(shared) + _varint(len(key) - shared) + _varint(len(value)) + key[shared:] + value
        prev = key
    if not restarts:
        restarts = [0]
    for r in restarts:
        out += r.to_bytes(4, "little")
    out += len(restarts).to_bytes(4, "little")
    return bytes(out)


def _with_trailer(block: bytes) -> bytes:
    return block + b"\x00" + _mask(_crc32c(block + b"\x00")).to_bytes(4, "little")


def write_bundle(prefix: Path, tensors: dict[str, np.ndarray]) -> None:
    """Write ``<prefix>.index`` and ``<prefix>.data-00000-of-00001``."""
    data = bytearray()
    entries = [(b"", _field(1, 0, _varint(1)) + _len_field(3, _field(1, 0, _varint(1))))]  # num_shards, version
    for name in sorted(tensors):
        arr = np.asarray(tensors[name])
        raw = arr.astype(arr.dtype.newbyteorder("<")).tobytes()
        shape = b"".join(_len_field(2, _field(1, 0, _varint(d))) for d in arr.shape)
        msg = (
            _field(1, 0, _varint(_DTYPE_ENUM[arr.dtype]))
            + _len_field(2, shape)
            + _field(4, 0, _varint(len(data)))
            + _field(5, 0, _varint(len(raw)))
            + _field(6, 5, _mask(_crc32c(raw)).to_bytes(4, "little"))
        )
        entries.append((name.encode(), msg))
        data += raw
    index = bytearray()
    data_block = _block(entries)
    index += _with_trailer(data_block)
    handle = _varint(0) + _varint(len(data_block))
    meta_block = _block([])
    meta_off = len(index)
    index += _with_trailer(meta_block)
    index_block = _block([(entries[-1][0], handle)])
    idx_off = len(index)
    index += _with_trailer(index_block)
    footer = _varint(meta_off) + _varint(len(meta_block)) + _varint(idx_off) + _varint(len(index_block))
    footer += b"\x00" * (40 - len(footer)) + (0xDB4775248B80FB57).to_bytes(8, "little")
    index += footer
    Path(f"{prefix}.index").write_bytes(bytes(index))
    Path(f"{prefix}.data-00000-of-00001").write_bytes(bytes(data))
