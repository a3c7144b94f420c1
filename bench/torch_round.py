#!/usr/bin/env python3
"""PyTorch peer of `cohort bench round`: one FedAvg round as a plain loop on one core — 10 clients,
each 600 random 28x28 samples, 5 local epochs of SGD (lr 0.01, B=10) from the global CNN, then the
sample-weighted average of the clients' models. Prints one JSON line with seconds_per_round."""
import argparse
import json
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import torch  # noqa: E402
from torch import nn  # noqa: E402

from torch_train import cnn, mlp  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="cnn", choices=["cnn", "mlp"])
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--samples", type=int, default=600)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--batch", type=int, default=10)
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(1)
    build = cnn if args.model == "cnn" else mlp
    global_model = build()
    data = [(torch.rand(args.samples, 1, 28, 28), torch.randint(0, 10, (args.samples,))) for _ in range(args.clients)]
    loss_fn = nn.CrossEntropyLoss()

    start = time.perf_counter()
    total = {k: torch.zeros_like(v) for k, v in global_model.state_dict().items()}
    for x, y in data:
        local = build()
        local.load_state_dict(global_model.state_dict())
        opt = torch.optim.SGD(local.parameters(), lr=0.01)
        for _ in range(args.epochs):
            order = torch.randperm(args.samples)
            for i in range(0, args.samples, args.batch):
                idx = order[i:i + args.batch]
                opt.zero_grad()
                loss_fn(local(x[idx]), y[idx]).backward()
                opt.step()
        for k, v in local.state_dict().items():
            total[k] += v * (args.samples / (args.samples * args.clients))
    global_model.load_state_dict(total)
    seconds = time.perf_counter() - start
    print(json.dumps({"benchmark": "round", "framework": "pytorch", "model": args.model, "clients": args.clients,
                      "samples_per_client": args.samples, "epochs": args.epochs, "batch": args.batch, "threads": 1,
                      "seconds_per_round": round(seconds, 3),
                      "samples_per_second": round(args.clients * args.samples * args.epochs / seconds, 1)}))


if __name__ == "__main__":
    main()
