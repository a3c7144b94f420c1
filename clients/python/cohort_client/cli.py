"""python3 -m cohort_client join URL --token-file FILE --ca FILE --data DIR: the zoo's 2NN in PyTorch on an exported partition."""
import argparse
import os
import sys

import torch

from . import idx, training
from .errors import Refused, TaskRefused, Unreachable, Untrusted
from .layout import FlatLayout
from .session import join
from .zoo import Mlp


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python3 -m cohort_client", description="Take part in a served Cohort run from PyTorch.")
    commands = parser.add_subparsers(dest="command", required=True)
    j = commands.add_parser("join", help="train the zoo's 2NN (mlp) on this client's IDX folder in the run served at URL")
    j.add_argument("url", metavar="URL", help="the server, https://HOST:PORT")
    j.add_argument("--token", help="this client's token (visible in process lists; prefer --token-file or COHORT_TOKEN)")
    j.add_argument("--token-file", metavar="FILE", help="a file holding this client's token (cohort token add --out)")
    j.add_argument("--ca", metavar="FILE", help="a PEM authority to check the server's certificate against (default: the system's)")
    j.add_argument("--data", metavar="DIR", required=True, help="the client's folder of IDX files (cohort partition export: DIR/client-K)")
    j.add_argument("--threads", type=int, default=1, help="torch threads (default 1)")
    args = parser.parse_args(argv)
    try:
        return _join(args)
    except (TaskRefused, Untrusted, Refused, Unreachable, ValueError, OSError) as e:
        print(f"cohort_client: {e}", file=sys.stderr, flush=True)
        return 1


def _token(args):
    if args.token_file:
        with open(args.token_file, encoding="utf-8") as f:
            return f.read().strip()
    token = args.token or os.environ.get("COHORT_TOKEN", "")
    if not token:
        raise ValueError("no token: give --token-file FILE, the COHORT_TOKEN environment variable or --token T.")
    return token


def _join(args):
    torch.set_num_threads(max(1, args.threads))
    if not idx.has_split(args.data, idx.TRAIN_FILES):
        raise ValueError(f"--data {args.data}: no {idx.TRAIN_FILES[0]} and {idx.TRAIN_FILES[1]} (cohort partition export writes them).")
    splits = {"train": {}, "test": {}}

    def split(name, files, scale):
        if scale not in splits[name]:
            splits[name][scale] = idx.load_split(args.data, files, scale)
        return splits[name][scale]

    def scaled(task):
        # dataset.scale, as the run sets it: pixels·1/255, or the bytes as they are.
        return task.settings.get("dataset.scale", "true") == "true"

    train_images, _ = split("train", idx.TRAIN_FILES, True)
    test_count = len(split("test", idx.TEST_FILES, True)[1]) if idx.has_split(args.data, idx.TEST_FILES) else 0
    model = Mlp(inputs=train_images[0].numel(), classes=10)
    layout = FlatLayout(model)
    join(args.url, token=_token(args), ca=args.ca, model=model, zoo_model="mlp", layout=layout,
         train=lambda m, task: training.train_sgd(m, task, *split("train", idx.TRAIN_FILES, scaled(task))),
         evaluate=lambda m, task: training.score(m, *split("test", idx.TEST_FILES, scaled(task))),
         gradient=lambda m, task: training.gradient_spread(m, layout, task, *split("train", idx.TRAIN_FILES, scaled(task))),
         train_samples=len(train_images), test_samples=test_count)
    return 0
