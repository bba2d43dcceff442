"""Parsing for drafting: each text parsed once per run, many texts at a time (spaCy's `nlp.pipe`).

Proposal detection and wording read spaCy's dependency parse (en_core_web_sm, `text.parser`) of statements
and of short strings made from them. Parsing texts one by one costs about 2.2 times the CPU of parsing them
in batches, and the entity recogniser costs as much as the rest of the pipeline (measured on 600 bundled
statements: 9.0 / 4.0 / 2.2 ms of CPU a text, alone / batched / batched without entities), so:

- `parse(text, ner=True) -> Doc`: the parsed Doc. Outside `batched` it is `text.parse` (one text, cached).
  Inside `batched` it comes from the store; a text not yet in the store is noted and the item being
  evaluated is stopped (`NeedParse`), to be run again once the batch has parsed every text noted.
- `lazy(text, ner=False)`: a stand-in Doc parsed on first use (iteration, indexing, `len`, attributes), so a
  rule that decides without the parse never pays for it.
- `batched(fn, items) -> [fn(item), ...]`: evaluates `fn` on every item; in rounds, the texts the stopped
  items asked for are parsed together with `nlp.pipe` (batch_size `BATCH_SIZE`, one process; the entity
  recogniser only for texts asked for with `ner=True`) and the stopped items run again, until all are done.
  `fn` must be a pure function of its item and the parses (it is run again from the start). Items are taken
  `CHUNK` at a time and the store keeps at most `STORE_SIZE` Docs (least recently used dropped), so memory
  stays flat at any size.
- `parse(text, ner=False, lite=True)` / `lazy(..., lite=True)`: a Doc with tags and dependencies only (the
  pipes `TAGGING`, attribute ruler and lemmatizer, not run: about a third of a parse's CPU); `full(doc)` is
  the same Doc with POS and lemmas, added by running those pipes alone on it (they read the tags only).
- `remember(key, compute)`: a pure result kept per key in the store (a clause's verdict).
- `spread(fn, items)`: `batched` split with a forked second process when there are many items.
- `spread_later(fn, items) -> Later | None`: the same list, started now in forked workers that use only idle
  cores; `Later.result()` finishes it here (taking the parts no worker has begun) and returns it.
- `session()`: one store for every `batched` call inside it (drafting opens one per run), so a text parsed
  to find proposals is not parsed again to word them; without a session each `batched` call has its own.

The parse of a text is the same alone or in a batch, with or without the entity recogniser (it is the last
pipe and has its own token vectors): tags, dependencies, lemmas and entities are identical
(tests/recommend/test_parse.py). Docs asked for with `ner=False` may carry no entities (`ent_type_` is ""):
ask with `ner=True` where entities are read. Stored Docs drop `doc.tensor` (no rule reads it).
"""
from __future__ import annotations

import pickle
from collections import OrderedDict
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Callable, Iterable, Sequence, TypeVar

import numpy

from .. import text as T
from ..parallel import cores, fork_pool, lower_priority

BATCH_SIZE = 128  # texts per nlp.pipe batch (short statements: larger batches gain nothing, measured 64-256)
CHUNK = 1000  # items run together: their Docs must fit in the store at once (wording reads up to ~20 each)
STORE_SIZE = 30000  # Docs kept (a session's store; least recently used dropped), about 0.3 GB at most
# `spread`: with this many items or more, a second process (forked: it shares the loaded model and starts at
# once) takes chunks from the end while this one takes them from the start; on 2 cores wall time nearly halves.
PROCESSES = 2
SPREAD_MIN = 10000
SPREAD_CHUNK = 2000  # items per chunk handed out (a few seconds of work: the two processes finish together)
# `spread_later`: workers forked at the start of a run keep the pages the parent rewrites afterwards, so their memory
# grows with the run (measured: +0.37 GB with workers at 100,000 statements, +1.6 GB at a million, 7.9 GB in all);
# above this many items the work waits for `spread` at the stage that needs it, forked then
LATER_MAX = 250000
MEMO_SIZE = 500000  # results kept by `remember` in a store (small values: a clause's verdict); cleared when full

Item = TypeVar("Item")
Out = TypeVar("Out")


class NeedParse(Exception):
    """Raised inside `batched` when a text's Doc is not yet in the store; `batched` catches it."""


