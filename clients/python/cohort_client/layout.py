"""A torch.nn.Module's state_dict mapped onto Cohort's flat vectors, by name.

Cohort keeps a model as two flat float32 vectors: the parameters, then the buffers (batch-norm running
statistics), each the concatenation of its tensors in the model's declaration order, every tensor row-major
under its PyTorch state-dict name (fc1.weight is [out, in]). A Cohort model file (safetensors) holds the same
tensors in the same order, so its header names the layout. PyTorch's `num_batches_tracked` counters have no
place in it.
"""
import json
import struct

import numpy as np
import torch

_IGNORED_SUFFIX = "num_batches_tracked"


def _kept(name):
    return name != _IGNORED_SUFFIX and not name.endswith("." + _IGNORED_SUFFIX)


class FlatLayout:
    """Where each named tensor of a module sits in the flat parameter and buffer vectors.

    `order` lists the state-dict names in the flat vectors' order (for example a Cohort model file's, from
    `safetensors_names`); by default it is the module's own: named_parameters(), then named_buffers(), which
    is the zoo's order for a module that declares its layers as the zoo model does.
    """

    def __init__(self, module, order=None):
        parameters = dict(module.named_parameters())
        buffers = {name: b for name, b in module.named_buffers() if _kept(name)}
        if order is None:
            order = list(parameters) + list(buffers)
        order = [name for name in order if _kept(name)]
        known = set(parameters) | set(buffers)
        missing = [name for name in order if name not in known]
        absent = sorted(known - set(order))
        if missing or absent:
            raise ValueError(f"layout: the module has no tensors {missing} and the order leaves out {absent}.")
        in_parameters = [name for name in order if name in parameters]
        in_buffers = [name for name in order if name in buffers]
        if order != in_parameters + in_buffers:
            raise ValueError("layout: the order puts a buffer before a parameter; Cohort's vectors hold the parameters, then the buffers.")
        self.parameters = [(name, tuple(parameters[name].shape)) for name in in_parameters]
        self.buffers = [(name, tuple(buffers[name].shape)) for name in in_buffers]
        self.parameter_count = sum(_size(shape) for _, shape in self.parameters)
        self.buffer_count = sum(_size(shape) for _, shape in self.buffers)

    def offsets(self):
        """Each name's (vector, start, end): vector 'parameters' or 'buffers', the slice of its values."""
        result = {}
        for vector, entries in (("parameters", self.parameters), ("buffers", self.buffers)):
            start = 0
            for name, shape in entries:
                result[name] = (vector, start, start + _size(shape))
                start += _size(shape)
        return result

    def parameters_of(self, module):
        """The module's parameters as Cohort's flat float32 vector."""
        return self._flatten(module.state_dict(), self.parameters, self.parameter_count)

    def buffers_of(self, module):
        """The module's buffers as Cohort's flat float32 vector."""
        return self._flatten(module.state_dict(), self.buffers, self.buffer_count)

    def gradients_of(self, module):
        """The gradients of the module's parameters (after a backward pass) as Cohort's flat float32 vector; zeros where none."""
        gradients = {name: p.grad if p.grad is not None else torch.zeros_like(p) for name, p in module.named_parameters()}
        return self._flatten(gradients, self.parameters, self.parameter_count)

    def load(self, module, parameters, buffers=None):
        """Copies the flat vectors into the module's tensors (in place, keeping their dtype and device)."""
        self._check(parameters, self.parameter_count, "parameters")
        state = module.state_dict()
        with torch.no_grad():
            self._scatter(state, self.parameters, parameters)
            if buffers is not None:
                self._check(buffers, self.buffer_count, "buffers")
                self._scatter(state, self.buffers, buffers)

    @staticmethod
    def _flatten(state, entries, count):
        flat = np.empty(count, dtype=np.float32)
        start = 0
        for name, shape in entries:
            values = state[name].detach().to("cpu", torch.float32).reshape(-1).numpy()
            flat[start:start + values.size] = values
            start += values.size
        return flat

    @staticmethod
    def _scatter(state, entries, flat):
        start = 0
        for name, shape in entries:
            size = _size(shape)
            target = state[name]
            target.copy_(torch.from_numpy(np.ascontiguousarray(flat[start:start + size], dtype=np.float32)).reshape(shape))
            start += size

    @staticmethod
    def _check(vector, count, what):
        if len(vector) != count:
            raise ValueError(f"layout: {len(vector)} values for the module's {count} {what}.")


def _size(shape):
    size = 1
    for n in shape:
        size *= n
    return size


def read_safetensors(path):
    """A safetensors file's tensors in file order: [(name, dtype, shape, (start, end))] and its data bytes."""
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
        data = f.read()
    header.pop("__metadata__", None)
    entries = sorted(((name, e["dtype"], tuple(e["shape"]), tuple(e["data_offsets"])) for name, e in header.items()), key=lambda e: e[3][0])
    return entries, data


def safetensors_names(path):
    """The tensor names of a Cohort model file in its order, which is the flat vectors' order."""
    entries, _ = read_safetensors(path)
    return [name for name, _, _, _ in entries]


def load_model_file(module, path):
    """Loads a Cohort model file (model.safetensors of a run) into the module, by name; returns the layout it used."""
    entries, data = read_safetensors(path)
    layout = FlatLayout(module, [name for name, _, _, _ in entries])
    by_name = {name: (dtype, shape, offsets) for name, dtype, shape, offsets in entries}
    vectors = {}
    for vector, names in (("parameters", layout.parameters), ("buffers", layout.buffers)):
        parts = []
        for name, shape in names:
            dtype, file_shape, (start, end) = by_name[name]
            if dtype != "F32" or file_shape != shape:
                raise ValueError(f"{path}: tensor {name} is {dtype} {list(file_shape)}, the module's is F32 {list(shape)}.")
            parts.append(np.frombuffer(data[start:end], dtype="<f4"))
        vectors[vector] = np.concatenate(parts) if parts else np.empty(0, dtype=np.float32)
    layout.load(module, vectors["parameters"], vectors["buffers"])
    return layout
