"""Train the WhatsUp Logistics stall models and write every committed artifact.

    /usr/bin/python3 examples/whatsup-logistics/notebook/train.py

regenerates, deterministically (fixed seeds, single-threaded training):

    data/pings.csv
    models/stall-detector/1/         XGBoost JSON (research model)
    models/stall-detector/2/         the same trees exported to ONNX by to_onnx_trees()
    models/stall-detector-logreg/1/  StandardScaler + LogisticRegression exported to ONNX
    models/stall-rules/1/            CEL rules fallback

each with model.yaml (manifest), golden.csv and reference.csv.
"""
import csv
import hashlib
import json
import math
import os
import re
import sys

import numpy as np
import onnx
import sklearn
import xgboost as xgb
import yaml
from onnx import TensorProto, helper, numpy_helper
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, roc_auc_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from generate_data import FEATURES, ROAD_TYPES, format_value, generate  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLE = os.path.dirname(HERE)
MODELS = os.path.join(SAMPLE, "models")

TRAIN_SEED, VALID_SEED, HOLDOUT_SEED = 7, 8, 9
N_TRAIN, N_VALID, N_HOLDOUT = 20000, 5000, 5000
N_REFERENCE = 2000
N_PINGS_SAMPLE = 1000
DEST = FEATURES.index("distance_to_destination_km")

XGB_PARAMS = {
    "objective": "binary:logistic",
    "eval_metric": "logloss",
    "max_depth": 4,
    "eta": 0.1,
    "min_child_weight": 1.0,
    "tree_method": "hist",
    "max_bin": 256,
    "nthread": 1,
    "seed": 7,
}
XGB_ROUNDS = 100
ONNX_OPSET, ONNX_ML_OPSET, ONNX_IR_VERSION = 15, 3, 8

XGB_DESCRIPTION = ("Gradient-boosted trees that flag stalled trucks from telematics pings "
                   "(research model, notebook 2026-11).")


# --------------------------------------------------------------------------- helpers
def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def choose_threshold(y, p):
    """Decision threshold maximising F1 on the validation set (grid 0.05..0.95, step 0.01)."""
    grid = np.round(np.arange(0.05, 0.951, 0.01), 2)
    scores = [f1_score(y, (p >= t).astype(int)) for t in grid]
    return float(grid[int(np.argmax(scores))])


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


# --------------------------------------------------------------------------- XGBoost
def train_xgb(X, y, base_score):
    params = dict(XGB_PARAMS, base_score=base_score)
    d = xgb.DMatrix(X.astype(np.float32), label=y, missing=np.nan, feature_names=FEATURES)
    return xgb.train(params, d, num_boost_round=XGB_ROUNDS)


def predict_xgb(booster, X):
    d = xgb.DMatrix(X.astype(np.float32), missing=np.nan, feature_names=FEATURES)
    return booster.predict(d)  # float32 probabilities


