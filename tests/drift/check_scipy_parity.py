#!/usr/bin/env python3
"""Parity of the drift module's array functions with scipy / Evidently formulas, through ctypes.

Run by hand:  /usr/bin/python3 tests/drift/check_scipy_parity.py [build-drift/src/libcogniforge.so]
Exits 77 (skip) when numpy or scipy is missing, 1 on a mismatch. Needs Debian's python3-scipy/numpy.
"""
import ctypes
import math
import os
import sys

try:
    import numpy as np
    from scipy import stats
    from scipy.spatial import distance
    from scipy.special import gammaincc
except ImportError:
    print("SKIP: numpy/scipy not available")
    sys.exit(77)

here = os.path.dirname(os.path.abspath(__file__))
lib_path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "build-drift", "src", "libcogniforge.so")
lib = ctypes.CDLL(lib_path)
D = ctypes.c_double
P = ctypes.POINTER(D)
SZ = ctypes.c_size_t
for name, args in {
    "cf_drift_ks": [P, P, P, SZ, P, SZ],
    "cf_drift_wasserstein_norm": [P, P, SZ, P, SZ],
    "cf_drift_psi": [P, P, SZ, P, SZ, ctypes.c_int],
    "cf_drift_jensen_shannon": [P, P, SZ, P, SZ, ctypes.c_int],
    "cf_drift_jensen_shannon_dist": [P, P, P, SZ],
    "cf_drift_chisquare": [P, P, P, P, SZ],
    "cf_drift_ztest": [P, P, ctypes.c_uint64, ctypes.c_uint64, ctypes.c_uint64, ctypes.c_uint64],
}.items():
    getattr(lib, name).argtypes = args
    getattr(lib, name).restype = ctypes.c_int
lib.cf_drift_igamc.argtypes = [D, D]
lib.cf_drift_igamc.restype = D


def arr(x):
    x = np.ascontiguousarray(x, dtype=np.float64)
    return x, x.ctypes.data_as(P)


# Evidently's binning (evidently/calculations/stattests/utils.py::get_binned_data), numeric columns.
def binned(ref, cur, fill):
    if len(np.unique(ref)) > 20:
        bins = np.histogram_bin_edges(np.concatenate([ref, cur]), bins="sturges")
        rp = np.histogram(ref, bins)[0] / len(ref)
        cp = np.histogram(cur, bins)[0] / len(cur)
    else:
        keys = sorted(set(np.unique(ref)) | set(np.unique(cur)))
        rp = np.array([np.sum(ref == k) for k in keys]) / len(ref)
        cp = np.array([np.sum(cur == k) for k in keys]) / len(cur)
    if fill:
        for p in (rp, cp):
            mn = min(p[p != 0])
            np.place(p, p == 0, mn / 10**6 if mn <= 0.0001 else 0.0001)
    return rp, cp


fails = 0
worst = {}


def check(what, got, want, rtol=1e-10, atol=0.0):
    global fails
    err = abs(got - want) / max(abs(want), 1e-300) if want != 0 else abs(got)
    if not (abs(got - want) <= atol + rtol * abs(want)) and not (got == want):
        fails += 1
        if fails <= 20:
            print(f"MISMATCH {what}: got {got!r} want {want!r}")
    worst[what.split("[")[0]] = max(worst.get(what.split("[")[0], 0.0), err)


rng = np.random.default_rng(7)
cases = []
for t in range(60):
    n1 = int(rng.integers(1, 400)) if t < 30 else int(rng.integers(200, 3000))
    n2 = int(rng.integers(1, 400)) if t < 30 else int(rng.integers(200, 3000))
    if t % 10 == 3:
        n2 = n1
    shift = rng.choice([0.0, 0.05, 0.3])
    if t % 4 == 0:  # ties
        ref = rng.integers(0, 40, n1).astype(float)
        cur = rng.integers(0, 40, n2).astype(float) + (shift > 0)
    else:
        ref = rng.normal(0, 1, n1)
        cur = rng.normal(shift, 1.1, n2)
    cases.append((ref, cur))

