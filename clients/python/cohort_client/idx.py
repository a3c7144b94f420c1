"""A client's images as `cohort partition export` writes them: IDX files (MNIST's format, optionally gzip) in one folder,
train-images-idx3-ubyte and train-labels-idx1-ubyte, and the test split in t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte."""
import gzip
import os
import struct

import numpy as np
import torch

TRAIN_FILES = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte")
TEST_FILES = ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")
# Cohort scales a pixel p to p·(1/255) in float32 (dataset.scale).
PIXEL_SCALE = np.float32(1.0) / np.float32(255.0)


def read_idx(path):
    """An IDX file of unsigned bytes (path, or path + '.gz') as a numpy array of its shape."""
    if not os.path.exists(path) and os.path.exists(path + ".gz"):
        path += ".gz"
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    zero, kind, rank = struct.unpack(">HBB", data[:4])
    if zero != 0 or kind != 0x08:
        raise ValueError(f"{path}: not an IDX file of unsigned bytes (magic {data[:4].hex()}).")
    shape = struct.unpack(">" + "I" * rank, data[4:4 + 4 * rank])
    values = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank)
    if values.size != int(np.prod(shape)):
        raise ValueError(f"{path}: {values.size} values for a shape of {list(shape)}.")
    return values.reshape(shape)


def has_split(folder, files):
    return all(os.path.exists(os.path.join(folder, f)) or os.path.exists(os.path.join(folder, f + ".gz")) for f in files)


def load_split(folder, files, scale=True):
    """(images, labels): images [n, 1, rows, cols] float32 (pixels·1/255 when scale), labels int64."""
    images = read_idx(os.path.join(folder, files[0]))
    labels = read_idx(os.path.join(folder, files[1]))
    if images.ndim != 3 or labels.shape != (images.shape[0],):
        raise ValueError(f"{folder}: {list(images.shape)} images with {list(labels.shape)} labels.")
    pixels = images.astype(np.float32)
    if scale:
        pixels *= PIXEL_SCALE
    return torch.from_numpy(pixels).unsqueeze(1), torch.from_numpy(labels.astype(np.int64))