def to_onnx_trees(model_json_path, out_path):
    """Convert a saved binary:logistic XGBoost JSON model to an ONNX TreeEnsembleRegressor graph."""
    with open(model_json_path) as f:
        model = json.load(f)
    learner = model["learner"]
    assert learner["objective"]["name"] == "binary:logistic"
    assert learner["feature_names"] == FEATURES
    base_score = float(learner["learner_model_param"]["base_score"])
    base_margin = math.log(base_score / (1.0 - base_score))

    ids, nids, feats, modes, values, trues, falses, missing_true = [], [], [], [], [], [], [], []
    t_tree, t_node, t_id, t_weight = [], [], [], []
    trees = learner["gradient_booster"]["model"]["trees"]
    for tree_id, tree in enumerate(trees):
        assert tree["id"] == tree_id and not tree["categories"]
        assert int(tree["tree_param"]["num_deleted"]) == 0
        left, right = tree["left_children"], tree["right_children"]
        for node in range(len(left)):
            ids.append(tree_id)
            nids.append(node)
            if left[node] == -1:  # leaf: its value is stored in split_conditions
                feats.append(0)
                modes.append("LEAF")
                values.append(0.0)
                trues.append(0)
                falses.append(0)
                missing_true.append(0)
                t_tree.append(tree_id)
                t_node.append(node)
                t_id.append(0)
                t_weight.append(float(np.float32(tree["split_conditions"][node])))
            else:
                assert tree["split_type"][node] == 0
                feats.append(int(tree["split_indices"][node]))
                modes.append("BRANCH_LT")  # XGBoost: x < split_condition -> left ("yes") child
                values.append(float(np.float32(tree["split_conditions"][node])))
                trues.append(int(left[node]))
                falses.append(int(right[node]))
                missing_true.append(1 if tree["default_left"][node] else 0)

    trees_node = helper.make_node(
        "TreeEnsembleRegressor", ["input"], ["margin"], name="xgboost_trees", domain="ai.onnx.ml",
        n_targets=1, aggregate_function="SUM", post_transform="NONE",
        base_values=[float(np.float32(base_margin))],
        nodes_treeids=ids, nodes_nodeids=nids, nodes_featureids=feats, nodes_modes=modes,
        nodes_values=values, nodes_truenodeids=trues, nodes_falsenodeids=falses,
        nodes_missing_value_tracks_true=missing_true,
        target_treeids=t_tree, target_nodeids=t_node, target_ids=t_id, target_weights=t_weight,
    )
    graph = _binary_head(
        [trees_node], "margin", [],
        "stall-detector: XGBoost binary:logistic trees (%d trees) exported by the Slipway notebook" % len(trees),
    )
    return _save_model(graph, out_path, "XGBoost %s trees, base_score %r; input columns: %s"
                       % (xgb.__version__, base_score, ", ".join(FEATURES)))


def _binary_head(nodes, margin_name, initializers, graph_name):
    """margin [N,1] -> Sigmoid -> probabilities [N,2] = [1-p, p], label = ArgMax [N]."""
    initializers = list(initializers) + [numpy_helper.from_array(np.array([1.0], np.float32), "one")]
    nodes = list(nodes) + [
        helper.make_node("Sigmoid", [margin_name], ["p"], name="sigmoid"),
        helper.make_node("Sub", ["one", "p"], ["q"], name="one_minus_p"),
        helper.make_node("Concat", ["q", "p"], ["probabilities"], name="concat", axis=1),
        helper.make_node("ArgMax", ["probabilities"], ["label"], name="argmax", axis=1, keepdims=0),
    ]
    inputs = [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", len(FEATURES)])]
    outputs = [
        helper.make_tensor_value_info("label", TensorProto.INT64, ["N"]),
        helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["N", 2]),
    ]
    value_info = [helper.make_tensor_value_info(name, TensorProto.FLOAT, ["N", 1]) for name in (margin_name, "p", "q")]
    return helper.make_graph(nodes, graph_name.split(":")[0], inputs, outputs, initializers,
                             doc_string=graph_name, value_info=value_info)


def _save_model(graph, out_path, doc):
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", ONNX_OPSET), helper.make_opsetid("ai.onnx.ml", ONNX_ML_OPSET)],
        producer_name="slipway-notebook",
        producer_version="1",
        doc_string=doc,
    )
    model.ir_version = ONNX_IR_VERSION
    onnx.checker.check_model(model, full_check=True)
    onnx.shape_inference.infer_shapes(model, check_type=True, strict_mode=True)
    with open(out_path, "wb") as f:
        f.write(model.SerializeToString())
    return model


