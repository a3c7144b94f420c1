"""Golden reference files for Cohort's model zoo, computed with PyTorch.

Run from the repository root with PyTorch installed (written against PyTorch 1.13):

    python3 tests/Cohort.NN.Tests/Golden/make_golden.py

It writes tests/Cohort.NN.Tests/Golden/<model>.safetensors for each model below. CI never runs
this script; the tests read the committed files.

Each file holds, all as F32:
  - the model's weights under their state_dict names;
  - input (images in [0, 1), or token ids as floats), labels (as floats);
  - logits, loss (shape [1], mean cross-entropy);
  - grad.<parameter name> for every parameter, and grad.input for the image models.

The modules use the same attribute names as Cohort's zoo, so state_dict names are Cohort's
parameter names. Weights are drawn in float32; forward and backward then run in float64 so the
stored results are the exact values rounded once to float32, not PyTorch's own float32 error.

The safetensors format is written with struct + json (no safetensors package needed).
"""

import json
import os
import struct

import torch
import torch.nn as nn
import torch.nn.functional as F

OUT_DIR = os.path.dirname(os.path.abspath(__file__))
BATCH = 4
SEED = 20240611


class LogReg(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(784, 10)

    def forward(self, x):
        return self.fc(torch.flatten(x, 1))


class Mlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 200)
        self.fc2 = nn.Linear(200, 200)
        self.fc3 = nn.Linear(200, 10)

    def forward(self, x):
        h = F.relu(self.fc1(torch.flatten(x, 1)))
        h = F.relu(self.fc2(h))
        return self.fc3(h)


class Cnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 5, padding=2)
        self.conv2 = nn.Conv2d(32, 64, 5, padding=2)
        self.fc1 = nn.Linear(3136, 512)
        self.fc2 = nn.Linear(512, 10)

    def forward(self, x):
        h = F.max_pool2d(F.relu(self.conv1(x)), 2)
        h = F.max_pool2d(F.relu(self.conv2(h)), 2)
        h = F.relu(self.fc1(torch.flatten(h, 1)))
        return self.fc2(h)


class LeNet5(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(400, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        h = F.max_pool2d(F.relu(self.conv1(x)), 2)
        h = F.max_pool2d(F.relu(self.conv2(h)), 2)
        h = F.relu(self.fc1(torch.flatten(h, 1)))
        h = F.relu(self.fc2(h))
        return self.fc3(h)


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)
        self.gn1 = nn.GroupNorm(2, cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1, bias=False)
        self.gn2 = nn.GroupNorm(2, cout)
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(
                nn.Conv2d(cin, cout, 1, stride=stride, bias=False), nn.GroupNorm(2, cout))
        else:
            self.shortcut = nn.Sequential()

    def forward(self, x):
        h = F.relu(self.gn1(self.conv1(x)))
        h = self.gn2(self.conv2(h))
        return F.relu(h + self.shortcut(x))


class ResNet20(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, padding=1, bias=False)
        self.gn1 = nn.GroupNorm(2, 16)
        self.layer1 = self._layer(16, 16, 1)
        self.layer2 = self._layer(16, 32, 2)
        self.layer3 = self._layer(32, 64, 2)
        self.fc = nn.Linear(64, 10)

    @staticmethod
    def _layer(cin, cout, stride):
        return nn.Sequential(BasicBlock(cin, cout, stride), BasicBlock(cout, cout, 1), BasicBlock(cout, cout, 1))

    def forward(self, x):
        h = F.relu(self.gn1(self.conv1(x)))
        h = self.layer3(self.layer2(self.layer1(h)))
        h = F.avg_pool2d(h, 8)
        return self.fc(torch.flatten(h, 1))


class CharLstm(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(80, 8)
        self.lstm = nn.LSTM(8, 256, num_layers=2, batch_first=True)
        self.fc = nn.Linear(256, 80)

    def forward(self, x):
        h, _ = self.lstm(self.embedding(x))
        return self.fc(h[:, -1, :])


# name -> (constructor, input shape of one sample, classes); token models have input shape None.
MODELS = {
    "logreg": (LogReg, (1, 28, 28), 10),
    "mlp": (Mlp, (1, 28, 28), 10),
    "cnn": (Cnn, (1, 28, 28), 10),
    "lenet5": (LeNet5, (1, 28, 28), 10),
    "resnet20": (ResNet20, (3, 32, 32), 10),
    "charlstm": (CharLstm, None, 80),
}
SEQUENCE = 80
VOCABULARY = 80


def write_safetensors(path, tensors):
    """Writes name -> float tensor as F32 safetensors: header length, JSON header, data."""
    header = {}
    chunks = []
    offset = 0
    for name, t in tensors.items():
        data = t.detach().to(torch.float32).contiguous().cpu().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    header["__metadata__"] = {"format": "pt", "source": "make_golden.py", "torch": torch.__version__}
    encoded = json.dumps(header, separators=(",", ":")).encode("utf-8")
    encoded += b" " * ((8 - len(encoded) % 8) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)))
        f.write(encoded)
        for chunk in chunks:
            f.write(chunk)
    os.replace(tmp, path)


def read_safetensors(path):
    """Reads an F32 safetensors file back, to check the writer."""
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    header.pop("__metadata__", None)
    out = {}
    for name, entry in header.items():
        begin, end = entry["data_offsets"]
        assert entry["dtype"] == "F32"
        buf = bytearray(raw[8 + n + begin:8 + n + end])
        out[name] = torch.frombuffer(buf, dtype=torch.float32).reshape(entry["shape"]) if buf else torch.zeros(entry["shape"])
    return out


def make(name):
    ctor, sample, classes = MODELS[name]
    torch.manual_seed(SEED)
    model = ctor()
    weights = {k: v.detach().clone() for k, v in model.state_dict().items()}
    model = model.double()
    if sample is None:
        tokens = torch.randint(0, VOCABULARY, (BATCH, SEQUENCE))
        x = tokens
        stored_input = tokens.to(torch.float32)
    else:
        stored_input = torch.rand((BATCH,) + sample, dtype=torch.float32)
        x = stored_input.to(torch.float64).requires_grad_(True)
    labels = torch.randint(0, classes, (BATCH,))
    logits = model(x)
    loss = F.cross_entropy(logits, labels)
    loss.backward()

    tensors = dict(weights)
    tensors["input"] = stored_input
    tensors["labels"] = labels.to(torch.float32)
    tensors["logits"] = logits
    tensors["loss"] = loss.reshape(1)
    for pname, p in model.named_parameters():
        tensors["grad." + pname] = p.grad
    if sample is not None:
        tensors["grad.input"] = x.grad
    path = os.path.join(OUT_DIR, name + ".safetensors")
    write_safetensors(path, tensors)

    back = read_safetensors(path)
    for k, v in tensors.items():
        assert torch.equal(back[k], v.detach().to(torch.float32)), k
    print(f"{name}: {len(tensors)} tensors, loss {loss.item():.6f}, {os.path.getsize(path)} bytes")


if __name__ == "__main__":
    torch.set_num_threads(1)
    for model_name in MODELS:
        make(model_name)
