"""Learned coding: a light classifier on sentence vectors, in the spirit of SetFit.

`ExampleCoder` trains a logistic regression on the vectors (the encoder itself is not fine-tuned) from the
codebook's examples and a researcher's labelled statements, combines it with the zero-shot scores, and
calibrates per-code thresholds by cross-validation. "Uncoded" stays an honest answer.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Sequence

import numpy as np

from ..codebook import Codebook
from ..defaults import (CALIBRATION_FOLDS, CODE_MARGIN, CODE_THRESHOLD, DESCRIPTION_WEIGHT, GATE_QUANTILE,
                        KEYWORD_WEIGHT, LOGISTIC_C, MIN_CALIBRATION, SECONDARY_THRESHOLD, SEED, TEMPERATURE,
                        ZERO_SHOT_WEIGHT)
from ..records import CodeAssignment
from .base import NO_CODE, Assignment, Coder, CodeScores, LabelledItem
from .zero_shot import CodebookCoder


def _softmax(logits: np.ndarray) -> np.ndarray:
    z = np.exp(logits - logits.max(axis=1, keepdims=True))
    return z / z.sum(axis=1, keepdims=True)


def adapt_prior(probs: np.ndarray, iterations: int = 100, smoothing: float = 1.0) -> np.ndarray:
    """Re-weight class probabilities to the class shares of the statements being coded.

    A classifier trained on a few examples per code assumes every code is equally
    common; real notes are not like that. This is the EM procedure of Saerens,
    Latinne and Decaestecker (2002): estimate the shares from the posteriors,
    re-weight, repeat. It uses no labels, only the batch itself, so a
    statement's codes then depend on the other statements coded with it.
    """
    n, k = probs.shape
    prior = np.full(k, 1.0 / k)
    q = probs
    for _ in range(iterations):
        q = probs * (prior * k)
        q = q / q.sum(axis=1, keepdims=True)
        new = (q.sum(axis=0) + smoothing) / (n + smoothing * k)  # smoothed so no code's share reaches 0
        if np.abs(new - prior).max() < 1e-6:
            prior = new
            break
        prior = new
    return q


def best_f1_threshold(values: np.ndarray, positive: np.ndarray) -> tuple[float, float]:
    """The cut on `values` that maximises F1 for `positive`, half-way between two observed values."""
    order = np.argsort(-values, kind="stable")
    v, y = values[order], positive[order].astype(float)
    tp = np.cumsum(y)
    fp = np.cumsum(1 - y)
    f1 = 2 * tp / (tp + fp + y.sum())
    # only cut between distinct values
    distinct = np.append(v[1:] < v[:-1], True)
    f1 = np.where(distinct, f1, -1)
    i = int(np.argmax(f1))
    cut = (v[i] + v[i + 1]) / 2 if i + 1 < len(v) else v[i] - 1e-6
    return float(cut), float(f1[i])



class ExampleCoder(Coder):
    """Learn codes from examples: a light classifier on sentence vectors, in the spirit of SetFit.

    Training statements are the codebook's examples, each code's own wording
    (label, description sentences, include notes, so a code with no examples
    still has a class) and any labelled statements passed to `fit`. A
    multinomial logistic regression on the vectors gives each code a log-
    probability; the zero-shot score is added (a product of experts), which
    keeps what the descriptions say when examples are few.

    "Uncoded" stays an honest answer. When the training statements include some
    a person left uncoded, "none" is learned as a class of its own and competes
    with the codes (its zero-shot score is the threshold). Otherwise a
    statement is uncoded when no code clears its zero-shot threshold, exactly as
    in `CodebookCoder`, except that each code's threshold is calibrated: a low
    quantile (`gate_quantile`) of the similarity its own held-out examples reach.
    A statement whose most probable code does not reach that code's threshold is
    uncoded.

    When some training statements carry two or more labels, a second code is
    added when its probability clears that code's threshold, calibrated by
    cross-validation to the best F1 (counter-examples count as negatives), or
    `secondary_threshold` for a code with too few examples. Trained on
    statements with one label each, the coder gives one code.
    """

    def __init__(self, embedder, threshold: float = CODE_THRESHOLD, margin: float = CODE_MARGIN,
                 keyword_weight: float = KEYWORD_WEIGHT, description_weight: float = DESCRIPTION_WEIGHT,
                 C: float = LOGISTIC_C, zero_shot_weight: float = ZERO_SHOT_WEIGHT, temperature: float = TEMPERATURE,
                 secondary_threshold: float = SECONDARY_THRESHOLD, folds: int = CALIBRATION_FOLDS,
                 min_calibration: int = MIN_CALIBRATION, gate_quantile: float | None = GATE_QUANTILE,
                 prior: str = "flat", seed: int = SEED):
        self.embedder = embedder
        self.threshold = threshold
        self.margin = margin
        self.keyword_weight = keyword_weight
        self.description_weight = description_weight
        self.C = C
        self.zero_shot_weight = zero_shot_weight
        self.temperature = temperature
        self.secondary_threshold = secondary_threshold
        self.folds = folds
        self.min_calibration = min_calibration
        self.gate_quantile = gate_quantile  # None: keep the zero-shot thresholds as the coded/uncoded gate
        self.prior = prior  # "flat": every code equally likely a priori; "adapt": see adapt_prior()
        self.seed = seed

    # ------------------------------------------------------------------ training
    def _training_items(self, codebook: Codebook, train: Sequence[LabelledItem]) -> list[tuple[str, list[str], list[str]]]:
        """(text, labels, codes it must not take) for every statement a person has labelled."""
        out: dict[str, tuple[list[str], list[str]]] = {}
        for code in codebook.codable:
            for text in code.examples:
                out.setdefault(text, ([], []))[0].append(code.id)
            for text in code.counter_examples:
                out.setdefault(text, ([], []))[1].append(code.id)
        for item in train:
            labels, _ = out.setdefault(item.text, ([], []))
            labels.extend(l for l in (item.labels or [NO_CODE]) if l not in labels)
        # a counter-example that is nobody's example is only known not to be its code; it teaches
        # the classifier nothing about which code it is, so it is kept for calibration only
        return [(t, list(dict.fromkeys(labels)), neg) for t, (labels, neg) in out.items()]

    def fit(self, codebook: Codebook, train: Sequence[LabelledItem] = ()) -> "ExampleCoder":
        from sklearn.linear_model import LogisticRegression

        self.codebook_ = codebook
        self.codes_ = codebook.codable
        ids = [c.id for c in self.codes_]
        self.zero_shot_ = self._zero_shot(codebook)
        items = self._training_items(codebook, train)
        unknown = sorted({l for _, labels, _ in items for l in labels} - set(ids) - {NO_CODE})
        if unknown:
            raise ValueError(f"training labels not in the codebook: {', '.join(unknown)}")
        self.classes_ = ids + ([NO_CODE] if any(NO_CODE in labels for _, labels, _ in items) else [])
        self.items_ = items
        texts = [t for t, _, _ in items]
        vectors = self.embedder.encode(texts) if texts else np.zeros((0, 1), dtype=np.float32)
        proto_texts = [p for c in self.codes_ for p in c.prototypes()]
        proto_labels = [j for j, c in enumerate(self.codes_) for _ in c.prototypes()]
        self.prototype_vectors_ = self.embedder.encode(proto_texts)
        self.prototype_labels_ = np.array(proto_labels)
        self.item_vectors_ = vectors
        self.item_texts_ = texts
        # labelled statements may carry no codable label at all (only counter-examples)
        self.item_labels_ = [[self.classes_.index(l) for l in labels] for _, labels, _ in items]
        self.model_ = self._fit_model(np.arange(len(items)), LogisticRegression)
        self.code_thresholds_ = self._calibrate(items, vectors, LogisticRegression)
        return self

    def _zero_shot(self, codebook: Codebook) -> CodebookCoder:
        return CodebookCoder(self.embedder, threshold=self.threshold, margin=self.margin,
                             keyword_weight=self.keyword_weight,
                             description_weight=self.description_weight).fit(codebook)

    def _fit_model(self, rows: np.ndarray, LogisticRegression):
        xs = [self.prototype_vectors_]
        ys = [self.prototype_labels_]
        for i in rows:
            for label in self.item_labels_[i]:
                xs.append(self.item_vectors_[i:i + 1])
                ys.append(np.array([label]))
        X, y = np.vstack(xs), np.concatenate(ys)
        return LogisticRegression(C=self.C, max_iter=3000).fit(X, y)

    def _calibrate(self, items, vectors, LogisticRegression) -> np.ndarray:
        """Per-code thresholds from out-of-fold predictions on the labelled statements.

        Two per code: the probability a second code needs (best F1 against the
        labels; counter-examples are negatives), and, when "none" is not learned,
        the zero-shot similarity below which a statement is not this code's
        (a low quantile of its own held-out examples' similarity, so most true
        members clear it). A code's own `threshold` in the codebook is kept as is.
        """
        k = len(self.codes_)
        # a second code only when the training statements show codes together: learned from statements
        # with one label each, the classifier's runner-up is a rival, not a second theme
        multi = sum(1 for _, labels, _ in items if len([l for l in labels if l != NO_CODE]) > 1)
        self.multi_label_ = multi >= max(self.min_calibration, 0.05 * len(items))
        limits = np.full(k, self.secondary_threshold if self.multi_label_ else np.inf, dtype=np.float32)
        self.gates_ = self.zero_shot_.thresholds().copy()
        self.calibration_ = {}
        n = len(items)
        if n < 2 * self.min_calibration or self.folds < 2:
            return limits
        rng = np.random.default_rng(self.seed)
        fold_of = rng.permutation(n) % min(self.folds, n)
        oof = np.zeros((n, k), dtype=np.float32)
        oof_sim = np.zeros((n, k), dtype=np.float32)
        for f in range(min(self.folds, n)):
            held = np.flatnonzero(fold_of == f)
            model = self._fit_model(np.flatnonzero(fold_of != f), LogisticRegression)
            texts = [self.item_texts_[i] for i in held]
            # the zero-shot part must not see the held-out examples either, or a statement would
            # be scored against itself and the thresholds come out over-confident
            held_out = set(texts)
            book = Codebook([replace(c, examples=[e for e in c.examples if e not in held_out])
                             for c in self.codebook_.codes], name=self.codebook_.name)
            probs, sim, _ = self._posterior(model, self._zero_shot(book), texts, vectors[held])
            oof[held] = probs
            oof_sim[held] = sim
        learned_none = NO_CODE in self.classes_
        for j, code in enumerate(self.codes_):
            positive = np.array([code.id in labels for _, labels, _ in items])
            if positive.sum() < self.min_calibration:
                continue
            entry: dict[str, Any] = {"positives": int(positive.sum()), "statements": n}
            # calibrated on the decision it makes: statements where this code is not the top one
            runner_up = oof.argmax(axis=1) != j
            if self.multi_label_ and positive[runner_up].sum() >= self.min_calibration and \
                    not positive[runner_up].all():
                cut, f1 = best_f1_threshold(oof[runner_up, j], positive[runner_up])
                # a second code right less than half the time costs more agreement than it adds
                limits[j] = min(max(cut, 0.05), 0.95) if f1 >= 0.5 else np.inf
                entry.update({"second_code_probability": round(float(limits[j]), 4) if f1 >= 0.5 else None,
                              "second_code_f1": round(f1, 4)})
            if not learned_none and code.threshold is None and self.gate_quantile is not None:
                self.gates_[j] = float(np.quantile(oof_sim[positive, j], self.gate_quantile))
                entry["similarity_threshold"] = round(float(self.gates_[j]), 4)
            self.calibration_[code.id] = entry
        return limits

    # ------------------------------------------------------------------ scoring
    def _posterior(self, model, zero_shot: CodebookCoder, texts: Sequence[str], vectors: np.ndarray):
        zero = zero_shot.score(texts, vectors)
        logp = np.full((len(texts), len(self.classes_)), -30.0)
        logp[:, model.classes_] = np.log(np.clip(model.predict_proba(vectors), 1e-13, None))
        sim = np.column_stack([zero.scores, np.full(len(texts), self.threshold)]) \
            if len(self.classes_) > len(self.codes_) else zero.scores
        probs = _softmax(logp + self.zero_shot_weight * sim / self.temperature)
        if self.prior == "adapt" and len(texts) > 1:
            probs = adapt_prior(probs)
        k = len(self.codes_)
        none = probs[:, k] if probs.shape[1] > k else None
        return probs[:, :k], zero.scores, none

    @property
    def per_statement(self) -> bool:
        """Scores depend on the statement alone unless the prior adapts to the batch (engines.per_statement)."""
        return self.prior != "adapt"

    def score(self, texts: Sequence[str], vectors: np.ndarray) -> CodeScores:
        probs, sim, none = self._posterior(self.model_, self.zero_shot_, texts, vectors)
        return CodeScores([c.id for c in self.codes_], probs.astype(np.float32), similarity=sim, none=none)

    def thresholds(self) -> np.ndarray:
        return self.code_thresholds_

    def similarity_thresholds(self) -> np.ndarray:
        return self.zero_shot_.thresholds()

    def assign(self, scores: CodeScores) -> list[Assignment]:
        limits = self.gates_
        out = []
        for i, row in enumerate(scores.scores):
            order = np.argsort(-row, kind="stable")
            top = int(order[0])
            nearest = CodeAssignment(scores.codes[top], round(float(row[top]), 4))
            if scores.none is not None:
                uncoded = scores.none[i] > row[top]
            else:
                # the chosen code must itself be plausible, not merely some other code
                uncoded = scores.similarity[i, top] < limits[top]
            assigned = [] if uncoded else [nearest] + [
                CodeAssignment(scores.codes[j], round(float(row[j]), 4)) for j in order[1:]
                if row[j] >= self.code_thresholds_[j]]
            out.append((assigned, nearest))
        return out