def eval_onnx_trees(model, X):
    """Reference evaluation of the exported TreeEnsembleRegressor in numpy (ONNX-ML semantics)."""
    node = next(n for n in model.graph.node if n.op_type == "TreeEnsembleRegressor")
    a = {attr.name: helper.get_attribute_value(attr) for attr in node.attribute}
    modes = [m.decode() for m in a["nodes_modes"]]
    index = {(t, n): i for i, (t, n) in enumerate(zip(a["nodes_treeids"], a["nodes_nodeids"]))}
    weight = {(t, n): w for t, n, w in zip(a["target_treeids"], a["target_nodeids"], a["target_weights"])}
    values = np.array(a["nodes_values"], np.float32)
    roots = sorted(set(a["nodes_treeids"]))
    X32 = X.astype(np.float32)
    margins = np.empty(len(X), np.float64)
    for r, row in enumerate(X32):
        total = float(a["base_values"][0])
        for t in roots:
            i = index[(t, 0)]
            while modes[i] != "LEAF":
                assert modes[i] == "BRANCH_LT"
                x = row[a["nodes_featureids"][i]]
                if np.isnan(x):
                    go_true = a["nodes_missing_value_tracks_true"][i] == 1
                else:
                    go_true = bool(x < values[i])
                nxt = a["nodes_truenodeids"][i] if go_true else a["nodes_falsenodeids"][i]
                i = index[(t, nxt)]
            total += float(np.float32(weight[(t, a["nodes_nodeids"][i])]))
        margins[r] = total
    return sigmoid(margins)


# --------------------------------------------------------------------------- logistic challenger
def impute(X, default):
    X = X.copy()
    X[np.isnan(X[:, DEST]), DEST] = default
    return X


def to_onnx_logreg(pipe, out_path):
    scaler, lr = pipe.named_steps["scale"], pipe.named_steps["logreg"]
    inits = [
        numpy_helper.from_array(scaler.mean_.astype(np.float32), "mean"),
        numpy_helper.from_array(scaler.scale_.astype(np.float32), "scale"),
        numpy_helper.from_array(lr.coef_.T.astype(np.float32), "coef"),
        numpy_helper.from_array(lr.intercept_.astype(np.float32), "intercept"),
    ]
    nodes = [
        helper.make_node("Sub", ["input", "mean"], ["centered"], name="center"),
        helper.make_node("Div", ["centered", "scale"], ["scaled"], name="scale"),
        helper.make_node("MatMul", ["scaled", "coef"], ["linear"], name="matmul"),
        helper.make_node("Add", ["linear", "intercept"], ["margin"], name="add_intercept"),
    ]
    graph = _binary_head(nodes, "margin", inits,
                         "stall-detector-logreg: StandardScaler + LogisticRegression exported by the Slipway notebook")
    return _save_model(graph, out_path, "scikit-learn %s Pipeline(StandardScaler, LogisticRegression(C=1.0)); "
                       "input columns: %s; missing values must be imputed before the model"
                       % (sklearn.__version__, ", ".join(FEATURES)))


def eval_onnx_logreg(model, X):
    """Reference float32 evaluation of the exported logistic graph in numpy."""
    w = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
    z = ((X.astype(np.float32) - w["mean"]) / w["scale"]) @ w["coef"] + w["intercept"]
    return (np.float32(1.0) / (np.float32(1.0) + np.exp(-z)))[:, 0].astype(np.float64)


