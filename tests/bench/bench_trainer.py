#!/usr/bin/env python3
"""PyTorch CPU baseline for bench_trainer.c: the reference network
(784-256-256-10, ReLU, Adam 1e-3, batch 128) on the split that
`bench_trainer --dump DIR` wrote, timing only the training steps.

    bench_trainer.py DIR [--epochs 5] [--threads 2] [--seed 1]

Prints one `key value` per line at the end, like bench_trainer.c.
"""
import argparse
import os
import sys
import time

import numpy as np
import torch


def load(d, name):
    x = np.fromfile(os.path.join(d, name + "_x.u8"), dtype=np.uint8)
    y = np.fromfile(os.path.join(d, name + "_y.u8"), dtype=np.uint8)
    x = torch.from_numpy(x.reshape(-1, 784).astype(np.float32) / 255.0)
    return x, torch.from_numpy(y.astype(np.int64))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    xtr, ytr = load(a.dir, "train")
    xva, yva = load(a.dir, "val")
    model = torch.nn.Sequential(
        torch.nn.Linear(784, 256), torch.nn.ReLU(),
        torch.nn.Linear(256, 256), torch.nn.ReLU(),
        torch.nn.Linear(256, 10))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    lossf = torch.nn.CrossEntropyLoss()
    n, batch = xtr.shape[0], 128
    # Multiply-adds per sample as bo_nn_layout_train_flops counts them:
    # forward + weight gradients everywhere, input gradients past layer 1.
    flops = 4 * 784 * 256 + 6 * 256 * 256 + 6 * 256 * 10
    g = torch.Generator().manual_seed(a.seed)
    train_s, acc, vloss = 0.0, 0.0, 0.0
    for epoch in range(a.epochs):
        model.train()
        t0 = time.perf_counter()
        perm = torch.randperm(n, generator=g)
        for i in range(0, n, batch):
            idx = perm[i:i + batch]
            opt.zero_grad(set_to_none=True)
            loss = lossf(model(xtr[idx]), ytr[idx])
            loss.backward()
            opt.step()
        train_s += time.perf_counter() - t0
        model.eval()
        with torch.no_grad():
            out = model(xva)
            vloss = lossf(out, yva).item()
            acc = (out.argmax(1) == yva).float().mean().item()
        print(f"  torch: epoch {epoch + 1}: val_loss {vloss:.6f} val_accuracy {acc:.4f}",
              file=sys.stderr)
    rows = n * a.epochs
    print(f"threads {torch.get_num_threads()}")
    print(f"samples_per_s {rows / train_s:.1f}")
    print(f"gflops {flops * rows / train_s * 1e-9:.2f}")
    print(f"train_s {train_s:.3f}")
    print(f"val_accuracy {acc:.4f}")
    print(f"val_loss {vloss:.4f}")


if __name__ == "__main__":
    main()
