#!/usr/bin/env python3
"""A bo objective in Python: logistic regression trained by mini-batch SGD.

bo runs this program once per trial (see ../README.md):
  stdin        one JSON line, the assignment: {"lr": 0.1, "l2": 1e-4, "batch": 16}
  BO_CONFIG    the spec's objective.config as JSON: {"epochs": 15, ...}
  BO_SEED      the trial's seed: the only source of randomness here
  BO_TRIAL     the trial's number
  stdout       {"step": E, "loss": L} after each epoch (an intermediate
               report), then the result {"loss": ..., "metrics": {...}} as
               the last line. Anything else printed goes to the trial's log.

Early stopping: when bo asks a trial to stop, the program gets SIGTERM
(then SIGKILL after a grace period). It then prints the result it has so
far and exits at once, whatever it was doing.

Only the standard library: copy it and put your own training in train().
"""
import json
import math
import os
import random
import signal
import sys
import time


class Stop(Exception):
    """Raised by the SIGTERM handler, so a stop interrupts even a sleep."""


def on_sigterm(signum, frame):
    raise Stop()


def make_data(n, rng):
    """A fixed two-class problem: the label is 1 when w.x + noise > 0."""
    w = [1.5, -2.0, 0.5, 0.0]
    data = []
    for _ in range(n):
        x = [rng.gauss(0.0, 1.0) for _ in w]
        z = sum(a * b for a, b in zip(w, x)) + rng.gauss(0.0, 0.5)
        data.append((x, 1.0 if z > 0 else 0.0))
    return data


def log_loss(theta, data):
    total, correct = 0.0, 0
    for x, y in data:
        z = theta[-1] + sum(t * v for t, v in zip(theta, x))
        p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
        p = min(max(p, 1e-12), 1.0 - 1e-12)
        total -= y * math.log(p) + (1.0 - y) * math.log(1.0 - p)
        correct += (p > 0.5) == (y > 0.5)
    return total / len(data), correct / len(data)


def train(params, config, seed, report):
    # The data set is the same for every trial (its own fixed seed); the
    # trial's seed drives initialisation and shuffling.
    data_rng = random.Random(12345)
    train_set, valid_set = make_data(300, data_rng), make_data(100, data_rng)
    rng = random.Random(seed)
    theta = [rng.gauss(0.0, 0.01) for _ in range(5)]  # 4 weights + bias
    lr, l2, batch = params["lr"], params["l2"], int(params["batch"])
    delay = float(config.get("epoch_delay_s", 0))
    for epoch in range(1, int(config.get("epochs", 15)) + 1):
        rng.shuffle(train_set)
        for start in range(0, len(train_set), batch):
            grad = [0.0] * 5
            chunk = train_set[start:start + batch]
            for x, y in chunk:
                z = theta[-1] + sum(t * v for t, v in zip(theta, x))
                err = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))) - y
                for i in range(4):
                    grad[i] += err * x[i]
                grad[4] += err
            for i in range(5):
                decay = l2 * theta[i] if i < 4 else 0.0
                theta[i] -= lr * (grad[i] / len(chunk) + decay)
        if delay:
            time.sleep(delay)  # stands in for a slower model
        report(epoch, *log_loss(theta, valid_set))


def main():
    params = json.loads(sys.stdin.readline())
    config = json.loads(os.environ.get("BO_CONFIG") or "{}")
    seed = int(os.environ.get("BO_SEED", "0"))
    last = {"loss": None, "accuracy": None, "epochs": 0}

    def report(epoch, loss, accuracy):
        last.update(loss=loss, accuracy=accuracy, epochs=epoch)
        print(json.dumps({"step": epoch, "loss": loss}), flush=True)

    signal.signal(signal.SIGTERM, on_sigterm)
    try:
        train(params, config, seed, report)
    except Stop:
        print("stopped early by bo after epoch %d" % last["epochs"],
              file=sys.stderr)
    if last["loss"] is None:
        sys.exit("no epoch finished")  # a failed trial, with this message
    print(json.dumps({"loss": last["loss"],
                      "metrics": {"accuracy": last["accuracy"],
                                  "epochs": last["epochs"]}}), flush=True)


if __name__ == "__main__":
    main()