# --------------------------------------------------------------------------- rules fallback
RULES_YAML = """\
# Rules fallback for the WhatsUp Logistics stall detector (stall-rules, version 1).
#
# Served when the model path fails. The platform evaluates each `when` expression with
# Google CEL (Common Expression Language) against one row of features:
#   * every variable is a double: in_geofence and ignition_on are 0.0/1.0, road_type is its
#     code (highway 0.0, urban 1.0, rural 2.0, yard 3.0), hour_of_day is 0.0..23.0;
#   * numeric literals always carry a decimal point (CEL does not compare int with double);
#   * a missing value (distance_to_destination_km is nullable) is NaN, so every <, <=, >, >=
#     and == on it is false. The rules only use it in a `>` comparison, so a missing
#     destination never makes a rule match.
# The first rule whose `when` is true gives the score (top to bottom); no match gives
# default-score. The score is the stall probability (FP64); stalled = score >= 0.5.
# Generated by examples/whatsup-logistics/notebook/train.py; golden.csv was produced by the
# Python implementation of the same rules in that script.
input:
  name: input
  columns: [speed_kmh, minutes_since_last_move, minutes_since_last_ping, distance_to_destination_km, distance_to_nearest_depot_km, in_geofence, hour_of_day, driver_hours_today, ignition_on, road_type]
output:
  name: probability
rules:            # first matching rule wins, top to bottom
  # The dispatchers' rule of thumb: parked for more than 45 minutes outside any known fence
  # with the engine running.
  - name: stationary-outside-geofence-ignition-on
    when: "minutes_since_last_move > 45.0 && in_geofence == 0.0 && ignition_on == 1.0"
    score: 0.9
  # The unit has been silent for half an hour while the truck was standing outside a fence.
  - name: silent-unit-outside-geofence
    when: "minutes_since_last_ping > 30.0 && speed_kmh < 3.0 && in_geofence == 0.0"
    score: 0.7
  # A long stop away from any depot during the working day (night stops are usually rest breaks).
  - name: long-stop-far-from-depot-daytime
    when: "minutes_since_last_move > 120.0 && in_geofence == 0.0 && distance_to_nearest_depot_km > 10.0 && hour_of_day >= 6.0 && hour_of_day < 22.0"
    score: 0.6
  # A shorter stop outside a fence while still far from the destination: worth a look, not an alert.
  - name: stop-outside-geofence-far-from-destination
    when: "minutes_since_last_move > 20.0 && in_geofence == 0.0 && distance_to_destination_km > 5.0"
    score: 0.3
default-score: 0.05
"""

_CEL_TOKEN = re.compile(r"\s*(?:(\d+\.\d+)|([A-Za-z_][A-Za-z_0-9]*)|(&&|\|\||<=|>=|==|!=|[!<>+\-*/()]))")


def cel_to_python(expr, columns):
    """Translate the CEL subset used by rules.yaml into a Python expression (IEEE NaN semantics)."""
    out, pos = [], 0
    expr = expr.rstrip()
    while pos < len(expr):
        m = _CEL_TOKEN.match(expr, pos)
        if not m:
            raise ValueError("unsupported CEL at %r" % expr[pos:])
        number, name, op = m.groups()
        if number is not None:
            out.append(number)
        elif name is not None:
            if name not in columns:
                raise ValueError("unknown variable %s" % name)
            out.append("v[%r]" % name)
        else:
            out.append({"&&": "and", "||": "or", "!": "not"}.get(op, op))
        pos = m.end()
    return " ".join(out)


class Rules:
    def __init__(self, text):
        spec = yaml.safe_load(text)
        self.columns = spec["input"]["columns"]
        assert self.columns == FEATURES
        self.default = float(spec["default-score"])
        self.rules = [(r["name"], compile(cel_to_python(r["when"], self.columns), r["name"], "eval"),
                       float(r["score"])) for r in spec["rules"]]

    def score(self, X):
        out = np.empty(len(X), np.float64)
        for i, row in enumerate(X):
            v = {c: float(x) for c, x in zip(self.columns, row)}
            out[i] = next((s for _, code, s in self.rules if eval(code, {"__builtins__": {}}, {"v": v})),
                          self.default)
        return out


# --------------------------------------------------------------------------- golden rows
def _row(speed, msm, ping, dest, depot, fence, hour, driver, ign, road):
    return [speed, msm, ping, np.nan if dest is None else dest, depot, fence, hour, driver, ign,
            ROAD_TYPES.index(road)]


