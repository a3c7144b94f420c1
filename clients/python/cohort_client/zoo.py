"""Cohort's zoo models written in PyTorch, with the zoo's parameter names and declaration order (src/Cohort.NN/Zoo)."""
import torch
from torch import nn


class Mlp(nn.Module):
    """The zoo's `mlp`, the FedAvg paper's 2NN: inputs-200-200-classes with ReLU (199,210 parameters on MNIST)."""

    def __init__(self, inputs=784, classes=10):
        super().__init__()
        self.fc1 = nn.Linear(inputs, 200)
        self.fc2 = nn.Linear(200, 200)
        self.fc3 = nn.Linear(200, classes)

    def forward(self, x):
        h = torch.relu(self.fc1(torch.flatten(x, 1)))
        h = torch.relu(self.fc2(h))
        return self.fc3(h)