# the pipes after the parser that only a "lite" Doc goes without: coarse POS (from the tags) and lemmas
TAGGING = ("attribute_ruler", "lemmatizer")


class _Store:
    """Docs by text, least recently used dropped past `size`; `ner`: texts whose Doc has entities; `lite`:
    texts whose Doc has tags and dependencies only (no `pos_`, no `lemma_`: `TAGGING` not run)."""

    def __init__(self, size: int = STORE_SIZE) -> None:
        self.docs: OrderedDict[str, object] = OrderedDict()
        self.ner: set[str] = set()
        self.lite: set[str] = set()
        self.missing: dict[tuple[str, bool, bool], None] = {}  # insertion-ordered set
        self.memo: dict = {}  # `remember`
        self.size = size
        self.parsed = 0

    def get(self, text: str, ner: bool, lite: bool = False):
        doc = self.docs.get(text)
        if doc is None or (ner and text not in self.ner) or (not lite and text in self.lite):
            self.missing[(text, ner, lite and not ner)] = None
            raise NeedParse(text)
        self.docs.move_to_end(text)
        return doc

    def fill(self) -> int:
        """Parse every missing text (in order of first request), entities only where asked for, POS and lemmas
        unless only a lite Doc was; a stored Doc lacking what is now asked for gets the missing pipes alone,
        in pipeline order. Returns how many Docs changed."""
        nlp = T.parser()
        keys = list(self.missing)
        self.missing.clear()
        new: dict[str, tuple[bool, bool]] = {}  # text -> (ner, lite), the most asked for winning
        tag: dict[str, None] = {}  # stored lite, now asked for with POS and lemmas
        ents: dict[str, None] = {}  # stored without entities, now asked for with them
        for text, ner, lite in keys:
            if text in self.docs:
                if not lite and text in self.lite:
                    tag[text] = None
                if ner and text not in self.ner:
                    ents[text] = None
            else:
                was = new.get(text, (False, True))
                new[text] = (was[0] or ner, was[1] and lite)
        # first the upgrades, before new Docs can push these out of the store; a pipe after the parser reads
        # the tags and its own inputs only (the entity recogniser has its own token vectors), so run alone
        # on a stored Doc it sets what it would have set in the full pipeline
        for names, texts in ((TAGGING, list(tag)), (("ner",), list(ents))):
            docs = [self.docs[t] for t in texts]
            for name in names:
                if name in nlp.pipe_names and docs:
                    docs = list(nlp.get_pipe(name).pipe(docs))
            for text, doc in zip(texts, docs):
                self._keep(text, doc, ner=text in self.ner or names == ("ner",), lite=False)
        for ner, lite in ((False, True), (False, False), (True, False)):
            texts = [t for t, how in new.items() if how == (ner, lite)]
            disable = [p for p in (() if ner else ("ner",)) + (TAGGING if lite else ()) if p in nlp.pipe_names]
            for text, doc in zip(texts, nlp.pipe(texts, batch_size=BATCH_SIZE, disable=disable)):
                self._keep(text, doc, ner, lite)
        self.parsed += len(new)
        return len(new) + len(tag) + len(ents)

    def _keep(self, text: str, doc, ner: bool, lite: bool = False) -> None:
        if doc.tensor.size:  # the shared token vectors: read by no rule, and most of a Doc's memory
            doc.tensor = numpy.zeros((len(doc), 0), dtype="float32")
        self.docs[text] = doc
        self.docs.move_to_end(text)
        if ner:
            self.ner.add(text)
        (self.lite.add if lite else self.lite.discard)(text)
        while len(self.docs) > self.size:
            old, _ = self.docs.popitem(last=False)
            self.ner.discard(old)
            self.lite.discard(old)


_STORE: ContextVar[_Store | None] = ContextVar("plenary_parse_store", default=None)
_COUNTS = {"parsed": 0}  # texts parsed by `batched` in this process (benchmarks and tests read it)


def parse(text: str, ner: bool = True, lite: bool = False):
    """The parsed Doc of `text` (see the module docstring). `ner=False` where entities are not read;
    `lite=True` where only tags, dependencies and the words are read (no `pos_`, `lemma_`, entities)."""
    store = _STORE.get()
    if store is None:
        return T.parse(text)
    return store.get(text, ner, lite)