HANDMADE_GOLDEN = [
    # clear stall: parked 4 h outside a fence, engine running, far from everything
    _row(0.0, 240.0, 2.0, 180.0, 95.0, 0, 14, 6.0, 1, "highway"),
    # clear stall: unit silent for a day, standing for 10 h on a rural road
    _row(0.0, 600.0, 1440.0, 420.0, 300.0, 0, 10, 4.5, 0, "rural"),
    # top speed on the highway
    _row(160.0, 0.0, 1.0, 350.0, 60.0, 0, 15, 5.0, 1, "highway"),
    # midnight rest break of a tired driver, ignition off
    _row(0.0, 90.0, 3.0, 200.0, 150.0, 0, 0, 11.5, 0, "highway"),
    # 23:00 inside a rest-area fence
    _row(0.0, 45.0, 4.0, 80.0, 40.0, 1, 23, 10.0, 0, "rural"),
    # parked in the depot yard, no destination assigned
    _row(0.0, 180.0, 2.0, None, 0.0, 1, 8, 1.0, 1, "yard"),
    # short urban delivery stop at a customer fence
    _row(0.0, 12.0, 2.0, 5.0, 8.0, 1, 11, 4.0, 1, "urban"),
    # a full day without moving, no destination, at the distance cap
    _row(0.0, 1440.0, 30.0, None, 2000.0, 0, 3, 0.0, 1, "rural"),
    # moving in town without a destination
    _row(35.5, 0.0, 1.5, None, 12.0, 0, 9, 3.25, 1, "urban"),
    # crawling across the yard
    _row(8.0, 0.0, 2.0, 1.5, 0.25, 1, 6, 0.5, 1, "yard"),
    # exactly on the rules' 45-minute boundary (45.0 > 45.0 is false) ...
    _row(0.0, 45.0, 2.0, 30.0, 30.0, 0, 13, 5.0, 1, "urban"),
    # ... and one 64th of a minute past it
    _row(0.0, 45.015625, 2.0, 30.0, 30.0, 0, 13, 5.0, 1, "urban"),
    # at the destination, far from the depot, driver at the 16 h limit
    _row(0.0, 60.0, 5.0, 0.0, 2000.0, 0, 12, 16.0, 1, "highway"),
    # 23:00, long stop with ignition on and the driver at the limit
    _row(0.0, 300.0, 3.0, 500.0, 250.0, 0, 23, 16.0, 1, "highway"),
    # all zeros
    _row(0.0, 0.0, 0.0, 0.0, 0.0, 0, 0, 0.0, 0, "highway"),
    # moving truck whose unit has been silent for two hours
    _row(72.5, 0.0, 120.0, 90.0, 45.0, 0, 17, 7.0, 1, "rural"),
    # long daytime stop far from a depot with the ignition off (rules: long-stop-far-from-depot-daytime)
    _row(0.0, 200.0, 2.0, 150.0, 50.0, 0, 14, 5.0, 0, "highway"),
    # half-hour stop outside a fence, no destination: NaN > 5.0 is false, so no rule matches ...
    _row(0.0, 30.0, 2.0, None, 20.0, 0, 10, 3.0, 1, "urban"),
    # ... and the same stop with a destination 20 km away (rules: stop-outside-geofence-far-from-destination)
    _row(0.0, 30.0, 2.0, 20.0, 20.0, 0, 10, 3.0, 1, "urban"),
]


def pick_holdout_golden(X, p_xgb, count=24):
    """Deterministic, varied selection: confident stalls, missing destinations, the rest spread by score."""
    order = np.argsort(-p_xgb, kind="stable")
    chosen = list(order[:6:1])                                     # the strongest stalls
    chosen += [i for i in np.flatnonzero(np.isnan(X[:, DEST])) if i not in chosen][:3]  # missing destination
    ranks = np.linspace(6, len(order) - 1, count - len(chosen)).astype(int)
    chosen += [order[r] for r in ranks if order[r] not in chosen]  # spread over the score range
    return sorted(set(int(i) for i in chosen))[:count]


# --------------------------------------------------------------------------- writers
def write_rows(path, X, prob, threshold=None):
    header = FEATURES + ["stall_probability"] + (["stalled"] if threshold is not None else [])
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for row, p in zip(X, prob):
            cells = [format_value(name, v) for name, v in zip(FEATURES, row)] + [repr(float(p))]
            if threshold is not None:
                cells.append("true" if p >= threshold else "false")
            w.writerow(cells)


