"""Write ../data/pings-drifted.csv: a "current" sample for the drift report, with known drift.

    /usr/bin/python3 examples/whatsup-logistics/notebook/make_drifted_pings.py

2,000 pings from the same generator as the training data (generate_data.generate, seed 21),
then five documented changes, each drawn from its own seeded generator (seed 2100):

1. congestion: moving trucks (speed > 3 km/h) drive 25 % slower (speed_kmh * 0.75);
2. telematics outage: 15 % of rows get a long ping gap, 5 + Exp(mean 90) minutes, capped at 1440;
3. dispatch bug: distance_to_destination_km is missing in 20 % of rows (3 % in the reference);
4. a new road class: 3 % of rows have road_type "ferry", which the contract does not declare;
5. sensor glitch: 1 % of rows report speed_kmh 200, above the contract's 160.

in_geofence, hour_of_day, driver_hours_today, ignition_on and distance_to_nearest_depot_km
are left alone, so the report shows drifted and stable features side by side.
stall_probability is what the research model (stall-detector version 1, XGBoost model.json)
predicts for each changed row (a "ferry" row is scored with road_type missing), written like
reference.csv: same columns, same number formats.
"""
import csv
import os
import sys

import numpy as np
import xgboost as xgb

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from generate_data import FEATURES, MINUTES_CAP, format_value, generate  # noqa: E402

SAMPLE = os.path.dirname(HERE)
N, SEED, SHIFT_SEED = 2000, 21, 2100
COL = {name: i for i, name in enumerate(FEATURES)}


def drift(X):
    rng = np.random.default_rng(SHIFT_SEED)
    X = X.copy()
    n = len(X)
    speed = X[:, COL["speed_kmh"]]
    moving = speed > 3.0
    X[:, COL["speed_kmh"]] = np.where(moving, np.round(speed * 0.75 * 16) / 16, speed)

    outage = rng.random(n) < 0.15
    gap = np.minimum(5.0 + rng.exponential(90.0, n), MINUTES_CAP)
    X[:, COL["minutes_since_last_ping"]] = np.where(
        outage, np.round(gap * 64) / 64, X[:, COL["minutes_since_last_ping"]])

    no_dest = rng.random(n) < 0.20
    X[:, COL["distance_to_destination_km"]] = np.where(no_dest, np.nan, X[:, COL["distance_to_destination_km"]])

    ferry = rng.random(n) < 0.03
    glitch = rng.random(n) < 0.01
    X[:, COL["speed_kmh"]] = np.where(glitch, 200.0, X[:, COL["speed_kmh"]])
    return X, ferry


def main():
    X, _ = generate(N, SEED)
    X, ferry = drift(X)
    booster = xgb.Booster()
    booster.load_model(os.path.join(SAMPLE, "models", "stall-detector", "1", "model.json"))
    scored = X.copy()
    scored[ferry, COL["road_type"]] = np.nan
    d = xgb.DMatrix(scored.astype(np.float32), missing=np.nan, feature_names=FEATURES)
    prob = booster.predict(d)
    out = os.path.join(SAMPLE, "data", "pings-drifted.csv")
    with open(out, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(FEATURES + ["stall_probability"])
        for row, p, is_ferry in zip(X, prob, ferry):
            cells = [format_value(name, v) for name, v in zip(FEATURES, row)]
            if is_ferry:
                cells[COL["road_type"]] = "ferry"
            w.writerow(cells + [repr(float(p))])
    print("wrote %s: %d rows, %d ferry, %d missing destinations" % (
        out, N, int(ferry.sum()), int(np.isnan(X[:, COL["distance_to_destination_km"]]).sum())))


if __name__ == "__main__":
    main()
