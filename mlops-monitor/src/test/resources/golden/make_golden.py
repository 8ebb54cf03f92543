#!/usr/bin/env python3
"""Reference values for the drift statistics of mlops-monitor, computed with scipy/numpy.

Run from this directory:  python3 make_golden.py
Writes numeric.csv and categorical.csv (inputs and expected values). The Java tests
(DriftStatisticsGoldenTest) read both and compare. Inputs are generated from fixed seeds, so a
re-run gives the same files for the same scipy/numpy versions (recorded in the first line).

Definitions checked (see dev.mlops.monitor.DriftStatistics):
- ks_stat, ks_p_exact:  scipy.stats.ks_2samp(ref, cur, method='exact')  (only where n*m <= 1e6)
- ks_p_asymp:          scipy.stats.kstwobign.sf(sqrt(n*m/(n+m)) * D)  (Kolmogorov's limit law)
- ks_p_scipy_auto:     ks_2samp's default p-value, for information
- wasserstein:         scipy.stats.wasserstein_distance(ref, cur)
- std_ref:             numpy.std(ref) (ddof=0), the normaliser of the normalized Wasserstein
- psi_10, psi_5:       sum((a-e)*ln(a/e)) over bins cut at numpy.quantile(ref, i/B) (linear, deduplicated),
                       bins (-inf,e1], (e1,e2], ..., (e_last, inf); shares equal to 0 become 1e-4
- chi2_stat, chi2_p, chi2_dof: scipy.stats.chi2_contingency([ref_counts, cur_counts], correction=False)
                       over the union of categories, dropping categories with 0 in both
- js:                  scipy.spatial.distance.jensenshannon(p, q, base=2)
- tv, linf:            0.5*sum|p-q|, max|p-q| over category shares
NaN in numeric inputs is dropped before every statistic; an empty side gives 'nan' everywhere.
"""
import csv
import math
import sys

import numpy as np
import scipy
from scipy import stats
from scipy.spatial import distance

EPS = 1e-4


def psi(ref, cur, bins):
    ref = np.asarray(ref, dtype=float)
    cur = np.asarray(cur, dtype=float)
    edges = np.unique(np.quantile(ref, [i / bins for i in range(1, bins)]))
    def shares(x):
        idx = np.searchsorted(edges, x, side='left')  # bin k holds edges[k-1] < x <= edges[k]
        c = np.bincount(idx, minlength=len(edges) + 1).astype(float)
        s = c / len(x)
        return np.where(s == 0, EPS, s)
    e = shares(ref)
    a = shares(cur)
    return float(np.sum((a - e) * np.log(a / e)))


def fmt(x):
    return 'nan' if x is None or (isinstance(x, float) and math.isnan(x)) else repr(float(x))


def join(xs):
    return ' '.join(repr(float(v)) for v in xs)


def numeric_cases():
    r = np.random.RandomState(20261130)
    cases = []
    cases.append(('normal_small', r.normal(0, 1, 50), r.normal(0.3, 1, 60)))
    cases.append(('tiny_exact', r.normal(0, 1, 8), r.normal(1, 1, 7)))
    cases.append(('ties_integers', r.randint(0, 6, 200).astype(float), r.randint(1, 7, 150).astype(float)))
    cases.append(('equal_sizes_ties', r.randint(0, 4, 40).astype(float), r.randint(0, 4, 40).astype(float)))
    cases.append(('identical', np.arange(30, dtype=float), np.arange(30, dtype=float)))
    cases.append(('constant_same', np.full(25, 3.0), np.full(35, 3.0)))
    cases.append(('constant_vs_shifted', np.full(25, 3.0), np.full(35, 4.5)))
    cases.append(('with_nan', np.concatenate([r.normal(0, 1, 40), [np.nan] * 5]),
                  np.concatenate([r.normal(0, 2, 45), [np.nan] * 3])))
    cases.append(('skewed_exact_1000', r.lognormal(0, 1, 1000), r.lognormal(0.1, 1, 1000)))
    cases.append(('large_asymptotic', r.normal(0, 1, 3000), r.normal(0.05, 1.1, 2500)))
    cases.append(('empty_bins_psi', np.concatenate([np.zeros(80), r.uniform(0, 1, 20)]), r.uniform(5, 6, 50)))
    cases.append(('all_null_current', r.normal(0, 1, 20), np.array([np.nan] * 10)))
    cases.append(('all_null_reference', np.array([], dtype=float), r.normal(0, 1, 20)))
    return cases