FEATURE_SPECS = {
    "speed_kmh": dict(type="float", unit="km/h", min=0, max=160, description="current GPS speed"),
    "minutes_since_last_move": dict(type="float", unit="min", min=0, max=1440,
                                    description="minutes since the speed last exceeded 3 km/h"),
    "minutes_since_last_ping": dict(type="float", unit="min", min=0, max=1440,
                                    description="minutes since the unit's previous ping; a silent unit is itself a signal"),
    "distance_to_destination_km": dict(type="float", unit="km", min=0, max=20000, nullable=True,
                                       description="road distance to the assigned destination; missing when the truck has no destination"),
    "distance_to_nearest_depot_km": dict(type="float", unit="km", min=0, max=20000,
                                         description="distance to the nearest company depot"),
    "in_geofence": dict(type="bool", description="1 when inside a known depot, customer or rest-area geofence"),
    "hour_of_day": dict(type="int", min=0, max=23, description="local hour of the ping"),
    "driver_hours_today": dict(type="float", unit="h", min=0, max=16,
                               description="hours of service the driver has used today"),
    "ignition_on": dict(type="bool", description="1 when the engine ignition is on"),
    "road_type": dict(type="categorical", description="road class at the truck's position"),
}


def write_manifest(path, name, version, fmt, description, artifact, tensor_datatype, output, tolerance,
                   nullable_comment, default=None):
    lines = [
        "# Generated by examples/whatsup-logistics/notebook/train.py - do not edit by hand.",
        "name: %s" % name,
        "version: %d" % version,
        "format: %s" % fmt,
        "description: %s" % description,
        "artifact:",
        "  file: %s" % artifact,
        "  sha256: %s" % sha256(os.path.join(os.path.dirname(path), artifact)),
        "features:",
    ]
    for feat in FEATURES:
        spec = FEATURE_SPECS[feat]
        lines.append("  - name: %s" % feat)
        lines.append("    type: %s" % spec["type"])
        for key in ("unit", "min", "max"):
            if key in spec:
                lines.append("    %s: %s" % (key, spec[key]))
        if spec.get("nullable"):
            lines.append("    nullable: true          # %s" % nullable_comment)
            if default is not None:
                lines.append("    default: %r" % default)
        if spec["type"] == "categorical":
            lines.append("    categories: {%s}" % ", ".join("%s: %d" % (c, i) for i, c in enumerate(ROAD_TYPES)))
        lines.append("    description: %s" % spec["description"])
    lines += [
        "tensors:",
        "  - name: input",
        "    datatype: %s" % tensor_datatype,
        "    columns: [%s]" % ", ".join(FEATURES),
        "outputs:",
        "  - name: stall_probability",
        "    from: %s" % output["from"],
    ]
    if "column" in output:
        lines.append("    column: %d" % output["column"])
    lines += [
        "    datatype: %s" % output["datatype"],
        "    kind: probability",
        "    description: probability that the truck is stalled",
        "    threshold: %r" % output["threshold"],
        "    decision: stalled",
        "golden:",
        "  file: golden.csv",
        "  tolerance: %s" % tolerance,
        "reference:",
        "  file: reference.csv",
        "slo:",
        "  p99-latency-ms: 25",
        "  max-error-rate: 0.001",
        "owners:",
        "  team: fleet-data-science",
        "  on-call: fleet-oncall@whatsup-logistics.example",
        "retraining:",
        "  cadence: P30D",
        "  trigger: sustained drift on any feature or on stall_probability",
    ]
    text = "\n".join(lines) + "\n"
    parsed = yaml.safe_load(text)  # sanity: the manifest is valid YAML with the intended values
    assert parsed["name"] == name and parsed["version"] == version and len(parsed["features"]) == 10
    with open(path, "w") as f:
        f.write(text)


