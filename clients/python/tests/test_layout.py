import json
import os
import struct
import tempfile
import unittest

import numpy as np
import torch

from cohort_client.layout import FlatLayout, load_model_file, safetensors_names
from cohort_client.zoo import Mlp

# The header of a model file Cohort wrote for its zoo `mlp` on MNIST (cohort run, tests/data/README.md):
# the tensors' names, shapes and byte ranges in the flat vector's order.
GOLDEN = os.path.join(os.path.dirname(__file__), "data", "mlp-mnist.header.json")


def golden():
    with open(GOLDEN, encoding="utf-8") as f:
        header = json.load(f)
    header.pop("__metadata__", None)
    return header


def write_safetensors(path, header, data):
    encoded = json.dumps(header).encode()
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)) + encoded + data)


class LayoutTests(unittest.TestCase):
    def test_the_2nn_lays_out_its_tensors_where_cohorts_model_file_has_them(self):
        layout = FlatLayout(Mlp())
        offsets = layout.offsets()
        header = golden()
        self.assertEqual(sorted(offsets), sorted(header))
        for name, entry in header.items():
            vector, start, end = offsets[name]
            self.assertEqual(("parameters", entry["dtype"]), (vector, "F32"), name)
            # Byte ranges in the file are 4 bytes a value of the flat vector.
            self.assertEqual((4 * start, 4 * end), tuple(entry["data_offsets"]), name)
            self.assertEqual(list(dict(layout.parameters)[name]), entry["shape"], name)
        self.assertEqual((layout.parameter_count, layout.buffer_count), (199_210, 0))

    def test_a_tensor_is_row_major_in_its_slice(self):
        model = Mlp()
        layout = FlatLayout(model)
        flat = np.arange(layout.parameter_count, dtype=np.float32)
        layout.load(model, flat)
        # fc1.weight is [200, 784] from 0: element (r, c) at r·784 + c; fc1.bias follows at 156,800.
        self.assertEqual(float(model.fc1.weight[3, 5]), 3 * 784 + 5)
        self.assertEqual(float(model.fc1.bias[7]), 156_800 + 7)
        # fc3.weight [10, 200] starts after fc1 (157,000 values) and fc2 (40,200): at 197,200.
        self.assertEqual(float(model.fc3.weight[9, 199]), 197_200 + 9 * 200 + 199)
        np.testing.assert_array_equal(layout.parameters_of(model), flat)

    def test_a_model_file_loads_by_name_whatever_the_modules_order(self):
        class Reordered(torch.nn.Module):
            """The 2NN's layers registered last to first: the file's names, not the module's order, place them."""

            def __init__(self):
                super().__init__()
                self.fc3 = torch.nn.Linear(200, 10)
                self.fc2 = torch.nn.Linear(200, 200)
                self.fc1 = torch.nn.Linear(784, 200)

        header = golden()
        flat = np.arange(199_210, dtype=np.float32) / 1000
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "model.safetensors")
            write_safetensors(path, header, flat.tobytes())
            self.assertEqual(safetensors_names(path), ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias"])
            model = Reordered()
            layout = load_model_file(model, path)
        np.testing.assert_array_equal(layout.parameters_of(model), flat)
        self.assertEqual(float(model.fc2.bias[0]), np.float32(157_000 + 40_000) / 1000)

    def test_buffers_follow_parameters_and_pytorchs_step_counter_has_no_place(self):
        model = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.BatchNorm1d(3))
        layout = FlatLayout(model)
        self.assertEqual([n for n, _ in layout.parameters], ["0.weight", "0.bias", "1.weight", "1.bias"])
        self.assertEqual([n for n, _ in layout.buffers], ["1.running_mean", "1.running_var"])
        layout.load(model, np.zeros(15, dtype=np.float32), np.array([1, 2, 3, 4, 5, 6], dtype=np.float32))
        np.testing.assert_array_equal(model[1].running_var.numpy(), [4, 5, 6])
        np.testing.assert_array_equal(layout.buffers_of(model), [1, 2, 3, 4, 5, 6])


if __name__ == "__main__":
    unittest.main()
