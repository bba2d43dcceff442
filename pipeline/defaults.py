"""Every threshold and weight Plenary uses, named once, with a line on why.

Stages take these as their default parameters; the CLI and the web app show the same values. Change a
value here and every stage, command and form follows. Scores are cosine similarities of unit vectors
(all-MiniLM-L6-v2) unless a line says otherwise.
"""
from __future__ import annotations

import math

# --------------------------------------------------------------------------- run
# How statements become vectors (embed.BACKENDS). "onnx" (ONNX Runtime, fp32) gives torch's vectors to
# about 1e-6 and the same themes and codes on NHS comments; "onnx-int8" is 3.5x faster (776 vs ~220
# statements/s on 2 cores) but moved 1.7% of statements' codes and changed themes as much as a new k-means
# seed (5,000 NHS comments; docs/scale.md), so it is a choice, not the default.
EMBEDDING_BACKEND = "onnx"
SEED = 0  # every random choice (k-means starts, folds, bootstrap) is seeded, so a run repeats exactly

# --------------------------------------------------------------------------- ingest: notes that are not views
# A notes file's title block (title, date and venue, note-taker) is its first few short lines; a real
# title never runs past ten lines: short lines after those, still before any content, are a cover page.
TITLE_BLOCK_MAX_LINES = 10
# A line this long is content, not a title or list entry: titles and names run to a dozen words.
CONTENT_LINE_WORDS = 15
# An attendee-list entry ("Eastfield Borough Council - Housing Options Team") is at most this many words.
ROSTER_ENTRY_MAX_WORDS = 10

# --------------------------------------------------------------------------- ingest: field inputs (issue 12)
# Two statements from different files of one event are one point when their folded texts are this similar
# (difflib ratio): a typo or one changed word in a 12-word bullet stays above it, a different point does not.
DEDUPE_MIN_RATIO = 0.93
# MinHash LSH over character 4-grams finds the candidates for that check. Pairs at ratio 0.93 share well over
# half their 4-grams; a Jaccard threshold of 0.3 with 128 permutations misses none of them in 1,000 random
# runs checked against all-pairs comparison (lab/field/check_dedupe.py), at 4-7 s for 200,000 lines.
DEDUPE_LSH_THRESHOLD = 0.3
DEDUPE_NUM_PERM = 128
# The embedding model reads at most 256 word pieces; a longer answer is split into statements that fit
# (sentences, then word windows), so its end is never silently cut off.
MAX_STATEMENT_TOKENS = 256

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

