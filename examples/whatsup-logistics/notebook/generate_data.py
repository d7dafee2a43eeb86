"""Seeded synthetic telematics pings for the WhatsUp Logistics stall-detection sample.

One row per ping, ten features in the column order of FEATURES, plus a 0/1 label
`stalled`.  Everything is driven by numpy's PCG64 generator seeded by the caller,
so generate(n, seed) always returns identical arrays.

All continuous values are quantised to binary fractions (speed to 1/16 km/h,
minutes and hours to 1/64, distances to 1/256 km).  Such values are exactly
representable as float32, so the numbers the model sees as FP32, as FP64 (rules)
and as printed text (repr) are all the same number.

Usage as a script:  python3 generate_data.py [n] [seed]   -> CSV on stdout
"""
import sys

import numpy as np

FEATURES = [
    "speed_kmh",
    "minutes_since_last_move",
    "minutes_since_last_ping",
    "distance_to_destination_km",
    "distance_to_nearest_depot_km",
    "in_geofence",
    "hour_of_day",
    "driver_hours_today",
    "ignition_on",
    "road_type",
]
ROAD_TYPES = ["highway", "urban", "rural", "yard"]  # code = list index

MINUTES_CAP = 1440.0
DISTANCE_CAP = 2000.0
MISSING_DESTINATION_RATE = 0.03


def _q(values, step):
    """Round to a multiple of 1/step (exactly representable in float32)."""
    return np.round(values * step) / step


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def generate(n, seed):
    """Return (X, y): X float64 [n, 10] (NaN = missing), y int64 [n] (1 = stalled)."""
    rng = np.random.default_rng(seed)

    road = rng.choice(4, size=n, p=[0.45, 0.30, 0.17, 0.08])
    moving = rng.random(n) < np.where(road == 3, 0.25, 0.62)

    # --- speed and time since last movement ---------------------------------
    cruise_mean = np.array([88.0, 38.0, 62.0, 9.0])[road]
    cruise_sd = np.array([14.0, 12.0, 15.0, 4.0])[road]
    cruise = rng.normal(cruise_mean, cruise_sd)
    fast = rng.random(n) < 0.004  # a few sensor spikes at the top of the range
    cruise = np.where(fast, 160.0, cruise)
    creep = np.where(rng.random(n) < 0.75, 0.0, rng.uniform(0.0, 3.0, n))  # GPS jitter when parked
    speed = np.clip(np.where(moving, np.maximum(cruise, 3.5), creep), 0.0, 160.0)

    stop_len = np.where(
        rng.random(n) < 0.7,
        rng.exponential(25.0, n),  # short stops (traffic, deliveries)
        rng.lognormal(np.log(120.0), 1.0, n),  # long stops (rest, breakdowns)
    )
    msm = np.where(moving, 0.0, np.minimum(stop_len, MINUTES_CAP))

    # --- pings: normally every 1-5 minutes, some units go silent -------------
    silent = rng.random(n) < np.where(moving, 0.02, 0.07)
    ping = np.where(
        silent,
        np.minimum(5.0 + rng.exponential(90.0, n), MINUTES_CAP),
        rng.uniform(0.0, 5.0, n),
    )

    # --- geography ------------------------------------------------------------
    in_fence = rng.random(n) < np.where(moving, 0.04, np.where(road == 3, 0.9, 0.42))
    depot = rng.lognormal(np.log(25.0), 1.3, n)
    depot = np.where(in_fence & (rng.random(n) < 0.5), rng.uniform(0.0, 0.5, n), depot)
    depot = np.minimum(depot, DISTANCE_CAP)
    dest = np.minimum(rng.lognormal(np.log(60.0), 1.4, n), DISTANCE_CAP)
    no_dest = rng.random(n) < MISSING_DESTINATION_RATE

    # --- clock and driver -------------------------------------------------------
    hour = rng.choice(24, size=n, p=_hour_weights())
    hours_since_start = (hour - 5) % 24
    driver = np.clip(hours_since_start * 0.75 + rng.normal(0.0, 1.5, n), 0.0, 16.0)
    ignition = np.where(moving, rng.random(n) < 0.998, rng.random(n) < 0.5)

    # --- label --------------------------------------------------------------------
    night = (hour >= 22) | (hour <= 5)
    tired = driver > 9.0
    dest_term = np.where(no_dest, -0.6, 0.35 * np.log1p(np.nan_to_num(dest) / 10.0))
    z = (
        -5.4
        + 3.2 * _sigmoid((msm - 45.0) / 12.0)
        + 0.8 * np.log1p(msm / 240.0)
        + 1.5 * (~in_fence)
        + 0.45 * np.log1p(depot / 10.0)
        + dest_term
        + 1.1 * (ignition & ~moving)
        + 1.9 * _sigmoid((ping - 30.0) / 8.0)
        - 2.2 * (night & tired)
        - 0.7 * night
        - 2.5 * moving
        - 0.8 * (road == 3)
        + rng.normal(0.0, 0.6, n)
    )
    y = (rng.random(n) < _sigmoid(z)).astype(np.int64)
    flip = rng.random(n) < 0.005  # label noise: dispatchers mis-confirm a few alerts
    y = np.where(flip, 1 - y, y)

    X = np.column_stack([
        _q(speed, 16),
        _q(msm, 64),
        _q(ping, 64),
        np.where(no_dest, np.nan, _q(dest, 256)),
        _q(depot, 256),
        in_fence.astype(np.float64),
        hour.astype(np.float64),
        _q(driver, 64),
        ignition.astype(np.float64),
        road.astype(np.float64),
    ])
    assert np.array_equal(np.isnan(X), np.isnan(X.astype(np.float32).astype(np.float64)))
    assert np.array_equal(X[~np.isnan(X)], X.astype(np.float32).astype(np.float64)[~np.isnan(X)])
    return X, y


def _hour_weights():
    w = np.array([0.5, 0.4, 0.4, 0.4, 0.6, 1.0, 1.6, 2.0, 2.0, 2.0, 2.0, 2.0,
                  1.8, 2.0, 2.0, 2.0, 2.0, 1.8, 1.5, 1.2, 1.0, 0.8, 0.7, 0.6])
    return w / w.sum()


def format_value(name, value):
    """Text for one cell: empty for missing, road type by name, ints for flags/hour."""
    if np.isnan(value):
        return ""
    if name == "road_type":
        return ROAD_TYPES[int(value)]
    if name in ("in_geofence", "ignition_on", "hour_of_day"):
        return str(int(value))
    return repr(float(np.float32(value)))


def main(argv):
    import csv
    n = int(argv[1]) if len(argv) > 1 else 20
    seed = int(argv[2]) if len(argv) > 2 else 7
    X, y = generate(n, seed)
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(FEATURES + ["stalled"])
    for row, label in zip(X, y):
        w.writerow([format_value(f, v) for f, v in zip(FEATURES, row)] + [int(label)])


if __name__ == "__main__":
    main(sys.argv)
