"""Zero-shot coding: statements matched to a codebook's words.

`CorpusCoder` (the default, issue 10) codes a batch of statements as a corpus: centred sentence vectors,
character n-grams and self-training on the batch's confident statements; it abstains only where no code
fits. `CodebookCoder` (the coder before issue 10, kept inside the learned coder) compares each statement with every code's description and its examples (the nearest
example counts; a code without examples uses its label, description sentences and include notes), and
adds a small bonus when one of the code's keywords appears. A statement takes every code that clears
its threshold and stands close to the best one; one that no code fits is uncoded, and still reports its
nearest code and score.
"""
from __future__ import annotations

import hashlib
import re
from typing import Sequence

import numpy as np

from .. import text as T
from ..codebook import Code, Codebook
from ..defaults import (CODE_MARGIN, CODE_THRESHOLD, CORPUS_BLOCK_ROWS, CORPUS_CONFIDENT_SHARE, CORPUS_FAR_MADS,
                        CORPUS_LEXICAL_WEIGHT, CORPUS_LOGISTIC_C, CORPUS_NGRAMS, CORPUS_NULL_SHARE, CORPUS_PRIOR_CORRECTION,
                        CORPUS_SELF_TRAINING_MAX_FACTOR, CORPUS_SELF_TRAINING_MAX_ROWS, CORPUS_SELF_TRAINING_WEIGHT,
                        CORPUS_SHOTS_WEIGHT, DESCRIPTION_WEIGHT, KEYWORD_WEIGHT)
from ..parallel import cores, fork_map
from ..records import CodeAssignment
from .base import Assignment, Coder, CodeScores, LabelledItem


def keyword_hits(texts: Sequence[str], codes: Sequence[Code]) -> np.ndarray:
    """1 where a statement contains one of a code's keywords (lemma match, or phrase match)."""
    hits = np.zeros((len(texts), len(codes)), dtype=np.float32)
    if not any(c.keywords for c in codes):
        return hits
    words = [{t.lemma_.lower() for t in doc} | {t.lower_ for t in doc} for doc in T.nlp().pipe(t.lower() for t in texts)]
    lowered = [t.lower() for t in texts]
    for j, code in enumerate(codes):
        singles = {T.lemma(k) for k in code.keywords if " " not in k} | {k.lower() for k in code.keywords if " " not in k}
        phrases = [k.lower() for k in code.keywords if " " in k]
        for i in range(len(texts)):
            if words[i] & singles or any(p in lowered[i] for p in phrases):
                hits[i, j] = 1.0
    return hits



class CodebookCoder(Coder):
    """Zero-shot coder: fit on a codebook, then score and assign statements.

    Parameters are plain settings, as in scikit-learn; `fit` computes the
    code prototypes and keeps nothing else.
    """

    per_statement = True  # a statement's scores depend on it alone: engines may score partitions apart

    def __init__(self, embedder, threshold: float = CODE_THRESHOLD, margin: float = CODE_MARGIN,
                 keyword_weight: float = KEYWORD_WEIGHT, description_weight: float = DESCRIPTION_WEIGHT):
        self.embedder = embedder
        self.threshold = threshold
        self.margin = margin
        self.keyword_weight = keyword_weight
        self.description_weight = description_weight

    def fit(self, codebook: Codebook, train: Sequence[LabelledItem] = ()) -> "CodebookCoder":
        """Embed each code's description and examples; `train` is not used (nothing is learned)."""
        self.codebook_ = codebook
        self.codes_ = codebook.codable
        self.description_vectors_ = self.embedder.encode([f"{c.label}: {c.description}" for c in self.codes_])
        # codes without examples fall back on their label, description sentences and include notes
        self.example_vectors_ = [self.embedder.encode(c.examples or c.prototypes()) for c in self.codes_]
        return self

    def score(self, texts: Sequence[str], vectors: np.ndarray) -> CodeScores:
        desc = vectors @ self.description_vectors_.T
        nearest_example = np.stack([(vectors @ ex.T).max(axis=1) for ex in self.example_vectors_], axis=1)
        w = self.description_weight
        scores = w * desc + (1 - w) * nearest_example
        if self.keyword_weight:
            scores = scores + self.keyword_weight * keyword_hits(texts, self.codes_)
        return CodeScores([c.id for c in self.codes_], scores.astype(np.float32))

    def thresholds(self) -> np.ndarray:
        return np.array([c.threshold if c.threshold is not None else self.threshold for c in self.codes_],
                        dtype=np.float32)

    def similarity_thresholds(self) -> np.ndarray:
        return self.thresholds()  # here the score is the similarity

    def assign(self, scores: CodeScores) -> list[Assignment]:
        """Per statement: (assigned codes best first, nearest code)."""
        limits = self.thresholds()
        out = []
        for row in scores.scores:
            order = np.argsort(-row, kind="stable")
            best = float(row[order[0]])
            nearest = CodeAssignment(scores.codes[order[0]], round(best, 4))
            assigned = [CodeAssignment(scores.codes[j], round(float(row[j]), 4)) for j in order
                        if row[j] >= limits[j] and row[j] >= best - self.margin]
            out.append((assigned, nearest))
        return out