# --------------------------------------------------------------------------- coding (corpus-aware zero-shot, issue 10)
# `coding.zero_shot.CorpusCoder`, the default coder. Measured on four human-coded sets nobody tuned for
# (benchmarks/coding_zero_shot.py): each part below lifts P@1 over the nearest-description baseline.
# Character n-gram TF-IDF beside the sentence vectors, at equal weight once both are standardised: code names
# carry exact terms ("lockdown browser", "reproducibility") that a small sentence model blurs (+0.03 to +0.13).
CORPUS_LEXICAL_WEIGHT = 1.0
CORPUS_NGRAMS = (3, 5)  # character n-grams within word boundaries: word forms match ("reproduce"/"reproducible")
# Self-training: the more confident half of the statements given each code teach a logistic regression on
# the corpus's own wording; weight beside the zero-shot score (+0.04 on 3,000 patient comments; neutral on
# question-level sets of 20 answers, where the code texts dominate its training rows). The weight grows with
# the corpus: times max(1, statements / embedding dimensions), since a classifier on d-dimensional vectors
# learns the corpus's wording only once it has more rows than dimensions (about 4 at 3,000 statements:
# +0.02 P@1 on patient comments; unchanged at 20-160 statements, where a stronger weight lost 0.03-0.1).
CORPUS_SELF_TRAINING_WEIGHT = 0.5
# ... at most this many times: measured up to 3,000 statements (x7.8); beyond, the codebook's own scores keep
# at least a quarter of the classifier's weight (at 100k statements it would otherwise drown them).
CORPUS_SELF_TRAINING_MAX_FACTOR = 8.0
CORPUS_CONFIDENT_SHARE = 0.5
# ... and learns from at most this many of those rows (a sample in text-hash order, so code shares are kept and
# input order does not matter): 20,000 rows is 50 per dimension; at 100k statements the fit took 28 s of CPU on
# 50,000 rows. Binds only above 40,000 statements, so every measured coding set is coded as before.
CORPUS_SELF_TRAINING_MAX_ROWS = 20_000
# Rows the coder centres and scores at once, and texts whose character n-grams it counts at once: bounds its
# memory (a million statements: 1.5 GB of centred rows and 3-5 GB of n-gram matrices if done whole).
# Runs up to this size are scored in one block, exactly as before.
CORPUS_BLOCK_ROWS = 65_536
CORPUS_LOGISTIC_C = 0.5  # pseudo-labels are noisy and, on a large corpus, weigh most: keep the classifier smooth
# The self-trained classifier learns how often each code was guessed, echoing the zero-shot scorer's own
# leanings; its log-probabilities are divided by this power of its training rows' code shares (0 = keep them,
# 1 = uniform prior). 0.5 keeps the P@1 gain of the weighted classifier and most of its macro-F1 (NHS
# patient comments: macro-F1 0.22 at 0, 0.25 at 0.5). Divided by 1 + a person's examples per code: their
# examples steer the scores that chose the rows (at 8-32 examples the full correction cost 0.02-0.04 P@1).
CORPUS_PRIOR_CORRECTION = 0.5
# Abstention: a statement is "far from every code" when its best similarity to any code text is below
# the codebook's own inter-code similarity (no closer to a code than codes are to one another) AND a low
# outlier for the corpus (below median - this many robust standard deviations). The second test bounds
# the uncoded share near 7% where the codebook fits (2.6% on 3,000 patient comments that all carry a code).
CORPUS_FAR_MADS = 1.5
# ... or when it scores below this share of what an empty statement ("") scores against its best code: it is
# further from the code than no text at all. Catches junk the corpus test misses when much of a batch is junk
# (a pasted script, another language, a bare list). At 0.85 a names-only codebook of 49 patient-experience
# codes left 11% of comments uncoded, all of which carry a human code; at 0.7 4-5%.
CORPUS_NULL_SHARE = 0.7
# Few-shot: what a person's examples say counts this many times their number per code beside the
# zero-shot score, so with 32 examples a code is learned mostly from them (beats plain logistic regression
# at 0, 4, 8, 16 and 32 examples per code on NHS FFT v6).
CORPUS_SHOTS_WEIGHT = 1.0

