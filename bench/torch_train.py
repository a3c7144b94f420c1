#!/usr/bin/env python3
"""PyTorch peer of `cohort bench train`: the same CNN and 2NN, plain SGD (lr 0.01), random 28x28
inputs, one thread. Prints one JSON line with samples_per_second, like Cohort's benchmark."""
import argparse
import json
import os
import time

# One thread for every BLAS/OpenMP pool, set before torch loads them.
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import torch  # noqa: E402
from torch import nn  # noqa: E402


def cnn(classes=10):
    # FedAvg's MNIST CNN: 5x5 conv 32 same, pool, 5x5 conv 64 same, pool, FC 512, classes.
    return nn.Sequential(
        nn.Conv2d(1, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 7 * 7, 512), nn.ReLU(), nn.Linear(512, classes))


def mlp(classes=10):
    # FedAvg's 2NN: 784-200-200-classes with ReLU.
    return nn.Sequential(
        nn.Flatten(), nn.Linear(784, 200), nn.ReLU(), nn.Linear(200, 200), nn.ReLU(), nn.Linear(200, classes))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="cnn", choices=["cnn", "mlp"])
    parser.add_argument("--batch", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    model = cnn() if args.model == "cnn" else mlp()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    loss_fn = nn.CrossEntropyLoss()
    # A pool of random batches, so that data generation is outside the timed loop.
    pool = 8
    inputs = torch.rand(pool, args.batch, 1, 28, 28)
    labels = torch.randint(0, 10, (pool, args.batch))

    def step(i):
        optimizer.zero_grad(set_to_none=False)
        loss = loss_fn(model(inputs[i % pool]), labels[i % pool])
        loss.backward()
        optimizer.step()
        return loss

    start = time.perf_counter()
    i = 0
    # The same warm-up rule as Cohort's: at least a second (or half the run) and 40 steps.
    while time.perf_counter() - start < min(1.0, args.seconds / 2) or i < 40:
        step(i)
        i += 1

    steps = 0
    start = time.perf_counter()
    while time.perf_counter() - start < args.seconds:
        loss = step(steps)
        steps += 1
    elapsed = time.perf_counter() - start
    if not torch.isfinite(loss):
        raise ArithmeticError(f"Training loss became {loss.item()}.")

    print(json.dumps({
        "benchmark": "train", "framework": "pytorch", "version": torch.__version__,
        "model": args.model, "batch": args.batch, "threads": torch.get_num_threads(),
        "steps": steps, "seconds": round(elapsed, 3),
        "samples_per_second": round(steps * args.batch / elapsed, 1),
        "parameters": sum(p.numel() for p in model.parameters()),
    }))


if __name__ == "__main__":
    main()