# --------------------------------------------------------------------------- corpus-aware zero-shot (issue 10)
SENTENCE_RE = re.compile(r"(?<=[.!?;:])\s+")


def code_views(code: Code) -> list[str]:
    """The texts that stand for a code in the sentence-vector space: its label, "label: description",
    each description sentence (when there are several), its include lines and its examples."""
    out = [code.label]
    description = (code.description or "").strip()
    if description and description != code.label:
        out.append(f"{code.label}: {description}")
        sentences = [s for s in SENTENCE_RE.split(description) if len(s.split()) >= 3]
        if len(sentences) > 1:
            out += sentences
    out += list(code.include) + list(code.examples)
    return list(dict.fromkeys(t.strip() for t in out if t.strip()))


def _unit(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=-1, keepdims=True)
    return x / np.where(norms == 0, 1.0, norms)


# from this many texts the n-grams are counted by one forked worker per core (a fork costs about 0.1 s; 5,000
# texts take about 0.4 s to count)
NGRAM_PARALLEL_FROM = 5000


def _ngram_counts(texts: Sequence[str]):
    """(n-grams sorted, CSR counts (len(texts), len(n-grams)) int32) of `texts`' character n-grams
    (CORPUS_NGRAMS within word boundaries) by scikit-learn's CountVectorizer; no n-grams: ([], (len, 0))."""
    from scipy import sparse
    from sklearn.feature_extraction.text import CountVectorizer

    counter = CountVectorizer(analyzer="char_wb", ngram_range=CORPUS_NGRAMS, dtype=np.int32)
    try:
        counts = counter.fit_transform(texts)
    except ValueError:  # no n-grams in these texts (empty, or punctuation only)
        return [], sparse.csr_matrix((len(texts), 0), dtype=np.int32)
    return counter.get_feature_names_out().tolist(), counts


def _count_ngrams(texts: Sequence[str], vocabulary: dict[str, int]):
    """CSR counts (len(texts), len(vocabulary) once all blocks are counted; int32) of `texts`' character
    n-grams (`_ngram_counts`); new n-grams join `vocabulary` (n-gram -> column), in place."""
    return _count_blocks([texts], vocabulary)[0]


