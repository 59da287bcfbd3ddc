"""Writes compare-fixture.json: an independent Python computation of the paired summary that
lib/experiments/statistics.ts must reproduce (same mulberry32 stream, resampling and quantile rule).
Run from the repository root: python3 lib/experiments/testing/compare-fixture.py"""
import json, math

M = 0xFFFFFFFF


def imul(a, b):
    return ((a & M) * (b & M)) & M


def mulberry32(seed):
    state = [seed & M]

    def next_random():
        state[0] = (state[0] + 0x6D2B79F5) & M
        t = state[0]
        t = imul(t ^ (t >> 15), t | 1)
        t = (t ^ ((t + imul(t ^ (t >> 7), t | 61)) & M)) & M
        return ((t ^ (t >> 14)) & M) / 4294967296

    return next_random


def quantile(values, p):
    h = (len(values) - 1) * p
    low = math.floor(h)
    high = min(low + 1, len(values) - 1)
    return values[low] + (h - low) * (values[high] - values[low])


def bootstrap(deltas, resamples, seed):
    rand = mulberry32(seed)
    n = len(deltas)
    means = []
    for _ in range(resamples):
        total = 0.0
        for _ in range(n):
            total += deltas[math.floor(rand() * n)]
        means.append(total / n)
    means.sort()
    return [quantile(means, 0.025), quantile(means, 0.975)]


base = [0.5, 0.7, 0.9, 0.4, 0.6, 0.8]
candidate = [0.7, 0.7, 0.6, 0.9, 0.65, 0.8]
deltas = [c - b for b, c in zip(base, candidate)]
seed, resamples = 20240601, 10000
rand = mulberry32(seed)
fixture = {
    "seed": seed,
    "resamples": resamples,
    "base": base,
    "candidate": candidate,
    "deltas": deltas,
    "meanDelta": sum(deltas) / len(deltas),
    "ci95": bootstrap(deltas, resamples, seed),
    "wins": sum(1 for d in deltas if d > 1e-9),
    "losses": sum(1 for d in deltas if d < -1e-9),
    "ties": sum(1 for d in deltas if abs(d) <= 1e-9),
    "first_randoms": [rand() for _ in range(5)],
}
with open("lib/experiments/testing/compare-fixture.json", "w") as out:
    json.dump(fixture, out, indent=1)
