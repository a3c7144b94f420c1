"""Compressed updates as the frames Cohort's decoder reads (docs/compression.md): compressor id (1 byte), value
count (varint), payload length (varint), payload. This client writes fp16 (id 1: IEEE half, nearest even,
overflow to infinity, little-endian)."""
import numpy as np

FP16_ID = 1


def varint(value):
    """Protobuf's base-128 varint (LEB128): 7 bits a byte, least significant first."""
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def fp16_frame(values):
    """The fp16 frame of a float32 vector: 2 bytes a value after the header."""
    with np.errstate(over="ignore"):
        payload = np.asarray(values, dtype=np.float32).astype("<f2").tobytes()
    return bytes([FP16_ID]) + varint(len(values)) + varint(len(payload)) + payload
