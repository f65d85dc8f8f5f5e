"""Sections headed by a statement: a recommendation set above the evidence it rests on.

Guidelines such as NASS 2020 print each recommendation in bold, its grade under it, then a
summary of every study behind it. Chunked, the recommendation is the section heading of a
dozen study summaries, and its own sentence is in the section's first chunk only; retrieval
ranks the study summaries, each of which repeats the heading's words, above that chunk. The
first chunk of such a section is the one that states what the section's evidence concludes,
so it joins the passages the composer quotes from.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import lru_cache

from ingest.records import Chunk
from qa.records import Passage
from qa.sentence_form import sentence_form

MIN_HEADING_STATEMENT_WORDS = 8  # "Back school is recommended to provide ..." vs "Exercise"


@lru_cache(maxsize=16_384)
def heads_with_statement(heading: str) -> bool:
    """A heading that is itself a statement: a full sentence, not a title or a question."""
    text = heading.strip()
    return (len(text.split()) >= MIN_HEADING_STATEMENT_WORDS and text.endswith(".")
            and sentence_form(text) is None)


def first_chunks(chunks: Iterable[Chunk]) -> dict[tuple[str, tuple[str, ...]], Chunk]:
    """The first passage chunk of each section headed by a statement, by (article, path)."""
    out: dict[tuple[str, tuple[str, ...]], Chunk] = {}
    for c in chunks:
        if c.is_reference or not c.section_path or not heads_with_statement(c.section_path[-1]):
            continue
        key = (c.article_id, c.section_path)
        if key not in out or c.char_start < out[key].char_start:
            out[key] = c
    return out


def with_section_statements(passages: Sequence[Passage],
                            first: dict[tuple[str, tuple[str, ...]], Chunk]) -> list[Passage]:
    """`passages`, then the first chunk of each statement-headed section among them that they
    lack, scored as the best passage of its section."""
    have = {p.chunk.chunk_id for p in passages}
    out = list(passages)
    for p in passages:
        head = first.get((p.chunk.article_id, p.chunk.section_path))
        if head is not None and head.chunk_id not in have:
            have.add(head.chunk_id)
            out.append(replace(p, chunk=head))
    return out
