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
- `session()`: one store for every `batched` call inside it (drafting opens one per run), so a text parsed
  to find proposals is not parsed again to word them; without a session each `batched` call has its own.

The parse of a text is the same alone or in a batch, with or without the entity recogniser (it is the last
pipe and has its own token vectors): tags, dependencies, lemmas and entities are identical
(tests/recommend/test_parse.py). Docs asked for with `ner=False` may carry no entities (`ent_type_` is ""):
ask with `ner=True` where entities are read. Stored Docs drop `doc.tensor` (no rule reads it).
"""
from __future__ import annotations

from collections import OrderedDict
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Callable, Iterable, Sequence, TypeVar

import numpy

from .. import text as T

BATCH_SIZE = 128  # texts per nlp.pipe batch (short statements: larger batches gain nothing, measured 64-256)
CHUNK = 1000  # items run together: their Docs must fit in the store at once (wording reads up to ~20 each)
STORE_SIZE = 30000  # Docs kept (a session's store; least recently used dropped), about 0.3 GB at most

Item = TypeVar("Item")
Out = TypeVar("Out")


class NeedParse(Exception):
    """Raised inside `batched` when a text's Doc is not yet in the store; `batched` catches it."""


class _Store:
    """Docs by text, least recently used dropped past `size`; `ner`: texts whose Doc has entities."""

    def __init__(self, size: int = STORE_SIZE) -> None:
        self.docs: OrderedDict[str, object] = OrderedDict()
        self.ner: set[str] = set()
        self.missing: dict[tuple[str, bool], None] = {}  # insertion-ordered set
        self.size = size
        self.parsed = 0

    def get(self, text: str, ner: bool):
        doc = self.docs.get(text)
        if doc is None or (ner and text not in self.ner):
            self.missing[(text, ner)] = None
            raise NeedParse(text)
        self.docs.move_to_end(text)
        return doc

    def fill(self) -> int:
        """Parse every missing text (in order of first request), entities only where asked for; a text
        parsed before without entities gets the entity recogniser alone. Returns how many Docs changed."""
        nlp = T.parser()
        keys = list(self.missing)
        self.missing.clear()
        plain: dict[str, None] = {}
        full: dict[str, None] = {}
        ents: dict[str, None] = {}  # parsed before without entities, now asked for with them
        for text, ner in keys:
            if text in self.docs:
                if ner and text not in self.ner:
                    ents[text] = None
            else:
                (full if ner else plain)[text] = None
        todo = {False: [t for t in plain if t not in full], True: list(full), "ents": list(ents)}
        if todo["ents"]:  # first, before new Docs can push these out of the store
            # the entity recogniser has its own token vectors (en_core_web_sm): run alone, it finds the same
            for text, doc in zip(todo["ents"], nlp.get_pipe("ner").pipe([self.docs[t] for t in todo["ents"]])):
                self._keep(text, doc, True)
        for ner in (False, True):
            disable = [] if ner else [p for p in ("ner",) if p in nlp.pipe_names]
            for text, doc in zip(todo[ner], nlp.pipe(todo[ner], batch_size=BATCH_SIZE, disable=disable)):
                self._keep(text, doc, ner)
        self.parsed += len(todo[False]) + len(todo[True])
        return len(todo[False]) + len(todo[True]) + len(todo["ents"])

    def _keep(self, text: str, doc, ner: bool) -> None:
        if doc.tensor.size:  # the shared token vectors: read by no rule, and most of a Doc's memory
            doc.tensor = numpy.zeros((len(doc), 0), dtype="float32")
        self.docs[text] = doc
        self.docs.move_to_end(text)
        if ner:
            self.ner.add(text)
        while len(self.docs) > self.size:
            old, _ = self.docs.popitem(last=False)
            self.ner.discard(old)


_STORE: ContextVar[_Store | None] = ContextVar("plenary_parse_store", default=None)
_COUNTS = {"parsed": 0}  # texts parsed by `batched` in this process (benchmarks and tests read it)


def parse(text: str, ner: bool = True):
    """The parsed Doc of `text` (see the module docstring). `ner=False` where entities are not read."""
    store = _STORE.get()
    if store is None:
        return T.parse(text)
    return store.get(text, ner)


class _LazyDoc:
    """A Doc parsed on first use; behaves as the Doc for iteration, indexing, len and attributes."""

    __slots__ = ("_text", "_ner", "_doc")

    def __init__(self, text: str, ner: bool) -> None:
        self._text, self._ner, self._doc = text, ner, None

    def _real(self):
        if self._doc is None:
            self._doc = parse(self._text, self._ner)
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


def lazy(text: str, ner: bool = False) -> _LazyDoc:
    return _LazyDoc(text, ner)


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


def parsed_count() -> int:
    """Texts parsed by `batched` so far in this process."""
    return _COUNTS["parsed"]


__all__: Sequence[str] = ["BATCH_SIZE", "CHUNK", "NeedParse", "batched", "lazy", "parse", "parsed_count", "session",
                          "unparsed"]
