"""A program objective for test_program.c: behaves as its "mode" says.

Reads the assignment (one JSON line) on stdin; BO_TRIAL, BO_SEED and
BO_CONFIG (with "factor" and "pid_file") come from the environment.
"""
import json
import os
import signal
import subprocess
import sys
import time

a = json.loads(sys.stdin.readline())
cfg = json.loads(os.environ["BO_CONFIG"])
mode = a.get("mode", "result")
x = a.get("x", 0.0)


def say(obj):
    print(json.dumps(obj), flush=True)


if mode == "result":
    # Intermediate reports, chatter, then the result with metrics that
    # echo what the program received.
    say({"step": 1, "loss": 3.0})
    say({"step": 2, "loss": 2.0})
    print("chatter from the program", flush=True)
    say({"loss": cfg["factor"] * x, "cost_s": 1.25,
         "metrics": {"trial": int(os.environ["BO_TRIAL"]),
                     "seed_low": int(os.environ["BO_SEED"]) % 1000000,
                     "x_is_float": float(isinstance(x, float)),
                     "layers_is_int": float(isinstance(a.get("layers"), int)),
                     "layers": a.get("layers"),
                     "act_is_relu": float(a.get("act") == "relu")}})
elif mode == "number":
    print("0.125")
    print("")
elif mode == "early":
    def on_term(sig, frame):
        sys.stderr.write("got SIGTERM\n")
        sys.stderr.flush()
        sys.exit(1)
    signal.signal(signal.SIGTERM, on_term)
    for step in range(1, 101):
        say({"step": step, "loss": 1.0 / step})
        time.sleep(0.05)
    say({"loss": 0.0})
elif mode == "fail":
    for i in range(1, 13):
        sys.stderr.write("bad things %d\n" % i)
    sys.exit(3)
elif mode == "garbage":
    print("no json here")
    sys.stdout.buffer.write(b"\x01\x02 binary junk\n")
    print('{"loss": oops}')
    print('{"step": "not a number"}')
    print("42")
elif mode == "garbage_last":
    print("0.5")
    print('{"loss": oops}')
elif mode == "pretty":
    print(json.dumps({"loss": 0.5}, indent=2))
elif mode == "repr":
    print({"loss": 0.5})
elif mode == "reports_only":
    say({"step": 1, "loss": 3.0})
    say({"step": 2, "loss": 2.0})
elif mode == "badstep_last":
    # a broken report last: neither a report nor the result
    print("0.25")
    print('{"step": "3", "loss": 0.05}')
elif mode == "long_last":
    # a valid result, then a line too long to be one (300 KB)
    print("0.25")
    say({"loss": 0.125, "metrics": {"blob": "x" * 300000}})
elif mode == "missing":
    print("", flush=True)
elif mode == "nan":
    say({"loss": float("nan")})
elif mode == "inf":
    say({"loss": float("inf")})
elif mode == "noloss":
    say({"cost_s": 2.0})
elif mode == "strloss":
    say({"loss": "0.5"})
elif mode == "segv":
    os.kill(os.getpid(), signal.SIGSEGV)
elif mode == "child":
    # A child that inherits stdout and would hold the pipe open for a
    # minute if it were not killed with the program's group.
    c = subprocess.Popen(["sleep", "60"])
    with open(cfg["pid_file"], "w") as f:
        f.write("%d\n" % c.pid)
    print("0.75")
elif mode == "hang":
    c = subprocess.Popen(["sleep", "60"])
    with open(cfg["pid_file"], "w") as f:
        f.write("%d %d\n" % (os.getpid(), c.pid))
    time.sleep(60)
