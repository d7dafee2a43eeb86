"""Independent expected values for the drift statistics of dev.slipway.drift.

    /usr/bin/python3 slipway-core/src/test/resources/dev/slipway/drift/make_fixtures.py

writes drift-cases.json and sample-report.json beside this script. Debian's numpy and scipy
compute every number; the Java code is never consulted. The conventions (from issue 6):

- PSI: 10 bins on reference deciles. Inner edges = np.quantile(reference, [0.1, ..., 0.9])
  (numpy's default 'linear' method), duplicates removed (np.unique), outer bins open, bins
  right-closed: x goes to bin i when edges[i-1] < x <= edges[i]; implemented with
  np.searchsorted(edges, x, side='left'), which counts the edges strictly below x.
  Proportions = counts / total; a proportion of exactly 0 becomes 1e-4 on that side only (no
  renormalising); PSI = sum((q - p) * ln(q / p)).
  Categoricals: one bin per category seen on either side.
- Jensen-Shannon distance: scipy.spatial.distance.jensenshannon(p, q, base=2) on the raw
  proportions of the same bins.
- Kolmogorov-Smirnov: scipy.stats.ks_2samp(reference, current, method=...): 'exact' while both
  samples have fewer than 10,000 values, 'asymp' otherwise (commons-statistics' AUTO rule);
  warnings are errors, so scipy never falls back silently.
- Wasserstein-1: scipy.stats.wasserstein_distance(reference, current); normalised by
  np.std(reference) (population standard deviation, ddof=0).
- chi-squared: scipy.stats.chi2_contingency([ref_counts, cur_counts], correction=False);
  with a single category the statistic is 0 and p is 1.
- missing values (None) are excluded from every distribution metric; missing share =
  missing / all rows; unseen share = values whose category the reference never shows / all rows.
- scipy.special.kolmogorov(x): the limiting Kolmogorov distribution's survival function, for
  the p-value computed from a sketch.
"""
import csv
import json
import os
import warnings

import numpy as np
import scipy
import yaml
from scipy import special, stats
from scipy.spatial import distance

warnings.simplefilter("error")

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, *[".."] * 7))
SAMPLE = os.path.join(ROOT, "examples", "whatsup-logistics")
EPS = 1e-4
LARGE_SAMPLE = 10000


def present(values):
    return [v for v in values if v is not None]


def shares(values, total):
    return np.asarray(values, dtype=np.float64) / total


def psi(p, q):
    p = np.where(p == 0, EPS, p)
    q = np.where(q == 0, EPS, q)
    return float(np.sum((q - p) * np.log(q / p)))


def numeric_case(name, reference, current):
    ref = np.asarray(present(reference), dtype=np.float64)
    cur = np.asarray(present(current), dtype=np.float64)
    edges = np.unique(np.quantile(ref, np.arange(1, 10) / 10))
    ref_counts = np.bincount(np.searchsorted(edges, ref, side="left"), minlength=len(edges) + 1)
    cur_counts = np.bincount(np.searchsorted(edges, cur, side="left"), minlength=len(edges) + 1)
    p = shares(ref_counts, len(ref))
    q = shares(cur_counts, len(cur))
    method = "exact" if max(len(ref), len(cur)) < LARGE_SAMPLE else "asymp"
    ks = stats.ks_2samp(ref, cur, alternative="two-sided", method=method)
    w = stats.wasserstein_distance(ref, cur)
    std = float(np.std(ref))
    return {
        "name": name,
        "kind": "numeric",
        "reference": list(reference),
        "current": list(current),
        "expected": {
            "edges": edges.tolist(),
            "reference_counts": ref_counts.tolist(),
            "current_counts": cur_counts.tolist(),
            "psi": psi(p, q),
            "js_distance": float(distance.jensenshannon(p, q, base=2)),
            "ks_statistic": float(ks.statistic),
            "ks_p_value": float(ks.pvalue),
            "ks_method": "exact" if method == "exact" else "asymptotic",
            "wasserstein": float(w),
            "wasserstein_normalized": float(w / std) if std > 0 else None,
            "reference_mean": float(np.mean(ref)),
            "reference_std": std,
            "missing_share": (len(current) - len(cur)) / len(current),
            "reference_missing_share": (len(reference) - len(ref)) / len(reference),
        },
    }