def numeric_row(name, ref, cur):
    ref = np.asarray(ref, dtype=float)
    cur = np.asarray(cur, dtype=float)
    rr = ref[~np.isnan(ref)]
    cc = cur[~np.isnan(cur)]
    row = {'case': name, 'reference': join(ref), 'current': join(cur)}
    if len(rr) == 0 or len(cc) == 0:
        for k in ('ks_stat', 'ks_p_exact', 'ks_p_asymp', 'ks_p_scipy_auto', 'wasserstein', 'std_ref', 'psi_10', 'psi_5'):
            row[k] = 'nan'
        if len(rr) > 0:
            row['std_ref'] = fmt(np.std(rr))
        return row
    n, m = len(rr), len(cc)
    auto = stats.ks_2samp(rr, cc)
    row['ks_stat'] = fmt(auto.statistic)
    row['ks_p_exact'] = fmt(stats.ks_2samp(rr, cc, method='exact').pvalue) if n * m <= 1_000_000 else ''
    row['ks_p_asymp'] = fmt(stats.kstwobign.sf(math.sqrt(n * m / (n + m)) * auto.statistic))
    row['ks_p_scipy_auto'] = fmt(auto.pvalue)
    row['wasserstein'] = fmt(stats.wasserstein_distance(rr, cc))
    row['std_ref'] = fmt(np.std(rr))
    row['psi_10'] = fmt(psi(rr, cc, 10))
    row['psi_5'] = fmt(psi(rr, cc, 5))
    return row


def categorical_cases():
    r = np.random.RandomState(7)
    cases = []
    cases.append(('shifted_shares', list(r.choice(['a', 'b', 'c'], 300, p=[.5, .3, .2])),
                  list(r.choice(['a', 'b', 'c'], 200, p=[.3, .3, .4]))))
    cases.append(('same_shares', ['x'] * 10 + ['y'] * 20, ['x'] * 30 + ['y'] * 60))
    cases.append(('unseen_category', list(r.choice(['a', 'b'], 100)), list(r.choice(['a', 'b', 'new'], 80))))
    cases.append(('missing_category', ['a'] * 40 + ['b'] * 30 + ['c'] * 30, ['a'] * 50 + ['b'] * 50))
    cases.append(('two_categories_dof1', ['t'] * 45 + ['f'] * 55, ['t'] * 70 + ['f'] * 30))
    cases.append(('single_category', ['only'] * 12, ['only'] * 30))
    cases.append(('disjoint', ['a'] * 10, ['b'] * 10))
    cases.append(('many_categories', [f'c{i}' for i in r.randint(0, 40, 2000)],
                  [f'c{i}' for i in r.randint(5, 45, 1500)]))
    cases.append(('all_null_current', ['a', 'b', 'a'], []))
    return cases


def categorical_row(name, ref, cur):
    row = {'case': name, 'reference': ' '.join(ref), 'current': ' '.join(cur)}
    if len(ref) == 0 or len(cur) == 0:
        for k in ('chi2_stat', 'chi2_p', 'chi2_dof', 'js', 'tv', 'linf'):
            row[k] = 'nan'
        return row
    cats = sorted(set(ref) | set(cur))
    rc = np.array([ref.count(c) for c in cats], dtype=float)
    cc = np.array([cur.count(c) for c in cats], dtype=float)
    table = np.array([rc, cc])
    if len(cats) == 1:
        chi, p, dof = 0.0, 1.0, 0  # scipy: a 2x1 table has dof 0, statistic 0, p 1
        res = stats.chi2_contingency(table, correction=False)
        chi, p, dof = res[0], res[1], res[2]
    else:
        res = stats.chi2_contingency(table, correction=False)
        chi, p, dof = res[0], res[1], res[2]
    ps, qs = rc / rc.sum(), cc / cc.sum()
    row['chi2_stat'] = fmt(chi)
    row['chi2_p'] = fmt(p)
    row['chi2_dof'] = str(int(dof))
    row['js'] = fmt(distance.jensenshannon(ps, qs, base=2))
    row['tv'] = fmt(0.5 * np.abs(ps - qs).sum())
    row['linf'] = fmt(np.abs(ps - qs).max())
    return row


def write(path, rows, cols):
    with open(path, 'w', newline='') as f:
        f.write(f'# made by make_golden.py with scipy {scipy.__version__}, numpy {np.__version__}, '
                f'python {sys.version.split()[0]}\n')
        w = csv.DictWriter(f, fieldnames=cols, lineterminator='\n')
        w.writeheader()
        for r in rows:
            w.writerow(r)


if __name__ == '__main__':
    write('numeric.csv', [numeric_row(*c) for c in numeric_cases()],
          ['case', 'ks_stat', 'ks_p_exact', 'ks_p_asymp', 'ks_p_scipy_auto', 'wasserstein', 'std_ref',
           'psi_10', 'psi_5', 'reference', 'current'])
    write('categorical.csv', [categorical_row(*c) for c in categorical_cases()],
          ['case', 'chi2_stat', 'chi2_p', 'chi2_dof', 'js', 'tv', 'linf', 'reference', 'current'])