# --------------------------------------------------------------------------- codebook fit (issue 10)
# A statement whose best similarity to any code text is below this shares little topic with every code
# (MiniLM cosines below 0.3 rarely mean a shared subject). On the bundled corpora with the default codebook
# 0-12% of statements fall below it; on notes about youth housing, buses or ageing 39-87% do.
FIT_FAR_SIMILARITY = 0.30
# The run warns that the codebook fits the notes poorly when this share of statements is far from every code.
FIT_POOR_SHARE = 0.30
# `plenary codebook draft`: a code per theme of at least this many statements (a one-off remark is not a code),
# at most this many codes (a starter codebook a person can read and edit in one sitting), and this many
# examples per code, each cited by file and line.
DRAFT_MIN_STATEMENTS = 2
DRAFT_MAX_CODES = 12
DRAFT_EXAMPLES = 3
# Noun terms for drafted labels are counted over at most this many statements (spaCy parses each one;
# a few thousand give stable term shares, and a 100k-row run is not held up by a poorly fitting codebook).
DRAFT_TERM_SAMPLE = 2000
# ... and a group's own terms over its most central statements, at most this many (its terms repeat)
DRAFT_GROUP_TERM_SAMPLE = 300
# Drafted groups (themes/codebook_draft.py). A plan reads best under 3 to 7 headings, chosen from
# the data; topic nouns count beside the sentence vectors at this weight (the sentence model alone put
# "Make bus travel free" with "use whatsapp groups" on the newcomer's notes: benchmarks/drafted_headings.py);
# agglomerative clustering is quadratic, so at most this many statements are clustered, the rest assigned.
DRAFT_MIN_HEADINGS = 3
DRAFT_MAX_HEADINGS = 7
DRAFT_LEXICAL_WEIGHT = 0.5
DRAFT_CLUSTER_SAMPLE = 1500
# a heading codebook lists more of its statements as examples: the coder that places each recommendation
# then follows the grouping (with 3, a quarter of one file's recommendations went elsewhere)
DRAFT_HEADING_EXAMPLES = 12

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
# --- scale (issue 13): bounds that keep every theme step linear in the number of statements.
# k-means runs on at most this many statements (chosen by a hash of each vector, so input order never
# matters), then every statement joins its nearest centre and the centres are refined with full passes.
# Up to this size themes are exactly plain k-means; 20k keeps the k-means part under ~10 s on 2 cores.
KMEANS_SAMPLE = 20_000
KMEANS_REFINE_PASSES = 2  # full assign-and-average passes after the sample fit (each n x k)
# A theme's label and keywords are read from at most this many of its statements (half the most central,
# half spread evenly through the rest): c-TF-IDF keywords settle well before a few hundred statements.
LABEL_SAMPLE = 400
# Quotes are picked among this many statements nearest a theme's centre: quotes are central by design, and
# MMR over every member of a 5,000-statement theme costs seconds for the same five quotes.
QUOTE_POOL = 200
N_KEYWORDS = 8  # keywords kept per theme (c-TF-IDF)
N_LABEL_TERMS = 3  # keywords joined into a theme's label (CTfidfLabeller)
# PhraseLabeller: a label is a phrase people used, of at most this many words (longer ones are sentences)
MAX_LABEL_WORDS = 10
LABEL_SOURCE_STATEMENTS = 20  # candidates come from a theme's most central statements: bounded work per theme
LABEL_DISTINCT_WEIGHT = 0.5  # penalty for a phrase nearer another theme than its own (it would mislead)
LABEL_COVERAGE_WEIGHT = 0.3  # bonus for a phrase whose head word many of the theme's statements use

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
# should not vanish because it missed CODE_THRESHOLD by a little. (Kept for the pre-issue-11 drafter's
# callers; the drafter now places every proposal under its best heading and marks the uncertain ones.)
LOOSE_THRESHOLD = 0.25
# A recommendation's heading is a guess, marked "check heading", when the coder's mean score for it beats
# the next heading's by less than this. Below 0.1, 9 of 16 drafts were under the wrong heading against 29 of
# 85 above it (VS6 gold codes, and two blind facilitators' plans written for fresh notes); at 0.03 the mark
# caught 2 of the 38 wrong headings.
HEADING_MARGIN = 0.1
# Merging works in cells of at most this many proposals (mini-batch k-means cells above it), so it never
# compares every pair: at 100k proposals about 100 cells of 2,000, then one pass over the groups' centres.
MERGE_CELL_SIZE = 2000
# A group's centres are joined across cells only when this much closer than MERGE_SIMILARITY asks:
# centres of groups average out their members' differences, so they look more alike than statements do.
MERGE_CENTRE_MARGIN = 0.05
# The wording of a merged group is chosen among its most central statements: the few nearest its centre
# say its ask best, and shaping each costs a parse, so the work stays bounded whatever a group's size.
WORDING_CANDIDATES = 3
# Past the plan's MAX_PER_HEADING, this many more per heading are shaped into actions; the rest of the
# "also proposed" list keeps its participants' own words (marked), so wording costs the same at any size.
MORE_WORDED = 40
# ... but a run with at most this many merged asks has every one worded (about 15 ms of CPU each: 6 s for the
# 400 of the bundled reports), so a facilitator's plan has no unworded entries; a survey of 15,000 has 1,200.
WORD_EVERY_GROUP_UP_TO = 500
# Ranking a heading's recommendations: each statement counts 1, each further section 0.5 and each
# further event 1, so an ask raised at two events outranks one repeated twice in one workshop.
SUPPORT_WEIGHTS = {"statements": 1.0, "sections": 0.5, "events": 1.0}

# --------------------------------------------------------------------------- evaluation and suggestions
BOOTSTRAP = 1000  # resamples for the 95% intervals: enough for stable 2.5th/97.5th percentiles
N_NEXT = 20  # statements proposed for coding next: one sitting's work
SUGGEST_NEAR_COPY = 0.85  # two statements proposed for coding next are never this similar