def categorical_case(name, categories, reference, current):
    ref = present(reference)
    cur = present(current)
    seen = [c for c in categories if c in ref or c in cur]
    seen += sorted({c for c in ref + cur if c not in categories})
    ref_counts = np.array([ref.count(c) for c in seen])
    cur_counts = np.array([cur.count(c) for c in seen])
    p = shares(ref_counts, len(ref))
    q = shares(cur_counts, len(cur))
    if len(seen) > 1:
        chi2, chi2_p, dof, _ = stats.chi2_contingency(np.array([ref_counts, cur_counts]), correction=False)
    else:
        chi2, chi2_p, dof = 0.0, 1.0, 0
    unseen = sum(1 for v in cur if v not in ref)
    return {
        "name": name,
        "kind": "categorical",
        "categories": categories,
        "reference": list(reference),
        "current": list(current),
        "expected": {
            "bins": seen,
            "reference_counts": ref_counts.tolist(),
            "current_counts": cur_counts.tolist(),
            "psi": psi(p, q),
            "js_distance": float(distance.jensenshannon(p, q, base=2)),
            "chi_squared": float(chi2),
            "chi_squared_p_value": float(chi2_p),
            "chi_squared_dof": int(dof),
            "missing_share": (len(current) - len(cur)) / len(current),
            "unseen_share": unseen / len(current),
        },
    }


def with_missing(rng, values, share):
    return [None if rng.random() < share else v for v in values]