# --------------------------------------------------------------------------- main
def main():
    X_train, y_train = generate(N_TRAIN, TRAIN_SEED)
    X_valid, y_valid = generate(N_VALID, VALID_SEED)
    X_hold, y_hold = generate(N_HOLDOUT, HOLDOUT_SEED)
    stats = {"positive_rate_train": float(y_train.mean()), "positive_rate_holdout": float(y_hold.mean()),
             "missing_destination_train": float(np.isnan(X_train[:, DEST]).mean())}

    # ---- sample of raw pings for demos
    os.makedirs(os.path.join(SAMPLE, "data"), exist_ok=True)
    with open(os.path.join(SAMPLE, "data", "pings.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(FEATURES + ["stalled"])
        for row, label in zip(X_train[:N_PINGS_SAMPLE], y_train[:N_PINGS_SAMPLE]):
            w.writerow([format_value(n, v) for n, v in zip(FEATURES, row)] + [int(label)])

    # ---- XGBoost research model (version 1)
    base_score = round(float(y_train.mean()), 4)
    booster = train_xgb(X_train, y_train, base_score)
    v1 = os.path.join(MODELS, "stall-detector", "1")
    v2 = os.path.join(MODELS, "stall-detector", "2")
    os.makedirs(v1, exist_ok=True)
    os.makedirs(v2, exist_ok=True)
    booster.save_model(os.path.join(v1, "model.json"))
    booster = xgb.Booster(model_file=os.path.join(v1, "model.json"))  # score with exactly what was saved
    booster.set_param({"nthread": 1})
    xgb_threshold = choose_threshold(y_valid, predict_xgb(booster, X_valid))
    p_hold_xgb = predict_xgb(booster, X_hold)
    stats["auc_xgb_holdout"] = float(roc_auc_score(y_hold, p_hold_xgb))
    stats["xgb_threshold"] = xgb_threshold
    stats["xgb_trees"] = len(booster.get_dump())

    # ---- logistic challenger
    median = round(float(np.nanmedian(X_train[:, DEST])), 3)
    pipe = Pipeline([("scale", StandardScaler()), ("logreg", LogisticRegression(C=1.0, max_iter=1000))])
    pipe.fit(impute(X_train, median), y_train)
    lr_prob = lambda X: pipe.predict_proba(impute(X, median))[:, 1]  # noqa: E731
    lr_threshold = choose_threshold(y_valid, lr_prob(X_valid))
    p_hold_lr = lr_prob(X_hold)
    stats["auc_logreg_holdout"] = float(roc_auc_score(y_hold, p_hold_lr))
    stats["logreg_threshold"] = lr_threshold
    stats["logreg_median_default"] = median

    # ---- rules
    rules = Rules(RULES_YAML)
    rules_threshold = 0.5
    p_hold_rules = rules.score(X_hold)
    stats["auc_rules_holdout"] = float(roc_auc_score(y_hold, p_hold_rules))

    # ---- golden rows: hand-made edge cases + a varied holdout selection, none within 1e-4 of a threshold
    candidates = pick_holdout_golden(X_hold, p_hold_xgb)
    golden = np.array(HANDMADE_GOLDEN + [list(X_hold[i]) for i in candidates], np.float64)
    p_g_xgb, p_g_lr, p_g_rules = predict_xgb(booster, golden), lr_prob(golden), rules.score(golden)
    keep = ((np.abs(p_g_xgb - xgb_threshold) > 1e-4) & (np.abs(p_g_lr - lr_threshold) > 1e-4)
            & (np.abs(p_g_rules - rules_threshold) > 1e-4))
    assert keep[:len(HANDMADE_GOLDEN)].all(), "a hand-made golden row sits on a threshold"
    golden, p_g_xgb, p_g_lr, p_g_rules = golden[keep], p_g_xgb[keep], p_g_lr[keep], p_g_rules[keep]
    assert np.isnan(golden[:, DEST]).sum() >= 3
    reference = X_hold[:N_REFERENCE]

    # ---- version 1: XGBoost JSON
    write_rows(os.path.join(v1, "golden.csv"), golden, p_g_xgb, xgb_threshold)
    write_rows(os.path.join(v1, "reference.csv"), reference, p_hold_xgb[:N_REFERENCE])
    write_manifest(os.path.join(v1, "model.yaml"), "stall-detector", 1, "xgboost", XGB_DESCRIPTION,
                   "model.json", "FP32",
                   {"from": "prediction", "datatype": "FP32", "threshold": xgb_threshold}, "1.0e-6",
                   "missing values are allowed (the model handles them)")

    # ---- version 2: the same trees as ONNX
    onnx_trees = to_onnx_trees(os.path.join(v1, "model.json"), os.path.join(v2, "model.onnx"))
    p_check = eval_onnx_trees(onnx_trees, golden)
    err = np.abs(p_check - p_g_xgb)
    assert err.max() <= 1e-6, err.max()
    p_check_ref = eval_onnx_trees(onnx_trees, reference)
    assert np.abs(p_check_ref - p_hold_xgb[:N_REFERENCE]).max() <= 1e-6
    stats["onnx_trees_max_abs_error_vs_xgboost"] = float(max(err.max(), np.abs(p_check_ref - p_hold_xgb[:N_REFERENCE]).max()))
    write_rows(os.path.join(v2, "golden.csv"), golden, p_g_xgb, xgb_threshold)
    write_rows(os.path.join(v2, "reference.csv"), reference, p_hold_xgb[:N_REFERENCE])
    write_manifest(os.path.join(v2, "model.yaml"), "stall-detector", 2, "onnx",
                   "The version 1 gradient-boosted trees exported to ONNX (TreeEnsembleRegressor + Sigmoid) "
                   "by the notebook's own converter; same predictions, no XGBoost runtime needed.",
                   "model.onnx", "FP32",
                   {"from": "probabilities", "column": 1, "datatype": "FP32", "threshold": xgb_threshold},
                   "1.0e-5", "missing values are allowed (the model handles them)")

    # ---- logistic challenger as ONNX
    lr_dir = os.path.join(MODELS, "stall-detector-logreg", "1")
    os.makedirs(lr_dir, exist_ok=True)
    onnx_lr = to_onnx_logreg(pipe, os.path.join(lr_dir, "model.onnx"))
    default32 = float(np.float32(median))  # what the platform feeds the FP32 tensor for a missing value
    for rows, p in ((golden, p_g_lr), (reference, p_hold_lr[:N_REFERENCE])):
        e = np.abs(eval_onnx_logreg(onnx_lr, impute(rows, default32)) - p).max()
        assert e <= 1e-5, e
        stats["onnx_logreg_max_abs_error_vs_sklearn"] = max(stats.get("onnx_logreg_max_abs_error_vs_sklearn", 0.0), float(e))
    write_rows(os.path.join(lr_dir, "golden.csv"), golden, p_g_lr, lr_threshold)
    write_rows(os.path.join(lr_dir, "reference.csv"), reference, p_hold_lr[:N_REFERENCE])
    write_manifest(os.path.join(lr_dir, "model.yaml"), "stall-detector-logreg", 1, "onnx",
                   "Logistic-regression challenger (StandardScaler + LogisticRegression) for the stall detector, "
                   "exported to ONNX (notebook 2026-11).",
                   "model.onnx", "FP32",
                   {"from": "probabilities", "column": 1, "datatype": "FP32", "threshold": lr_threshold},
                   "1.0e-5", "missing values are replaced by `default` (training median) before the model",
                   default=median)

    # ---- rules fallback
    rules_dir = os.path.join(MODELS, "stall-rules", "1")
    os.makedirs(rules_dir, exist_ok=True)
    with open(os.path.join(rules_dir, "rules.yaml"), "w") as f:
        f.write(RULES_YAML)
    write_rows(os.path.join(rules_dir, "golden.csv"), golden, p_g_rules, rules_threshold)
    write_rows(os.path.join(rules_dir, "reference.csv"), reference, p_hold_rules[:N_REFERENCE])
    write_manifest(os.path.join(rules_dir, "model.yaml"), "stall-rules", 1, "rules",
                   "Rules fallback for the stall detector (CEL expressions, first match wins), "
                   "served when the model path fails.",
                   "rules.yaml", "FP64",
                   {"from": "probability", "datatype": "FP64", "threshold": rules_threshold},
                   "1.0e-9", "missing values are allowed (comparisons on a missing value are false)")

    stats["golden_rows"] = int(len(golden))
    stats["golden_missing_destination"] = int(np.isnan(golden[:, DEST]).sum())
    for k, v in stats.items():
        print("%s: %s" % (k, v))


if __name__ == "__main__":
    main()
