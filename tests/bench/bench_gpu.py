#!/usr/bin/env python3
"""PyTorch on the GPU, the baseline of bench_gpu.c: the reference network
(784-256-256-10, ReLU, Adam 1e-3, batch 128, float32, TF32 off) trained on
the split that `bench_gpu --dump DIR` wrote, the data resident on the GPU
as ours is, timing only the epochs' training steps (torch.cuda.synchronize
before reading the clock). This is what a user would otherwise run: eager
PyTorch; `--compile` tries torch.compile's CUDA-graph mode as well.

    bench_gpu.py DIR [--epochs 5] [--width 256] [--layers 2] [--batch 128] [--compile]

Prints one `key value` per line at the end, like bench_gpu.c.
"""
import argparse
import os
import sys
import time

import numpy as np
import torch


def load(d, name, dev):
    x = np.fromfile(os.path.join(d, name + "_x.u8"), dtype=np.uint8).reshape(-1, 784)
    y = np.fromfile(os.path.join(d, name + "_y.u8"), dtype=np.uint8)
    x = torch.from_numpy(x).to(dev).float().div_(255.0)
    return x, torch.from_numpy(y.astype(np.int64)).to(dev)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--width", type=int, default=256)
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--compile", action="store_true")
    a = ap.parse_args()
    dev = torch.device("cuda")
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    torch.manual_seed(a.seed)
    xtr, ytr = load(a.dir, "train", dev)
    xva, yva = load(a.dir, "val", dev)
    layers, d = [], 784
    for _ in range(a.layers):
        layers += [torch.nn.Linear(d, a.width), torch.nn.ReLU()]
        d = a.width
    layers.append(torch.nn.Linear(d, 10))
    model = torch.nn.Sequential(*layers).to(dev)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    lossf = torch.nn.CrossEntropyLoss()

    def step(xb, yb):
        opt.zero_grad(set_to_none=True)
        loss = lossf(model(xb), yb)
        loss.backward()
        opt.step()
        return loss

    if a.compile:
        step = torch.compile(step, mode="reduce-overhead")
    n, b = xtr.shape[0], a.batch
    # Warm-up outside the timing (handles, kernels' first load), then the
    # weights are reset so the timed epochs train from scratch.
    state = {k: v.clone() for k, v in model.state_dict().items()}
    for i in range(5):
        step(xtr[i * b:(i + 1) * b], ytr[i * b:(i + 1) * b])
    model.load_state_dict(state)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    torch.cuda.synchronize()
    g = torch.Generator(device=dev).manual_seed(a.seed)
    train_s, acc, vloss = 0.0, 0.0, 0.0
    for epoch in range(a.epochs):
        model.train()
        torch.cuda.synchronize()
        t0 = time.perf_counter()
        perm = torch.randperm(n, generator=g, device=dev)
        for i in range(0, n, b):
            idx = perm[i:i + b]
            step(xtr[idx], ytr[idx])
        torch.cuda.synchronize()
        dt = time.perf_counter() - t0
        train_s += dt
        model.eval()
        with torch.no_grad():
            out = model(xva)
            vloss = lossf(out, yva).item()
            acc = (out.argmax(1) == yva).float().mean().item()
        print(f"  torch: epoch {epoch + 1}: {dt * 1e3:.1f} ms val_loss {vloss:.6f} "
              f"val_accuracy {acc:.4f}", file=sys.stderr)
    print(f"device {torch.cuda.get_device_name(0)} torch {torch.__version__}")
    print(f"epoch_s {train_s / a.epochs:.6f}")
    print(f"samples_per_s {n * a.epochs / train_s:.1f}")
    print(f"val_accuracy {acc:.4f}")
    print(f"val_loss {vloss:.4f}")


if __name__ == "__main__":
    main()