def _count_blocks(blocks: Sequence[Sequence[str]], vocabulary: dict[str, int]) -> list:
    """`_count_ngrams` of each block in turn: the same matrices and vocabulary, but from NGRAM_PARALLEL_FROM
    texts each block is counted in pieces, one per core, by forked workers (`parallel.fork_map`), and joined.
    A block's new n-grams join the vocabulary in sorted order, as one CountVectorizer's would, and each row
    holds its n-grams in column order, so the counts, and the cosines summed over them, are the same to the bit
    however many pieces a block was cut into."""
    from scipy import sparse

    k = cores() if sum(len(b) for b in blocks) >= NGRAM_PARALLEL_FROM else 1
    pieces = [list(b[i * len(b) // k:(i + 1) * len(b) // k]) for b in blocks for i in range(k)]
    counted = fork_map(_ngram_counts, pieces) if k > 1 else [_ngram_counts(p) for p in pieces]
    out = []
    for b in range(len(blocks)):
        mine = counted[b * k:(b + 1) * k]
        for name in sorted(set().union(*(names for names, _ in mine))):
            vocabulary.setdefault(name, len(vocabulary))
        parts = []
        for names, counts in mine:
            columns = np.array([vocabulary[f] for f in names], dtype=np.int32)
            part = sparse.csr_matrix((counts.data, columns[counts.indices], counts.indptr),
                                     shape=(counts.shape[0], len(vocabulary)))
            part.sort_indices()  # a row's n-grams in column order, however the block was cut
            parts.append(part)
        out.append(parts[0] if len(parts) == 1 else sparse.vstack(parts, format="csr"))
    return out


def _weigh(counts, idf: np.ndarray):
    """Counts -> l2-normalised rows of (1 + log tf) x idf, scikit-learn's TfidfTransformer(sublinear_tf=True)."""
    from scipy import sparse
    from sklearn.preprocessing import normalize

    x = sparse.csr_matrix((counts.data.astype(np.float64), counts.indices, counts.indptr),
                          shape=(counts.shape[0], len(idf)))
    np.log(x.data, out=x.data)
    x.data += 1.0
    x.data *= idf[x.indices]
    return normalize(x)


def _mean_rows(X: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Mean of X[rows] (float32), summed in float64 in the order of `rows`, CORPUS_BLOCK_ROWS rows at a time
    (no copy of every row)."""
    total = np.zeros(X.shape[1], dtype=np.float64)
    for s in range(0, len(rows), CORPUS_BLOCK_ROWS):
        total += X[rows[s:s + CORPUS_BLOCK_ROWS]].sum(0, dtype=np.float64)
    return (total / max(len(rows), 1)).astype(np.float32)


def _centred_map(X: np.ndarray, mean: np.ndarray, fn) -> np.ndarray:
    """fn(unit rows of X - mean), CORPUS_BLOCK_ROWS rows at a time, stacked: the centred copy of every row
    (1.5 GB at a million statements) is never held whole. Up to one block, one call on all rows."""
    return np.concatenate([fn(_unit(X[s:s + CORPUS_BLOCK_ROWS] - mean)) for s in range(0, len(X), CORPUS_BLOCK_ROWS)])


def _standardise(m: np.ndarray) -> np.ndarray:
    sd = float(m.std()) if m.size else 0.0
    return (m - m.mean()) / sd if sd > 0 else m - (m.mean() if m.size else 0.0)


def _canonical(texts: Sequence[str]) -> list[int]:
    """Indices of `texts` in an order that does not depend on the input order (text hash, then position
    among equal texts, which are interchangeable)."""
    return sorted(range(len(texts)), key=lambda i: (hashlib.sha256(texts[i].encode("utf-8")).hexdigest(), i))


def _log_proba(model, x: np.ndarray, k: int) -> np.ndarray:
    out = np.full((len(x), k), -30.0)
    out[:, model.classes_] = np.log(np.clip(model.predict_proba(x), 1e-12, None))
    return out


class CorpusCoder(Coder):
    """The default coder: zero-shot from the codebook's words, adapted to the corpus being coded.

    `fit(codebook, train)` embeds each code's views (`code_views`); `train` (a person's labelled
    statements, optional) makes it a few-shot coder. `score(texts, vectors)` codes the batch as a corpus:

    1. dense: statement and code vectors centred on the corpus mean (removing what every statement
       shares), a code scored by its closest view;
    2. lexical: character 3-5-gram TF-IDF fitted on corpus and codebook, cosine to all of a code's text
       (label, description, include lines, examples, keywords);
    3. both standardised and added (`lexical_weight`);
    4. examples, when given: a logistic regression on them, weighted by examples per code (`shots_weight`);
    5. self-training: the more confident half of the statements given each code (by margin) plus the code
       centroids and the examples train a logistic regression on the corpus; its log-probabilities, less
       `prior_correction` / (1 + examples per code) x the log of its training rows' code shares, are added with
       max(`self_training_weight` x max(1, statements / dimensions) (at most x8), examples per code): the corpus's own
       classifier counts more once it has more statements than dimensions to learn from. The confident
       statements are chosen by the scores of 1-4, plus, in the share of codes that carry a bare name
       (`bare_`), the uncentred similarity (a name alone is one weak point; centred and uncentred cosines err
       on different statements).
    A statement is uncoded when it is far from every code: below the codebook's inter-code similarity and a
    low outlier of the corpus (`far_mads`); or, against its best code, below `null_share` of what an empty
    statement scores (no evidence for it at all); or below a code's own `threshold`. Non-answers are coded
    like any statement but are left out of the corpus statistics. One code per statement; its score, and the
    nearest code's, is the cosine similarity to the code's closest view. Deterministic, and independent of
    the order of the statements. `centring`: "corpus" (default: statements and code texts centred on the
    corpus mean), "codebook" (code texts on their own mean) or "none"; measured alternatives, kept for
    experiments.
    Measured against the nearest-description baseline in benchmarks/coding_zero_shot.py.
    """

    def __init__(self, embedder, lexical_weight: float = CORPUS_LEXICAL_WEIGHT,
                 self_training_weight: float = CORPUS_SELF_TRAINING_WEIGHT,
                 confident_share: float = CORPUS_CONFIDENT_SHARE, C: float = CORPUS_LOGISTIC_C,
                 far_mads: float = CORPUS_FAR_MADS, shots_weight: float = CORPUS_SHOTS_WEIGHT,
                 null_share: float = CORPUS_NULL_SHARE, centring: str = "corpus", threshold: float = CODE_THRESHOLD,
                 prior_correction: float = CORPUS_PRIOR_CORRECTION):
        self.embedder = embedder
        self.lexical_weight = lexical_weight
        self.self_training_weight = self_training_weight
        self.confident_share = confident_share
        self.C = C
        self.far_mads = far_mads
        self.shots_weight = shots_weight
        self.null_share = null_share
        self.centring = centring
        self.prior_correction = prior_correction
        self.threshold = threshold  # kept for the Coder interface; abstention is calibrated (see above)

    def fit(self, codebook: Codebook, train: Sequence[LabelledItem] = ()) -> "CorpusCoder":
        """Embed the codes' views; keep a person's labelled statements (labels that are codes) as examples."""
        self.codebook_ = codebook
        self.codes_ = codebook.codable
        self.views_ = [code_views(c) for c in self.codes_]
        flat = [t for views in self.views_ for t in views]
        vectors = np.asarray(self.embedder.encode(flat), dtype=np.float32)
        bounds = np.cumsum([0] + [len(v) for v in self.views_])
        self.view_vectors_ = [vectors[bounds[j]:bounds[j + 1]] for j in range(len(self.codes_))]
        self.documents_ = [" ".join(views + list(c.keywords)) for views, c in zip(self.views_, self.codes_)]
        # share of codes that carry their name and nothing else (no description, include lines or examples)
        self.bare_ = float(np.mean([len(v) == 1 for v in self.views_])) if self.views_ else 0.0
        centroids = _unit(np.vstack([v.mean(0) for v in self.view_vectors_]))
        between = centroids @ centroids.T
        k = len(self.codes_)
        self.codebook_mean_ = vectors.mean(0)
        self.floor_ = float(between[~np.eye(k, dtype=bool)].mean()) if k > 1 else 0.0
        # what an empty statement scores against each code: a statement below (a share of) it carries no
        # evidence for the code, whatever the rest of the corpus looks like
        empty = np.asarray(self.embedder.encode([""]), dtype=np.float32)[0]
        self.null_ = np.array([float((v @ empty).max()) for v in self.view_vectors_])
        index = {c.id: j for j, c in enumerate(self.codes_)}
        rows = [(item.text, index[label]) for item in train for label in item.labels if label in index]
        self.train_texts_ = [t for t, _ in rows]
        self.train_labels_ = np.array([j for _, j in rows], dtype=int)
        self.train_vectors_ = (np.asarray(self.embedder.encode(self.train_texts_), dtype=np.float32)
                               if rows else np.zeros((0, vectors.shape[1]), dtype=np.float32))
        self.shots_ = len(rows) / max(k, 1)
        return self

    def score(self, texts: Sequence[str], vectors: np.ndarray) -> CodeScores:
        from sklearn.linear_model import LogisticRegression

        ids = [c.id for c in self.codes_]
        n, k = len(texts), len(self.codes_)
        if n == 0:
            return CodeScores(ids, np.zeros((0, k), dtype=np.float32), similarity=np.zeros((0, k), dtype=np.float32),
                              uncoded=np.zeros(0, dtype=bool))
        X = np.asarray(vectors, dtype=np.float32).reshape(n, -1)  # float32 throughout: no n x d float64 copy
        texts = list(texts)
        raw = np.stack([(X @ v.T).max(1) for v in self.view_vectors_], 1)
        # non-answers ("No", "N/A", "-") are coded like any statement (a codebook may have a code for them;
        # `plenary code` marks them, ingest flags them for `plenary run`) but they are not the corpus: the
        # outlier test below is measured on, and applied to, the other statements only
        answer = np.array([not T.is_non_answer(t) for t in texts], dtype=bool)
        live = np.flatnonzero(answer) if answer.any() else np.arange(n)
        lt = [texts[i] for i in live]
        mean = (_mean_rows(X, live[_canonical(lt)]) if self.centring != "none"
                else np.zeros(X.shape[1], dtype=np.float32))
        code_mean = self.codebook_mean_ if self.centring == "codebook" else mean
        # the character n-grams first: their counts are the largest thing held here, so they are gone before
        # the centred rows are made, and those are made a block at a time (issue 13: 1M rows under 8 GB)
        lexical = _standardise(self._lexical(lt, texts)) if self.lexical_weight else 0.0
        views = [_unit(v - code_mean) for v in self.view_vectors_]
        H = _standardise(_centred_map(X, mean, lambda xc: np.stack([(xc @ v.T).max(1) for v in views], 1)))
        H = H + self.lexical_weight * lexical
        examples = (_unit(self.train_vectors_ - mean) if len(self.train_texts_)
                    else np.zeros((0, X.shape[1]), dtype=np.float32))
        weight = self.shots_weight * self.shots_
        if len(set(self.train_labels_.tolist())) > 1:
            eo = _canonical(self.train_texts_)
            supervised = LogisticRegression(C=self.C, max_iter=3000).fit(examples[eo], self.train_labels_[eo])
            H = H + weight * _standardise(_centred_map(X, mean, lambda xc: _log_proba(supervised, xc, k)))
        if self.self_training_weight and k > 1 and len(live) > 1:
            # the corpus's own classifier counts more once it has more statements than dimensions to learn from
            learned = self.self_training_weight * min(max(1.0, len(live) / X.shape[1]), CORPUS_SELF_TRAINING_MAX_FACTOR)
            # its teacher: with bare names as codes, the uncentred similarity too (a name alone is one weak point;
            # centred and uncentred cosines err on different statements: 0.21 and 0.24 P@1 alone on patient
            # comments with 49 code names, pooled as teacher +0.02); codes with descriptions already pool views
            teacher = H + self.bare_ * _standardise(raw) if self.bare_ else H
            H = H + max(learned, weight) * self._self_train(teacher, X, mean, live, lt, code_mean, examples)
        best = raw.max(1)
        median = float(np.median(best[live]))
        spread = float(np.median(np.abs(best[live] - median))) * 1.4826
        top = H.argmax(1)
        chosen = raw[np.arange(n), top]
        far = ((best < self.floor_) & (best < median - self.far_mads * spread)
               | (chosen <= self.null_share * self.null_[top])) & answer
        own = np.array([c.threshold if c.threshold is not None else -np.inf for c in self.codes_])
        far |= raw[np.arange(n), top] < own[top]
        probs = np.exp(H - H.max(1, keepdims=True))
        probs /= probs.sum(1, keepdims=True)
        return CodeScores(ids, probs.astype(np.float32), similarity=raw.astype(np.float32), uncoded=far)

    def _lexical(self, corpus: list[str], texts: list[str]) -> np.ndarray:
        """(len(texts), k) cosine of character n-gram TF-IDF, its document frequencies counted on the distinct
        texts of `corpus` + the code documents. Weighted as scikit-learn's TfidfVectorizer(sublinear_tf=True)
        weights (tests check the two agree), but counted CORPUS_BLOCK_ROWS texts at a time, so only the counts
        (8 bytes an n-gram a text) are held, never the whole weighted matrix and its copies."""
        distinct = sorted(set(corpus))
        vocabulary: dict[str, int] = {}
        blocks = _count_blocks([distinct[s:s + CORPUS_BLOCK_ROWS] for s in range(0, len(distinct), CORPUS_BLOCK_ROWS)],
                               vocabulary)
        documents = _count_ngrams(self.documents_, vocabulary)
        if not vocabulary:  # nothing but punctuation anywhere: no n-grams to compare
            return np.zeros((len(texts), len(self.codes_)))
        df = np.bincount(documents.indices, minlength=len(vocabulary))
        for block in blocks:
            df += np.bincount(block.indices, minlength=len(vocabulary))
        idf = np.log((1 + len(distinct) + len(self.documents_)) / (1 + df)) + 1  # smooth idf, as scikit-learn's
        documents = _weigh(documents, idf).T
        row = {t: i for i, t in enumerate(distinct)}
        rest = sorted({t for t in texts if t not in row})  # non-answers: not in the corpus the vocabulary came from
        if rest:
            from sklearn.feature_extraction.text import CountVectorizer

            row.update({t: len(distinct) + i for i, t in enumerate(rest)})
            counter = CountVectorizer(analyzer="char_wb", ngram_range=CORPUS_NGRAMS, vocabulary=vocabulary)
            blocks.append(counter.transform(rest))
        sims = np.vstack([(_weigh(block, idf) @ documents).toarray() for block in blocks])
        return sims[[row[t] for t in texts]]

    def _self_train(self, H: np.ndarray, X: np.ndarray, centre: np.ndarray, live: np.ndarray, texts: list[str],
                    mean: np.ndarray, examples: np.ndarray) -> np.ndarray:
        """Standardised log-probabilities of a logistic regression trained on the confident statements among
        `live` (the corpus rows; `texts` are theirs), for every row of `X` centred on `centre`; `mean` centres
        the codes' views."""
        from sklearn.linear_model import LogisticRegression

        k = H.shape[1]
        Hl = H[live]
        top = Hl.argmax(1)
        ranked = np.sort(Hl, 1)
        margin = ranked[:, -1] - ranked[:, -2]
        keep: set[int] = set()
        for j in range(k):
            members = np.flatnonzero(top == j)
            if len(members):
                members = members[np.lexsort((members, -margin[members]))]
                keep.update(members[: max(1, int(np.ceil(self.confident_share * len(members))))].tolist())
        rows = [i for i in _canonical(texts) if i in keep][:CORPUS_SELF_TRAINING_MAX_ROWS]
        centroids = _unit(np.vstack([_unit(v - mean).mean(0) for v in self.view_vectors_]))
        x = np.vstack([_unit(X[live[rows]] - centre), centroids, examples])
        y = np.concatenate([top[rows], np.arange(k), self.train_labels_])
        model = LogisticRegression(C=self.C, max_iter=3000).fit(x, y)
        # partly undo the code shares it was trained on: they echo the zero-shot scorer's leanings, less so as a
        # person's examples per code steer the scores that chose its rows
        prior = np.bincount(y, minlength=k) / len(y)
        correction = self.prior_correction / (1.0 + self.shots_)
        log_proba = _centred_map(X, centre, lambda xc: _log_proba(model, xc, k))
        return _standardise(log_proba - correction * np.log(np.clip(prior, 1e-6, None)))

    def thresholds(self) -> np.ndarray:
        return np.full(len(self.codes_), np.inf, dtype=np.float32)  # one code per statement

    def similarity_thresholds(self) -> np.ndarray:
        return np.array([c.threshold if c.threshold is not None else self.floor_ for c in self.codes_],
                        dtype=np.float32)

    def assign(self, scores: CodeScores) -> list[Assignment]:
        """Per statement: ([its code] or [] when uncoded, nearest code); scores are cosine similarities."""
        out = []
        for i, row in enumerate(scores.scores):
            top = int(np.argmax(row))
            nearest = CodeAssignment(scores.codes[top], round(float(scores.similarity[i, top]), 4))
            uncoded = scores.uncoded is not None and bool(scores.uncoded[i])
            out.append(([] if uncoded else [nearest], nearest))
        return out
