"""Candidate answer units: the sentences of retrieved passages, and each list with the line
that introduces it (a heading or "Risk factors include:" with its items).

A unit is quoted whole and verbatim (citation markers stripped, whitespace folded), so an
answer never says more than a passage does. What a unit is worth for a question is the learned
scorer's call (qa.scorer); only what must never be quoted is set aside here: text that
addresses a language model, tables (a cell means nothing without its row), run-ons of lost
layout, and sentences that by their form state nothing (qa.sentence_form: a question, a case
vignette, a heading, a pointer, a reference, a tick matrix). The last is a hard rule because
it wins on held-out documents: as scorer features instead, fact coverage over folds of
documents was 0.727 / 0.724 (two fold draws) against 0.733 / 0.727 with the rule, every other
figure the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from index.sentence_vectors import clean_unit, sentence_key
from ingest.injection import looks_like_instruction
from ingest.sentences import Span, quotable_units
from qa.records import Passage
from qa.sentence_form import sentence_form

SENTENCE, ITEM, LIST = "sentence", "item", "list"
MIN_UNIT_WORDS = 3
# Longer than any sentence of well-formed prose (corpus/ max 41 words, the seed articles max
# 90, p99 55): a unit this long is a flattened table, a contents page or an author list.
MAX_UNIT_WORDS = 100
MAX_LIST_WORDS = 160  # a list with its lead line, quoted whole
MAX_LIST_ITEMS = 12


@dataclass(frozen=True)
class Unit:
    """One quotable unit of a passage."""

    text: str  # as quoted
    raws: tuple[str, ...]  # as they stand in the passage (highlighting): one, or lead + items
    passage: Passage
    kind: str  # SENTENCE | ITEM | LIST
    position: int  # index among the passage's units (0 = first)
    # keys of the stored sentence vectors (index.sentence_vectors): a list's are its lead's
    # and its items', and its vector their normalised mean
    keys: tuple[str, ...]

    @property
    def article_id(self) -> str:
        return self.passage.chunk.article_id


@lru_cache(maxsize=16_384)
def _spans(chunk_text: str) -> tuple[Span, ...]:
    """A chunk's quotable spans, kept: the same passages come back question after question."""
    return tuple(quotable_units(chunk_text))


def _lists(spans: Sequence[Span]) -> list[tuple[int, int]]:
    """(first, end) span indexes of each run of two or more list items."""
    runs, i = [], 0
    while i < len(spans):
        if spans[i].kind != ITEM:
            i += 1
            continue
        j = i
        while j < len(spans) and spans[j].kind == ITEM:
            j += 1
        if j - i >= 2:
            runs.append((i, j))
        i = j
    return runs


def _joined(lead: str, items: Sequence[str]) -> str:
    body = "; ".join(item.rstrip(" ;.") for item in items)
    return f"{lead.rstrip(' :')}: {body}." if lead else f"{body}."


@lru_cache(maxsize=16_384)
def _chunk_units(chunk_text: str, section: str) -> tuple[
        tuple[str, tuple[str, ...], str, int, tuple[str, ...]], ...]:
    """(text, raws, kind, position, member texts) of a chunk's units; pure, so kept."""
    spans = _spans(chunk_text)
    out: list[tuple[str, tuple[str, ...], str, int, tuple[str, ...]]] = []
    for i, span in enumerate(spans):
        if span.kind == "table":
            continue
        text = clean_unit(span.text)
        if MIN_UNIT_WORDS <= len(text.split()) <= MAX_UNIT_WORDS and not text.endswith(":") \
                and sentence_form(text) is None:
            out.append((text, (span.text,), ITEM if span.kind == ITEM else SENTENCE, i,
                        (text,)))
    for first, end in _lists(spans):
        lead_span = spans[first - 1] if first and spans[first - 1].kind == SENTENCE else None
        lead = clean_unit(lead_span.text) if lead_span and lead_span.text.rstrip().endswith(
            ":") else ""
        items = [clean_unit(s.text) for s in spans[first:end][:MAX_LIST_ITEMS]]
        text = _joined(lead or section, items)
        if len(text.split()) <= MAX_LIST_WORDS:
            raws = ((lead_span.text,) if lead else ()) + tuple(
                s.text for s in spans[first:end][:MAX_LIST_ITEMS])
            members = ((lead,) if lead else ()) + tuple(i for i in items if i)
            out.append((text, raws, LIST, first - 1 if lead else first, members))
    return tuple(out)


def answer_units(passages: Sequence[Passage]) -> list[Unit]:
    """Every quotable unit of the passages, first occurrence of each text only."""
    seen: set[str] = set()
    out: list[Unit] = []
    for passage in passages:
        chunk = passage.chunk
        for text, raws, kind, position, members in _chunk_units(chunk.text, chunk.section):
            if text in seen or looks_like_instruction(text):
                continue  # untrusted text addressing a model is never quoted
            seen.add(text)
            keys = tuple(sentence_key(chunk.section, m) for m in members)
            out.append(Unit(text, raws, passage, kind, position, keys))
    return out