class _LazyDoc:
    """A Doc parsed on first use; behaves as the Doc for iteration, indexing, len and attributes."""

    __slots__ = ("_text", "_ner", "_lite", "_doc")

    def __init__(self, text: str, ner: bool, lite: bool = False) -> None:
        self._text, self._ner, self._lite, self._doc = text, ner, lite, None

    def _real(self):
        if self._doc is None:
            self._doc = parse(self._text, self._ner, self._lite)
        return self._doc

    def __iter__(self):
        return iter(self._real())

    def __len__(self) -> int:
        return len(self._real())

    def __getitem__(self, key):
        return self._real()[key]

    def __getattr__(self, name: str):
        return getattr(self._real(), name)

    def __repr__(self) -> str:
        return f"lazy({self._text!r})"


def lazy(text: str, ner: bool = False, lite: bool = False) -> _LazyDoc:
    return _LazyDoc(text, ner, lite)


def full(doc):
    """The Doc with POS and lemmas for a `lazy(..., lite=True)` one (same tokens, same indices), else `doc`."""
    if isinstance(doc, _LazyDoc) and doc._lite:
        return _LazyDoc(doc._text, doc._ner, False)
    return doc


def unparsed(text: str):
    """The Doc of `text` tokenised only (no tags, dependencies or entities): for a rule whose verdict cannot
    depend on the parse. About a thousandth of a parse's cost."""
    return T.parser().make_doc(text)


@contextmanager
def session(size: int = STORE_SIZE):
    """Within it, every `batched` call shares one store: a text parsed for one stage is not parsed again."""
    store = _Store(size)
    token = _STORE.set(store)
    try:
        yield store
    finally:
        _STORE.reset(token)


def remember(key, compute: Callable[[], Out]) -> Out:
    """`compute()`, a pure function of the hashable `key` (and of parses), run once per key in the current
    store (a `session`, or one `batched` chunk); outside any, every time. A `NeedParse` keeps nothing."""
    store = _STORE.get()
    if store is None:
        return compute()
    try:
        return store.memo[key]
    except KeyError:
        pass
    value = compute()
    if len(store.memo) >= MEMO_SIZE:
        store.memo.clear()
    store.memo[key] = value
    return value


def batched(fn: Callable[[Item], Out], items: Iterable[Item], chunk: int = CHUNK) -> list[Out]:
    """[fn(item) for item in items], with every parse `fn` asks for made in batches (module docstring).
    Uses the current `session`'s store, else one of its own. RuntimeError if `fn` keeps asking for a text
    it was given (a bug, not an input problem)."""
    items = list(items)
    out: list = [None] * len(items)
    outer = _STORE.get()
    for lo in range(0, len(items), chunk):
        store = outer if outer is not None else _Store()
        token = _STORE.set(store)
        before = store.parsed
        try:
            todo = list(range(lo, min(lo + chunk, len(items))))
            while todo:
                stopped = []
                for i in todo:
                    try:
                        out[i] = fn(items[i])
                    except NeedParse:
                        stopped.append(i)
                if stopped and not store.fill():
                    raise RuntimeError("drafting asked again for a parse it was given")
                todo = stopped
        finally:
            _STORE.reset(token)
            _COUNTS["parsed"] += store.parsed - before
    return out


def _worker_start() -> None:
    """In a `spread` worker (forked, the model already loaded): one store for every chunk it is given."""
    _STORE.set(_Store())


def _worker_part(fn: Callable[[Item], Out], items: list) -> tuple[list, int]:
    before = _COUNTS["parsed"]
    out = batched(fn, items)
    return out, _COUNTS["parsed"] - before


def _gather(fn: Callable[[Item], Out], parts: Sequence[list], futures: Sequence, here: Iterable[int]) -> list[Out]:
    """The parts' results in order: parts taken in the order `here` are done in this process until one is found
    that a worker has begun (the workers take theirs from the other end, so the rest are theirs too), then the
    workers' results are waited for; a part whose worker died is done here."""
    done: list[list | None] = [None] * len(parts)
    for i in here:
        if not futures[i].cancel():
            break
        done[i] = batched(fn, parts[i])
    for i, future in enumerate(futures):
        if done[i] is None:
            try:
                done[i], parsed = future.result()
            except BrokenProcessPool:  # the worker died (killed, out of memory): its part is done here
                done[i], parsed = batched(fn, parts[i]), 0
            _COUNTS["parsed"] += parsed
    return [x for part in done for x in part]


