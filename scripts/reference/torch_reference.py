#!/usr/bin/env python3
"""PyTorch reference of the engine's benchmark: the same net and SGD step, timed on this machine.

Optional, not part of the build or CI. Needs `pip install torch` (CPU is enough). Run from the
package folder:

    python3 scripts/reference/torch_reference.py [--seconds 3] [--threads 1]

The net is the study's (the author's Torch7 code): MNIST zero-padded to 32x32 and normalised,
conv 32@5x5 -> ReLU -> max-pool 3 -> conv 64@5x5 -> ReLU -> max-pool 2 -> fc 200 -> ReLU ->
fc 10 -> log-softmax, 105,506 parameters. Training is torch.optim.SGD with the author's settings
(lr 1e-4, momentum 0.9, dampening 0.9, weight decay 1e-3 on every parameter; the per-step lr
decay of Torch7's optim.sgd is left out, it costs nothing measurable). It prints images/s of
training and inference at batch sizes 1, 10 and 128, the median of 3 timed runs each, like
`swift run -c release bench`.
"""
import argparse
import gzip
import statistics
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def load_images(path="data/mnist/train-images-idx3-ubyte.gz", labels="data/mnist/train-labels-idx1-ubyte.gz", count=6400):
    """The first `count` training images as float32 in [0, 1], and their labels."""
    with gzip.open(path) as f:
        pixels = np.frombuffer(f.read(), np.uint8, offset=16)[: count * 784]
    with gzip.open(labels) as f:
        targets = np.frombuffer(f.read(), np.uint8, offset=8)[:count]
    images = torch.from_numpy(pixels.astype(np.float32) / 255).reshape(count, 1, 28, 28)
    return images, torch.from_numpy(targets.astype(np.int64))


class PaperNet(nn.Module):
    def __init__(self, mean=0.1, std=0.3):
        super().__init__()
        self.mean, self.std = mean, std
        self.conv1 = nn.Conv2d(1, 32, 5)
        self.conv2 = nn.Conv2d(32, 64, 5)
        self.fc1 = nn.Linear(256, 200)
        self.fc2 = nn.Linear(200, 10)

    def forward(self, x):
        x = F.pad((x - self.mean) / self.std, (2, 2, 2, 2), value=(0 - self.mean) / self.std)
        x = F.max_pool2d(F.relu(self.conv1(x)), 3)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = F.relu(self.fc1(x.flatten(1)))
        return F.log_softmax(self.fc2(x), dim=1)


def measure(seconds, images_per_chunk, chunk):
    """Median images/s of 3 runs of about `seconds` each, after a short warm-up."""
    def once(duration):
        start, images = time.perf_counter(), 0
        while True:
            chunk()
            images += images_per_chunk
            elapsed = time.perf_counter() - start
            if elapsed >= duration:
                return images / elapsed
    once(min(0.5, seconds))
    return statistics.median(once(seconds) for _ in range(3))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=3)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    images, labels = load_images()
    net = PaperNet()
    assert sum(p.numel() for p in net.parameters()) == 105_506
    optimizer = torch.optim.SGD(net.parameters(), lr=1e-4, momentum=0.9, dampening=0.9, weight_decay=1e-3)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} thread(s), median of 3 runs of {args.seconds} s")
    print(f"{'':28} {'batch':>5} {'images/s':>10}")
    for batch in (1, 10, 128):
        batches = images.shape[0] // batch
        state = {"next": 0}

        def train():
            i = state["next"]
            x, y = images[i * batch:(i + 1) * batch], labels[i * batch:(i + 1) * batch]
            optimizer.zero_grad()
            F.nll_loss(net(x), y).backward()
            optimizer.step()
            state["next"] = (i + 1) % batches

        def infer():
            i = state["next"]
            with torch.no_grad():
                net(images[i * batch:(i + 1) * batch])
            state["next"] = (i + 1) % batches

        print(f"{'train SGD':>28} {batch:>5} {measure(args.seconds, batch, train):>10,.0f}")
        print(f"{'inference':>28} {batch:>5} {measure(args.seconds, batch, infer):>10,.0f}")


if __name__ == "__main__":
    main()