for i, (ref, cur) in enumerate(cases):
    r, rp_ = arr(ref)
    c, cp_ = arr(cur)
    s, p = D(), D()
    assert lib.cf_drift_ks(ctypes.byref(s), ctypes.byref(p), rp_, len(r), cp_, len(c)) == 0
    ks = stats.ks_2samp(ref, cur)
    check(f"ks_stat[{i}]", s.value, ks.statistic)
    check(f"ks_p_exact[{i}]", p.value, ks.pvalue, atol=1e-300)
    w = D()
    assert lib.cf_drift_wasserstein_norm(ctypes.byref(w), rp_, len(r), cp_, len(c)) == 0
    check(f"wasserstein_norm[{i}]", w.value, stats.wasserstein_distance(ref, cur) / max(np.std(ref), 0.001))
    v = D()
    assert lib.cf_drift_psi(ctypes.byref(v), rp_, len(r), cp_, len(c), 0) == 0
    a, b = binned(ref, cur, True)
    check(f"psi[{i}]", v.value, float(np.sum((a - b) * np.log(a / b))))
    assert lib.cf_drift_jensen_shannon(ctypes.byref(v), rp_, len(r), cp_, len(c), 0) == 0
    a, b = binned(ref, cur, False)
    check(f"jensenshannon[{i}]", v.value, float(distance.jensenshannon(a, b)))

# Asymptotic KS (max(n1, n2) > 10000).
for i in range(12):
    n1, n2 = int(rng.integers(10001, 60000)), int(rng.integers(500, 60000))
    ref = rng.normal(0, 1, n1)
    cur = rng.normal([0.0, 0.01, 0.02, 0.05][i % 4], 1, n2)
    r, rp_ = arr(ref)
    c, cp_ = arr(cur)
    s, p = D(), D()
    assert lib.cf_drift_ks(ctypes.byref(s), ctypes.byref(p), rp_, n1, cp_, n2) == 0
    ks = stats.ks_2samp(ref, cur)
    check(f"ks_stat_asymp[{i}]", s.value, ks.statistic)
    check(f"ks_p_asymp[{i}]", p.value, ks.pvalue, rtol=1e-10)

# Chi-square (scipy.stats.chisquare) and igamc.
for i in range(40):
    k = int(rng.integers(2, 60))
    obs = rng.integers(0, 200, k).astype(float)
    exp = rng.uniform(1, 200, k)
    exp *= obs.sum() / exp.sum()
    o, op = arr(obs)
    e, ep = arr(exp)
    s, p = D(), D()
    assert lib.cf_drift_chisquare(ctypes.byref(s), ctypes.byref(p), op, ep, k) == 0
    want = stats.chisquare(obs, exp)
    check(f"chisquare_stat[{i}]", s.value, want.statistic)
    check(f"chisquare_p[{i}]", p.value, want.pvalue, atol=1e-300)
for a in [0.5, 1, 1.5, 3, 10, 29.5, 100, 500]:
    for x in [0.01, 0.5, 1, 2.5, 9, 30, 110, 700]:
        check(f"igamc[{a},{x}]", lib.cf_drift_igamc(a, x), float(gammaincc(a, x)), atol=1e-300)

# Jensen-Shannon distance on raw vectors.
for i in range(20):
    n = int(rng.integers(1, 50))
    pv = rng.uniform(0, 1, n) * (rng.uniform(0, 1, n) > 0.2)
    qv = rng.uniform(0, 1, n)
    if pv.sum() == 0:
        pv[0] = 1
    a, ap = arr(pv)
    b, bp = arr(qv)
    v = D()
    assert lib.cf_drift_jensen_shannon_dist(ctypes.byref(v), ap, bp, n) == 0
    check(f"js_dist[{i}]", v.value, float(distance.jensenshannon(pv, qv)))

# z-test, Evidently's formula.
for i in range(20):
    n1, n2 = int(rng.integers(2, 2000)), int(rng.integers(2, 2000))
    k1, k2 = int(rng.integers(0, n1 + 1)), int(rng.integers(0, n2 + 1))
    z, p = D(), D()
    assert lib.cf_drift_ztest(ctypes.byref(z), ctypes.byref(p), k1, n1, k2, n2) == 0
    p1, p2 = k1 / n1, k2 / n2
    P_ = (p1 * n1 + p2 * n2) / (n1 + n2)
    if P_ in (0.0, 1.0):
        want = 1.0
    else:
        zz = (p1 - p2) / np.sqrt(P_ * (1 - P_) * (1.0 / n1 + 1.0 / n2))
        want = 2 * (1 - stats.norm.cdf(np.abs(zz)))
    check(f"ztest_p[{i}]", p.value, float(want), atol=1e-15)

print("worst relative error per quantity:")
for k, v in sorted(worst.items()):
    print(f"  {k:20s} {v:.3e}")
if fails:
    print(f"FAIL: {fails} mismatches")
    sys.exit(1)
print("OK")
