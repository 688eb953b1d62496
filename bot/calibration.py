"""A calibrated answer decision: logistic regression over the signals the decision computes.

Hand-set thresholds (coverage ≥ 0.7, a runner-up within 85%) say nothing about how often a
confident answer is right. A small logistic model, trained on labelled runs of the development
question sets (`python -m bot.train_decision`), turns the signals into the probability that the
first paragraph is the right one; the cut-off for a confident answer is chosen on held-out folds.
`decide` asks it about every paragraph that passes the guards; one that fails a guard is a hedge
whatever the model would say.

Serving needs only numpy and the small JSON file the trainer writes (`decision.json` in the
package). A file that is missing a field, has the wrong lengths or non-finite numbers is refused
with an error naming it: a silently broken model would answer confidently at random.
"""

from __future__ import annotations

import json
import math
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

MODEL_FILE = Path(__file__).with_name("decision.json")
FORMAT = 1


class DecisionModelError(Exception):
    """The decision model file cannot be used; the message names the file and the reason."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


@dataclass(frozen=True)
class DecisionModel:
    """Standardised features → logistic probability that the top paragraph answers."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    answer_at: float  # probability from which an answer is given confidently
    notes: Mapping[str, object]  # how it was trained and what it scored, for people

    def probability(self, signals: Mapping[str, float]) -> float:
        """P(right) for one question's signals (KeyError for a feature they lack: a model
        trained on other signals than the decision computes is a bug, not a guess)."""
        z = self.bias
        for name, mean, scale, weight in zip(self.features, self.mean, self.scale, self.weights, strict=True):
            z += weight * (value(signals, name) - mean) / scale
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        """`probability` for every row of a matrix of the model's features, in their order."""
        z = ((x - np.array(self.mean)) / np.array(self.scale)) @ np.array(self.weights) + self.bias
        return 1.0 / (1.0 + np.exp(-np.clip(z, -60.0, 60.0)))

    def to_json(self) -> dict[str, object]:
        return {
            "format": FORMAT,
            "features": list(self.features),
            "mean": list(self.mean),
            "scale": list(self.scale),
            "weights": list(self.weights),
            "bias": self.bias,
            "answer_at": self.answer_at,
            "notes": dict(self.notes),
        }


def value(signals: Mapping[str, float], feature: str) -> float:
    """A feature's value: one signal, or two multiplied ("rival_ratio*rival_same_article": how
    much a close runner-up counts depends on whether it is a sibling paragraph)."""
    if "*" in feature:
        first, second = feature.split("*")
        return float(signals[first]) * float(signals[second])
    return float(signals[feature])


def load_model(path: Path | str = MODEL_FILE) -> DecisionModel:
    """Read and check a model file; DecisionModelError naming it if anything is off."""
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise DecisionModelError(path, f"cannot read: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise DecisionModelError(path, f"not JSON: {exc}") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise DecisionModelError(path, f"not a decision model of format {FORMAT}")
    try:
        features = tuple(str(f) for f in raw["features"])
        columns = [tuple(float(x) for x in raw[key]) for key in ("mean", "scale", "weights")]
        bias, answer_at = float(raw["bias"]), float(raw["answer_at"])
        notes = raw.get("notes", {})
    except (KeyError, TypeError, ValueError) as exc:
        raise DecisionModelError(path, f"missing or malformed field ({exc})") from None
    if any(f.count("*") > 1 or "" in f.split("*") for f in features):
        raise DecisionModelError(path, "a feature is neither a signal nor two signals multiplied")
    if not features or any(len(c) != len(features) for c in columns):
        raise DecisionModelError(path, "features, mean, scale and weights differ in length")
    numbers = [bias, answer_at, *(x for c in columns for x in c)]
    if not all(math.isfinite(x) for x in numbers) or any(s <= 0 for s in columns[1]):
        raise DecisionModelError(path, "non-finite numbers or a non-positive scale")
    if not 0.0 < answer_at < 1.0:
        raise DecisionModelError(path, f"answer_at must be a probability, not {answer_at}")
    mean, scale, weights = columns
    return DecisionModel(features, mean, scale, weights, bias, answer_at, notes if isinstance(notes, dict) else {})


@cache
def default_model() -> DecisionModel:
    """The model shipped with the package, read once."""
    return load_model(MODEL_FILE)


# -- training (numpy only) ------------------------------------------------------------------------


def fit(
    x: np.ndarray,
    y: np.ndarray,
    names: Sequence[str],
    *,
    l2: float = 1.0,
    answer_at: float = 0.5,
    weights: np.ndarray | None = None,
) -> DecisionModel:
    """L2-regularised logistic regression by Newton's method on standardised features; `weights`
    let a small set count as much as a large one."""
    sw = np.ones(len(y)) if weights is None else weights
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0  # a constant feature: leave it as it is
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    w = np.zeros(z.shape[1])
    penalty = l2 * np.diag(np.r_[np.ones(len(names)), 0.0])  # the bias is not shrunk
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-np.clip(z @ w, -60, 60)))
        gradient = z.T @ (sw * (p - y)) + penalty @ w
        hessian = (z * (sw * p * (1 - p))[:, None]).T @ z + penalty
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if float(np.abs(step).max()) < 1e-8:
            break
    return DecisionModel(
        features=tuple(names),
        mean=tuple(float(v) for v in mean),
        scale=tuple(float(v) for v in scale),
        weights=tuple(float(v) for v in w[:-1]),
        bias=float(w[-1]),
        answer_at=answer_at,
        notes={},
    )


def cross_validated(
    x: np.ndarray,
    y: np.ndarray,
    names: Sequence[str],
    groups: np.ndarray,
    folds: int = 5,
    l2: float = 1.0,
    weights: np.ndarray | None = None,
    repeats: int = 1,
) -> np.ndarray:
    """Each row's probability from a model that never saw its group (an article, say): what the
    model will do on text it was not trained on. With `repeats`, the mean over that many ways of
    splitting the groups into folds: one split can put a few sure wrong answers together and
    move a cut-off chosen on the top of the curve."""
    out = np.zeros(len(y))
    for r in range(repeats):
        salt = str(r) if r else ""  # the first split is the one a single run makes
        fold_of = np.asarray([zlib.crc32(f"{salt}{g}".encode()) % folds for g in groups])  # the same every run
        for k in range(folds):
            held = fold_of == k
            if held.any() and (~held).any():
                out[held] += _scored_without(x, y, names, held, l2, weights)
    return out / repeats


def left_out(
    x: np.ndarray, y: np.ndarray, names: Sequence[str], groups: np.ndarray, *, l2: float = 1.0, weights: np.ndarray | None = None
) -> np.ndarray:
    """Each row's probability from a model fitted without its whole group (a question set, say):
    what the model does on a paper it never saw. Folds of articles let a paper's style leak across
    them; this shows by how much."""
    out = np.zeros(len(y))
    for group in sorted(set(groups.tolist())):
        held = groups == group
        if (~held).any():
            out[held] = _scored_without(x, y, names, held, l2, weights)
    return out


def _scored_without(
    x: np.ndarray, y: np.ndarray, names: Sequence[str], held: np.ndarray, l2: float, weights: np.ndarray | None
) -> np.ndarray:
    """The held rows' probabilities from a model fitted on the others."""
    model = fit(x[~held], y[~held], names, l2=l2, weights=None if weights is None else weights[~held])
    return model.probabilities(x[held])
