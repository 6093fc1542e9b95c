#!/usr/bin/env python3
"""Szegedy's attack with scipy's L-BFGS-B and numpy gradients, for a side-by-side time with the
Swift benchmark (optional; not part of CI).

Run `swift run -c release bench` first: its attack benchmark writes the trained weights to
.build/bench/attack-model.bin (format SDNNv001, see Sources/Engine/Model.swift) and the attacked
cases (test image index, label, target) to .build/bench/attack-cases.csv. This script attacks the
same images towards the same targets with the same settings and C search
(Sources/Attacks/SzegedyAttack.swift) and prints seconds per image and evaluations per second.

    python3 scripts/reference/attack_reference.py [--model PATH] [--cases PATH] [--mnist DIR]

Note: scipy >= 1.15 runs a C translation of the L-BFGS-B 3.0 Fortran code, not the Fortran itself;
on 10-D Rosenbrock it takes the same iterations and evaluations as Debian's liblbfgsb.
"""
import argparse
import gzip
import struct
import time

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from scipy.optimize import minimize


def load_model(path):
    data = open(path, "rb").read()
    assert data[:8] == b"SDNNv001", "not an SDNNv001 model file"
    side, pad, k, c1, pool1, c2, pool2, hidden, classes = struct.unpack_from("<9I", data, 8)
    mean, std = struct.unpack_from("<2f", data, 44)
    (count,) = struct.unpack_from("<I", data, 52)
    p = np.frombuffer(data, dtype="<f4", count=count, offset=56).astype(np.float32)
    shapes = [("w1", (c1, 1, k, k)), ("b1", (c1,)), ("w2", (c2, c1, k, k)), ("b2", (c2,)),
              ("w3", None), ("b3", (hidden,)), ("w4", (classes, hidden)), ("b4", (classes,))]
    flat = c2 * (((side + 2 * pad - k + 1) // pool1 - k + 1) // pool2) ** 2
    net, at = {}, 0
    for name, shape in shapes:
        shape = shape or (hidden, flat)
        n = int(np.prod(shape))
        net[name] = p[at:at + n].reshape(shape)
        at += n
    assert at == count
    net.update(side=side, pad=pad, k=k, pool1=pool1, pool2=pool2, mean=np.float32(mean), std=np.float32(std))
    return net


def pool_forward(a, size):
    """Floor-mode max-pool with Torch's switch (first maximum in scan order)."""
    c, s, _ = a.shape
    o = s // size
    windows = a[:, :o * size, :o * size].reshape(c, o, size, o, size).transpose(0, 1, 3, 2, 4).reshape(c, o, o, size * size)
    switch = windows.argmax(axis=3)
    return np.take_along_axis(windows, switch[..., None], axis=3)[..., 0], switch


def pool_backward(grad, switch, size, side):
    c, o, _ = grad.shape
    out = np.zeros((c, o, o, size * size), dtype=grad.dtype)
    np.put_along_axis(out, switch[..., None], grad[..., None], axis=3)
    full = np.zeros((c, side, side), dtype=grad.dtype)
    full[:, :o * size, :o * size] = out.reshape(c, o, o, size, size).transpose(0, 1, 3, 2, 4).reshape(c, o * size, o * size)
    return full


def conv_forward(x, w, b):
    """x (C, S, S), w (O, C, k, k): valid correlation, plus the patches for the backward pass."""
    o, c, k, _ = w.shape
    cols = sliding_window_view(x, (k, k), axis=(1, 2))            # (C, s, s, k, k)
    s = cols.shape[1]
    patches = cols.transpose(1, 2, 0, 3, 4).reshape(s * s, c * k * k)
    return (patches @ w.reshape(o, -1).T + b).T.reshape(o, s, s)


def conv_backward_input(grad, w, side):
    """Gradient of a valid correlation with respect to its input (C, side, side)."""
    o, c, k, _ = w.shape
    s = grad.shape[1]
    dcols = (grad.reshape(o, s * s).T @ w.reshape(o, -1)).reshape(s, s, c, k, k)
    dx = np.zeros((c, side, side), dtype=grad.dtype)
    for ky in range(k):
        for kx in range(k):
            dx[:, ky:ky + s, kx:kx + s] += dcols[:, :, :, ky, kx].transpose(2, 0, 1)
    return dx


def loss_and_gradient(net, pixels, label):
    """NLL(net(pixels), label) and its gradient with respect to the 784 pixels."""
    side, pad = net["side"], net["pad"]
    full = side + 2 * pad
    x = np.full((1, full, full), -net["mean"] / net["std"], dtype=np.float32)
    x[0, pad:pad + side, pad:pad + side] = (pixels.reshape(side, side) - net["mean"]) / net["std"]
    z1 = conv_forward(x, net["w1"], net["b1"]); a1 = np.maximum(z1, 0)
    p1, s1 = pool_forward(a1, net["pool1"])
    z2 = conv_forward(p1, net["w2"], net["b2"]); a2 = np.maximum(z2, 0)
    p2, s2 = pool_forward(a2, net["pool2"])
    z3 = net["w3"] @ p2.reshape(-1) + net["b3"]; a3 = np.maximum(z3, 0)
    logits = net["w4"] @ a3 + net["b4"]
    shifted = logits - logits.max()
    logp = shifted - np.log(np.exp(shifted).sum())
    dlogits = np.exp(logp); dlogits[label] -= 1
    dz3 = (net["w4"].T @ dlogits) * (z3 > 0)
    dp2 = (net["w3"].T @ dz3).reshape(p2.shape)
    dz2 = pool_backward(dp2, s2, net["pool2"], a2.shape[1]) * (z2 > 0)
    dp1 = conv_backward_input(dz2, net["w2"], p1.shape[1])
    dz1 = pool_backward(dp1, s1, net["pool1"], a1.shape[1]) * (z1 > 0)
    dx = conv_backward_input(dz1, net["w1"], full)
    return float(-logp[label]), (dx[0, pad:pad + side, pad:pad + side] / net["std"]).reshape(-1), logp


def solve(net, x, target, c, start, counter):
    def f(r):
        counter[0] += 1
        loss, g, _ = loss_and_gradient(net, (x + r).astype(np.float32), target)
        return loss + c * float(r @ r), g.astype(np.float64) + 2 * c * r
    bounds = list(zip(-x.astype(np.float64), 1 - x.astype(np.float64)))
    result = minimize(f, start, jac=True, method="L-BFGS-B", bounds=bounds,
                      options=dict(maxcor=15, ftol=1e7 * np.finfo(float).eps, gtol=1e-5, maxfun=200))
    adversarial = (x + result.x).astype(np.float32)
    success = int(np.argmax(loss_and_gradient(net, adversarial, target)[2])) == target
    return result.x, success


def attack(net, x, target, counter):
    """The C search of SzegedyAttack: x10 from 0.01 with warm starts, 4 bisection runs, final run."""
    zero = np.zeros_like(x, dtype=np.float64)
    c, start, last, c_fail, runs = 0.01, zero, None, None, 0
    for step in range(12):
        r, ok = solve(net, x, target, c, start, counter); runs += 1
        if not ok:
            c_fail = c
            break
        last, start, c = (c, r, step == 0), r, c * 10
    if c_fail is not None:
        low, high = 0.0, c_fail
        for _ in range(4):
            middle = (low + high) / 2
            r, ok = solve(net, x, target, middle, zero, counter); runs += 1
            if ok:
                low, last = middle, (middle, r, True)
            else:
                high = middle
    if last is None:
        return False, 0.0, 0.0, runs
    c, r, from_zero = last
    if not from_zero:
        rerun, ok = solve(net, x, target, c, zero, counter); runs += 1
        if ok:
            r = rerun
    return True, c, float(np.linalg.norm((x + r).astype(np.float32) - x)), runs


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=".build/bench/attack-model.bin")
    parser.add_argument("--cases", default=".build/bench/attack-cases.csv")
    parser.add_argument("--mnist", default="data/mnist")
    args = parser.parse_args()
    net = load_model(args.model)
    raw = gzip.open(f"{args.mnist}/t10k-images-idx3-ubyte.gz").read()
    images = np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(-1, 784).astype(np.float32) / 255
    cases = [tuple(int(v) for v in line.split(",")) for line in open(args.cases).read().split()[1:]]
    total_seconds, total_evaluations = 0.0, 0
    for index, label, target in cases:
        counter = [0]
        begin = time.perf_counter()
        ok, c, l2, runs = attack(net, images[index], target, counter)
        elapsed = time.perf_counter() - begin
        total_seconds += elapsed; total_evaluations += counter[0]
        print(f"  image {index:5d}  {label} -> {target}  {'fooled' if ok else 'failed'}  C {c:.3g}  L2 {l2:.3f}  "
              f"runs {runs:2d}  evaluations {counter[0]:4d}  {elapsed:.3f} s")
    print(f"scipy + numpy attack: {total_seconds / len(cases):.3f} s per image, "
          f"{total_evaluations / total_seconds:.0f} evaluations/s ({1000 * total_seconds / total_evaluations:.3f} ms each)")


if __name__ == "__main__":
    main()
