#!/usr/bin/env python3
"""A minimal external simulator for SBI Workbench: x = theta + Gaussian noise.

Called once per simulation as

    python3 gaussian_sim.py --mu1=0.5 --mu2=-1.25 --seed=8123456789

(the "arguments" input mode of gaussian.json: one --name=value per parameter,
then --seed=N), it prints one line of comma-separated numbers on stdout (the
"stdout-csv" output mode):

    0.8912...,-1.5531...

Each component is mu_i plus independent N(0, SIGMA^2) noise drawn from a
generator seeded with --seed, so the same seed gives the same x. Only the
Python standard library is used. Diagnostics go to stderr, never to stdout.
"""
import random
import sys

SIGMA = 0.5
PARAMETERS = ("mu1", "mu2")


def parse(argv):
    values = {}
    for arg in argv:
        if not arg.startswith("--") or "=" not in arg:
            raise SystemExit(f"gaussian_sim.py: unexpected argument {arg!r}; expected --name=value")
        name, value = arg[2:].split("=", 1)
        values[name] = value
    missing = [n for n in PARAMETERS + ("seed",) if n not in values]
    if missing:
        raise SystemExit(f"gaussian_sim.py: missing {', '.join('--' + m for m in missing)}")
    theta = [float(values[n]) for n in PARAMETERS]
    seed = int(values["seed"])
    return theta, seed


def main():
    theta, seed = parse(sys.argv[1:])
    rng = random.Random(seed)
    x = [mu + rng.gauss(0.0, SIGMA) for mu in theta]
    print(",".join(repr(v) for v in x))


if __name__ == "__main__":
    main()
