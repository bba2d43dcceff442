"""Every threshold and weight Plenary uses, named once, with a line on why.

Stages take these as their default parameters; the CLI and the web app show the same values. Change a
value here and every stage, command and form follows. Scores are cosine similarities of unit vectors
(all-MiniLM-L6-v2) unless a line says otherwise.
"""
from __future__ import annotations

import math

# --------------------------------------------------------------------------- run
SEED = 0  # every random choice (k-means starts, folds, bootstrap) is seeded, so a run repeats exactly

# --------------------------------------------------------------------------- coding (zero-shot)
# The score a statement must reach to take a code (a code's own `threshold` in the codebook wins).
# On the bundled corpora the best code's score runs from about 0.25 (tenth percentile) to 0.62 (ninetieth),
# median 0.43; at 0.35 about seven statements in ten take a code and the rest stay honestly uncoded.
CODE_THRESHOLD = 0.35
# A second code is kept only when it stands this close to the best one: a multi-label statement
# scores alike on both codes, a single-topic one has a clear winner.
CODE_MARGIN = 0.08
# Added to a code's score when one of its keywords appears: a nudge, smaller than the margin between
# an on-topic and an off-topic statement, so a keyword alone never codes a statement.
KEYWORD_WEIGHT = 0.1
# Score = this share of the similarity to the description + the rest to the nearest example: the
# description says what a code means, the examples how people say it; neither alone is enough.
DESCRIPTION_WEIGHT = 0.5

# --------------------------------------------------------------------------- coding (learned)
LOGISTIC_C = 10.0  # weak regularisation: a few dozen examples on 384 dimensions underfit with C=1
ZERO_SHOT_WEIGHT = 0.5  # how much the zero-shot score counts beside the classifier (product of experts)
TEMPERATURE = 0.05  # turns similarities (which differ by hundredths) into log-odds on the classifier's scale
SECONDARY_THRESHOLD = 0.3  # probability a second code needs when too few examples calibrate its own
CALIBRATION_FOLDS = 5  # cross-validation folds that calibrate the per-code thresholds
MIN_CALIBRATION = 4  # a code needs this many labelled statements before its threshold is calibrated
GATE_QUANTILE = 0.1  # a code's similarity gate: most (90%) of its own held-out examples clear it

# A theme carries a code when at least this share of its statements do: a fifth is enough to say
# the theme leans to a heading without listing every code one statement happened to take.
THEME_CODE_MIN_SHARE = 0.2

# --------------------------------------------------------------------------- themes
# A statement less similar than this to its theme's centre goes to "unclustered" rather than
# stretching the theme (the same scale as CODE_THRESHOLD: below it, two texts share little meaning).
THEME_MIN_SIMILARITY = 0.35
MIN_THEME_SIZE = 3  # fewer statements than this do not make a theme a facilitator can act on
N_QUOTES = 5  # representative quotes per theme
KMEANS_N_INIT = 4  # k-means restarts: enough for stable themes on a few thousand statements
QUOTE_DIVERSITY = 0.3  # MMR trade-off: 0 picks the most central quotes, 1 the most different
QUOTE_NEAR_COPY = 0.9  # two quotes this similar say the same thing; show only one
N_KEYWORDS = 8  # keywords kept per theme (c-TF-IDF)
N_LABEL_TERMS = 3  # keywords joined into a theme's label

# The number of themes: about sqrt(statements / 2), so themes grow slowly with the corpus (50
# statements give 5 themes, 800 give 20); at least 2 and at most 40, which a reader can still take in.
STATEMENTS_PER_THEME = 2
MIN_THEMES = 2
MAX_THEMES = 40
# `plenary suggest` groups the uncoded statements by the same rule, with smaller groups in mind:
# sqrt(statements / 3) candidate codes, at most 12, since each one asks a researcher for a new code.
STATEMENTS_PER_CANDIDATE = 3
MAX_CANDIDATE_CODES = 12
MIN_UNCODED_FOR_CANDIDATES = 6  # fewer uncoded statements than this do not form two candidate codes


def theme_count(n_statements: int, statements_per_theme: float = STATEMENTS_PER_THEME,
                most: int = MAX_THEMES, least: int = MIN_THEMES) -> int:
    """The one rule for how many themes (or candidate codes) to look for in `n_statements` statements:
    round(sqrt(n / statements_per_theme)), kept within [least, most]."""
    return int(min(most, max(least, round(math.sqrt(n_statements / statements_per_theme)))))


# --------------------------------------------------------------------------- ranking
# A theme's score: how many raise it (support), across how many sections, documents and events
# (breadth), and how well it fits the action headings (fit). Support counts most because a plenary
# weighs how many people said something; breadth next, so one loud workshop cannot dominate.
RANK_WEIGHTS = {"support": 0.5, "breadth": 0.3, "fit": 0.2}
RANK_TERMS = (
    "support = statements / statements in the largest theme; breadth = mean of (sections, documents, events) "
    "each divided by the most any theme has; fit = mean over the theme's statements of their best code score "
    "(0 to 1)"
)


def rank_formula(weights: dict[str, float] = RANK_WEIGHTS) -> str:
    """The ranking formula as text, written from the weights themselves (themes.json, summary, report)."""
    return "score = " + " + ".join(f"{w:g} * {name}" for name, w in weights.items()) + ", where " + RANK_TERMS


# --------------------------------------------------------------------------- recommendations
MIN_PER_HEADING = 3  # fewer distinct proposals than this under a heading: say the evidence is thin
MAX_PER_HEADING = 10  # an action plan longer than ten points per heading is not read
MERGE_SIMILARITY = 0.7  # proposals this similar (average linkage) are one recommendation
# An uncoded statement still lands under its nearest heading when it scores at least this: a proposal
# should not vanish because it missed CODE_THRESHOLD by a little.
LOOSE_THRESHOLD = 0.25

# --------------------------------------------------------------------------- evaluation and suggestions
BOOTSTRAP = 1000  # resamples for the 95% intervals: enough for stable 2.5th/97.5th percentiles
N_NEXT = 20  # statements proposed for coding next: one sitting's work
SUGGEST_NEAR_COPY = 0.85  # two statements proposed for coding next are never this similar
