#!/usr/bin/python3
"""Writes quality-cases.json: labelled rows and their quality metrics computed by scikit-learn.

Run with Debian's interpreter (python3-sklearn 1.2.1, numpy): /usr/bin/python3 make_quality_fixtures.py
QualityMathTest and FeedbackServiceTest feed the same rows to Slipway and compare with these numbers to 1e-12.

Conventions pinned here, as Slipway documents them:
  - binary kinds (probability, score): labels and predicted labels are 1/0; precision/recall/accuracy use the
    predicted labels (the decision at the output's threshold); a metric whose denominator is empty is None
    (scikit-learn warns and returns 0; Slipway says "undefined");
  - log_loss: float64 probabilities, labels=[0, 1], eps='auto' (float64 machine epsilon), probability outputs only;
  - roc_auc_score on the scores; None unless both classes are present;
  - class labels: accuracy, macro precision/recall over the classes in labels and predictions (zero_division=0);
  - values: mean_absolute_error and the square root of mean_squared_error.
Scores are float32 values (what the models serve) written as the shortest decimal that reads back to that float32,
so Java's Float.parseFloat gives exactly the number scikit-learn saw (as float64).
"""
import json
import math

import numpy as np
from sklearn.metrics import (accuracy_score, log_loss, mean_absolute_error, mean_squared_error, precision_score,
                             recall_score, roc_auc_score)


def f32(x):
    return float(np.float32(x))


def short(x):
    """The shortest decimal text that parses back to the same float32."""
    return np.format_float_positional(np.float32(x), unique=True, trim='-')


def binary_case(name, kind, scores, labels, threshold, predicted=None):
    scores = [f32(s) for s in scores]
    if predicted is None:
        predicted = [1 if s >= threshold else 0 for s in scores]
    y = np.array(labels)
    p = np.array(predicted)
    s = np.array(scores, dtype=np.float64)
    decided_tp_fp = int(((p == 1)).sum())
    decided_tp_fn = int(((y == 1)).sum())
    both = len(set(labels)) == 2
    return {
        "name": name,
        "kind": kind,
        "threshold": threshold,
        "rows": [{"score": short(sc), "predicted": int(pr), "label": int(lb)}
                 for sc, pr, lb in zip(scores, predicted, labels)],
        "expected": {
            "labelled": len(labels),
            "accuracy": float(accuracy_score(y, p)),
            "precision": float(precision_score(y, p)) if decided_tp_fp else None,
            "recall": float(recall_score(y, p)) if decided_tp_fn else None,
            "log_loss": float(log_loss(y, s, labels=[0, 1])) if kind == "PROBABILITY" else None,
            "roc_auc": float(roc_auc_score(y, s)) if both else None,
            "positive_rate": float(y.mean()),
            "mean_score": float(s.mean()),
        },
    }


def class_case(name, predicted, labels):
    y = np.array(labels, dtype=object)
    p = np.array(predicted, dtype=object)
    return {
        "name": name,
        "kind": "LABEL",
        "rows": [{"predicted": pr, "label": lb} for pr, lb in zip(predicted, labels)],
        "expected": {
            "labelled": len(labels),
            "accuracy": float(accuracy_score(y, p)),
            "precision": float(precision_score(y, p, average="macro", zero_division=0)),
            "recall": float(recall_score(y, p, average="macro", zero_division=0)),
        },
    }


def value_case(name, predicted, labels):
    return {
        "name": name,
        "kind": "VALUE",
        "rows": [{"score": short(pr), "label": lb} for pr, lb in zip(predicted, labels)],
        "expected": {
            "labelled": len(labels),
            "mean_absolute_error": float(mean_absolute_error(labels, [f32(x) for x in predicted])),
            "root_mean_squared_error": math.sqrt(mean_squared_error(labels, [f32(x) for x in predicted])),
        },
    }


def main():
    rng = np.random.default_rng(20261127)
    cases = []

    # a realistic stall detector: 400 rows, positives score higher on average, threshold 0.35
    labels = (rng.random(400) < 0.3).astype(int).tolist()
    scores = [min(1.0, max(0.0, rng.normal(0.62 if y else 0.25, 0.18))) for y in labels]
    cases.append(binary_case("probability-400", "PROBABILITY", scores, labels, 0.35))

    # many ties (scores on a coarse grid), exact 0 and 1 probabilities (log-loss clipping)
    labels = (rng.random(200) < 0.5).astype(int).tolist()
    scores = [round(float(rng.random()) * 4) / 4 for _ in labels]
    scores[0], labels[0] = 1.0, 0
    scores[1], labels[1] = 0.0, 1
    scores[2], labels[2] = 1.0, 1
    cases.append(binary_case("probability-ties-and-extremes", "PROBABILITY", scores, labels, 0.5))

    # one class only: no ROC AUC; nobody predicted positive: no precision
    cases.append(binary_case("probability-one-class", "PROBABILITY", [0.1, 0.2, 0.3, 0.05], [0, 0, 0, 0], 0.5))

    # an unbounded score with a threshold: no log-loss
    labels = (rng.random(150) < 0.4).astype(int).tolist()
    scores = [float(rng.normal(1.0 if y else -0.5, 1.2)) for y in labels]
    cases.append(binary_case("score-150", "SCORE", scores, labels, 0.0))

    # class labels
    classes = ["highway", "urban", "rural", "yard"]
    labels = [classes[i] for i in rng.integers(0, 4, 120)]
    predicted = [lb if rng.random() < 0.7 else classes[int(rng.integers(0, 4))] for lb in labels]
    predicted[0] = "ferry"  # a class only ever predicted
    cases.append(class_case("labels-120", predicted, labels))

    # values
    truth = [float(round(x, 3)) for x in rng.normal(50, 20, 80)]
    guess = [t + float(rng.normal(0, 5)) for t in truth]
    cases.append(value_case("values-80", guess, truth))

    with open("quality-cases.json", "w") as out:
        json.dump({"generator": "make_quality_fixtures.py", "sklearn": __import__("sklearn").__version__,
                   "cases": cases}, out, indent=1)
        out.write("\n")


if __name__ == "__main__":
    main()
