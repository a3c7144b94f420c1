import unittest

import numpy as np

from cohort_client import frames


class Fp16FrameTests(unittest.TestCase):
    def test_varint_is_protobufs_base_128(self):
        # Values from protobuf's encoding guide: 1 is 01, 150 is 96 01, 300 is AC 02.
        self.assertEqual(frames.varint(1), b"\x01")
        self.assertEqual(frames.varint(150), b"\x96\x01")
        self.assertEqual(frames.varint(300), b"\xac\x02")

    def test_frame_is_id_count_length_then_ieee_halves_little_endian(self):
        values = np.array([1.0, -2.0, 65520.0, 2049.0, 2051.0, 1e-8], dtype=np.float32)
        frame = frames.fp16_frame(values)
        # 1.0 = 0x3C00, −2.0 = 0xC000, 65520 overflows to +∞ = 0x7C00, 2049 ties to even 2048 = 0x6800,
        # 2051 ties to even 2052 = 0x6802, 1e-8 is below half the least subnormal (2^-25) and goes to 0.
        expected = bytes([1, 6, 12]) + bytes.fromhex("003c" "00c0" "007c" "0068" "0268" "0000")
        self.assertEqual(frame, expected)

    def test_a_long_vector_counts_with_multi_byte_varints(self):
        frame = frames.fp16_frame(np.zeros(199_210, dtype=np.float32))
        # 199,210 = 0x30A2A: 2A|80, 0x30A2A >> 7 = 0x614 → 14|80, 0x614 >> 7 = 0x0C; the payload 398,420 likewise.
        self.assertEqual(frame[:4], bytes([1, 0xAA, 0x94, 0x0C]))
        self.assertEqual(len(frame), 1 + 3 + 3 + 2 * 199_210)


if __name__ == "__main__":
    unittest.main()