def spread(fn: Callable[[Item], Out], items: Iterable[Item], processes: int = PROCESSES,
           min_items: int = SPREAD_MIN, chunk: int = SPREAD_CHUNK) -> list[Out]:
    """`batched(fn, items)`, the same list, computed by this process and `processes - 1` forked ones when
    there are at least `min_items` items and as many cores: chunks of `chunk` items, workers from the end,
    this process from the start (in the current session), so the work splits whatever each one's speed.
    `fn` and the items must pickle (`fn` a module-level function) and `fn` must be pure (module docstring).
    Everything runs here where no forked pool can run (`parallel.fork_pool`: no fork, a daemon process, one
    core); a part whose worker dies is done here."""
    items = list(items)
    if len(items) < min_items:
        return batched(fn, items)
    T.parser()  # loaded before the fork, so the worker shares it
    pool = fork_pool(min(processes, cores()) - 1, _worker_start)
    if pool is None:
        return batched(fn, items)
    parts = [items[i: i + chunk] for i in range(0, len(items), chunk)]
    with pool:
        futures = {i: pool.submit(_worker_part, fn, parts[i]) for i in reversed(range(len(parts)))}
        return _gather(fn, parts, [futures[i] for i in range(len(parts))], range(len(parts)))


_LATER: dict = {}  # in a `spread_later` worker: the function and the pickled parts, shared by the fork


def _later_start(fn: Callable, parts: Sequence[bytes]) -> None:
    lower_priority()
    _STORE.set(_Store())
    _LATER.update(fn=fn, parts=parts)


def _later_part(i: int) -> tuple[list, int]:
    return _worker_part(_LATER["fn"], pickle.loads(_LATER["parts"][i]))


class Later:
    """`batched(fn, items)` under way in forked workers (`spread_later`); `result()` finishes and returns it,
    `cancel()` drops what no worker has begun. Either shuts the workers down; call one of them once."""

    def __init__(self, fn: Callable[[Item], Out], parts: list[list], pool):
        self.fn = fn
        self.parts = parts
        self.pool = pool
        # the workers take parts from the start; `result` takes them here from the end
        self.futures = [pool.submit(_later_part, i) for i in range(len(parts))]

    def result(self) -> list[Out]:
        """The whole list, in the order of the items (in the current session for the parts done here)."""
        with self.pool:
            return _gather(self.fn, self.parts, self.futures, reversed(range(len(self.parts))))

    def cancel(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


def spread_later(fn: Callable[[Item], Out], items: Iterable[Item], processes: int = PROCESSES,
                 min_items: int = SPREAD_MIN, chunk: int = SPREAD_CHUNK, max_items: int = LATER_MAX) -> Later | None:
    """Start `batched(fn, items)` now in `processes` forked workers (at most one per core) that run only on
    idle cores (`parallel.lower_priority`), so the stages before the one that needs it lend it the cores they
    leave idle; None (do it later with `spread`) for fewer than `min_items` or more than `max_items` items (see
    `LATER_MAX`), or where no pool can run.
    `fn` must be a module-level pure function (module docstring) and the items must pickle."""
    items = list(items)
    if not min_items <= len(items) <= max_items or cores() < 2:
        return None
    T.parser()  # loaded before the fork, so the workers share it
    parts = [items[i: i + chunk] for i in range(0, len(items), chunk)]
    # each part pickled here, before the fork: a worker reading the parent's objects would write to their
    # reference counts and so copy every page they sit on (at a million statements, gigabytes)
    pickled = [pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL) for part in parts]
    pool = fork_pool(min(processes, cores()), _later_start, (fn, pickled))
    return Later(fn, parts, pool) if pool is not None else None


def parsed_count() -> int:
    """Texts parsed by `batched` so far in this process."""
    return _COUNTS["parsed"]


__all__: Sequence[str] = ["BATCH_SIZE", "CHUNK", "NeedParse", "batched", "full", "lazy", "parse", "parsed_count", "remember",
                          "session", "spread", "spread_later", "Later", "unparsed"]