def cases():
    rng = np.random.default_rng(20261127)
    out = []
    ref = rng.normal(50.0, 10.0, 2000)
    out.append(numeric_case("normal-shift", ref.tolist(), rng.normal(53.0, 12.0, 1500).tolist()))
    out.append(numeric_case("small-shift", ref.tolist(), rng.normal(50.5, 10.0, 700).tolist()))
    same = rng.normal(0.0, 1.0, 500).tolist()
    out.append(numeric_case("identical", same, list(same)))

    # Heavy ties: 55 % zeros and small integers, so several deciles coincide and are removed.
    tied_ref = np.where(rng.random(1200) < 0.55, 0.0, rng.poisson(2.0, 1200)).astype(float)
    tied_cur = np.where(rng.random(900) < 0.35, 0.0, rng.poisson(2.5, 900)).astype(float)
    out.append(numeric_case("heavy-ties-duplicate-deciles", tied_ref.tolist(), tied_cur.tolist()))

    # Values exactly on the edges: integer reference (edges at data values) and a float reference
    # whose edges interpolate (both gamma < 0.5 and >= 0.5); current holds every edge exactly.
    grid = [float(v) for v in range(101)]
    edges = np.unique(np.quantile(np.array(grid), np.arange(1, 10) / 10)).tolist()
    out.append(numeric_case("values-on-integer-edges", grid, edges * 5 + [0.0, 100.0, 55.5]))
    floats = np.round(rng.gamma(2.0, 3.0, 37), 3)
    fedges = np.unique(np.quantile(floats, np.arange(1, 10) / 10)).tolist()
    out.append(numeric_case(
        "values-on-interpolated-edges", floats.tolist(),
        fedges * 3 + [float(np.nextafter(e, np.inf)) for e in fedges] + [-1.0, 99.0]))

    # Zeros: every current value above the reference's 90 % quantile, so nine bins are empty.
    uni = rng.uniform(0.0, 10.0, 800)
    out.append(numeric_case("zeros-in-bins", uni.tolist(), rng.uniform(9.5, 12.0, 300).tolist()))
    out.append(numeric_case(
        "missing-values",
        with_missing(rng, rng.lognormal(3.0, 1.0, 1000).tolist(), 0.03),
        with_missing(rng, rng.lognormal(3.2, 1.1, 800).tolist(), 0.2)))
    out.append(numeric_case("tiny-samples", [3.0, 1.0, 4.0, 1.0, 5.0], [9.0, 2.0, 6.0]))
    out.append(numeric_case(
        "large-window-asymptotic", rng.exponential(2.0, 2000).tolist(), rng.exponential(2.1, 12000).tolist()))

    roads = ["highway", "urban", "rural", "yard"]
    road_ref = rng.choice(roads, 2000, p=[0.45, 0.30, 0.17, 0.08]).tolist()
    road_cur = rng.choice(roads + ["ferry"], 1000, p=[0.35, 0.40, 0.15, 0.07, 0.03]).tolist()
    out.append(categorical_case("categories-with-unseen", roads,
                                road_ref, with_missing(rng, road_cur, 0.05)))
    road_noyard = rng.choice(roads[:3], 600, p=[0.5, 0.3, 0.2]).tolist()
    out.append(categorical_case("category-absent-from-current", roads, road_ref, road_noyard))
    flags = ["false", "true"]
    out.append(categorical_case("bool", flags,
                                rng.choice(flags, 1500, p=[0.7, 0.3]).tolist(),
                                rng.choice(flags, 400, p=[0.6, 0.4]).tolist()))
    out.append(categorical_case("one-category", roads, ["urban"] * 50, ["urban"] * 20))
    return out


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def sample_report():
    """The sample model's reference against the drifted pings, column by column, read like CsvRows."""
    model_dir = os.path.join(SAMPLE, "models", "stall-detector", "2")
    with open(os.path.join(model_dir, "model.yaml")) as f:
        manifest = yaml.safe_load(f)
    reference = read_csv(os.path.join(model_dir, manifest["reference"]["file"]))
    current = read_csv(os.path.join(SAMPLE, "data", "pings-drifted.csv"))
    columns = []
    for feature in manifest["features"] + [{"name": o["name"], "type": "float"} for o in manifest["outputs"]]:
        name, kind = feature["name"], feature["type"]

        def cell(row):
            text = row[name].strip()
            return None if text == "" else text

        ref = [cell(r) for r in reference]
        cur = [cell(r) for r in current]
        if kind in ("float", "int"):
            case = numeric_case(name, [None if v is None else float(v) for v in ref],
                                [None if v is None else float(v) for v in cur])
            lo, hi = feature.get("min"), feature.get("max")
            values = [float(v) for v in cur if v is not None]
            outside = sum(1 for v in values if (lo is not None and v < lo) or (hi is not None and v > hi))
            case["expected"]["out_of_contract_share"] = outside / len(cur)
        elif kind == "bool":
            label = {"0": "false", "1": "true", "0.0": "false", "1.0": "true"}
            case = categorical_case(name, ["false", "true"],
                                    [None if v is None else label[v] for v in ref],
                                    [None if v is None else label[v] for v in cur])
            case["expected"]["out_of_contract_share"] = 0.0
        else:
            categories = list(feature["categories"])
            case = categorical_case(name, categories, ref, cur)
            undeclared = sum(1 for v in cur if v is not None and v not in categories)
            case["expected"]["out_of_contract_share"] = undeclared / len(cur)
        del case["reference"], case["current"]
        columns.append(case)
    return {"model_dir": "examples/whatsup-logistics/models/stall-detector/2",
            "current": "examples/whatsup-logistics/data/pings-drifted.csv",
            "columns": columns}


def kolmogorov_table():
    return [{"x": x, "sf": float(special.kolmogorov(x))}
            for x in [0.05, 0.2, 0.4, 0.6, 0.8, 1.0, 1.1, 1.18, 1.2, 1.5, 2.0, 3.0, 5.0]]


def main():
    versions = {"numpy": np.__version__, "scipy": scipy.__version__}
    with open(os.path.join(HERE, "drift-cases.json"), "w") as f:
        json.dump({"made_by": "make_fixtures.py", "versions": versions, "cases": cases(),
                   "kolmogorov_sf": kolmogorov_table()}, f, indent=1)
        f.write("\n")
    with open(os.path.join(HERE, "sample-report.json"), "w") as f:
        json.dump(dict(made_by="make_fixtures.py", versions=versions, **sample_report()), f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
