"""Chunking: under the model window, sentence-preserving, stable ids, tables whole."""

from __future__ import annotations

import pytest

from ingest import SectionChunker, read_article
from ingest.chunker import ChunkerSettings
from ingest.loader import discover_articles
from tests.conftest import CORPUS


@pytest.fixture(scope="module")
def corpus_articles():
    paths, _ = discover_articles(CORPUS)
    return [read_article(p) for p in paths]


def test_every_prose_chunk_fits_the_model_window(corpus_articles, embedder) -> None:
    # Tables are kept whole by design (never split from their header); the encoder reads
    # their first 256 word pieces and BM25 reads all of them. Prose chunks must fit.
    chunker = SectionChunker()
    worst = max((embedder.count_tokens(c.embed_text), c.chunk_id)
                for a in corpus_articles for c in chunker.chunk(a) if "| ---" not in c.text)
    assert worst[0] <= embedder.info.max_tokens, f"{worst[1]} has {worst[0]} tokens"


def test_spans_point_into_article_text_and_ids_are_stable(corpus_articles) -> None:
    chunker = SectionChunker()
    for article in corpus_articles:
        chunks = chunker.chunk(article)
        assert chunks, f"{article.article_id} produced no chunks"
        for chunk in chunks:
            if chunk.is_reference:  # a reference-list entry has no span in the article text
                assert chunk.chunk_id == f"{article.article_id}:ref{chunk.references[0]}"
                assert (chunk.char_start, chunk.char_end) == (-1, -1)
                continue
            assert article.text[chunk.char_start:chunk.char_end] == chunk.text
            assert chunk.chunk_id == f"{article.article_id}:{chunk.char_start}"
        assert [c.chunk_id for c in chunker.chunk(article)] == [c.chunk_id for c in chunks]


def test_chunks_end_on_sentence_boundaries(corpus_articles) -> None:
    for article in corpus_articles:
        for chunk in SectionChunker(ChunkerSettings(max_words=40)).chunk(article):
            assert chunk.text.rstrip()[-1] in ".?!]|", f"{chunk.chunk_id} ends mid-sentence"


def test_table_stays_whole_with_its_heading(corpus_articles) -> None:
    article = next(a for a in corpus_articles if a.article_id == "acr-imaging-appropriateness-table")
    table_chunks = [c for c in SectionChunker().chunk(article) if "| ---" in c.text]
    assert len(table_chunks) == 1
    chunk = table_chunks[0]
    rows = [line for line in chunk.text.splitlines() if line.startswith("|")]
    source_rows = [line for line in article.text.splitlines() if line.startswith("|")]
    assert rows == source_rows
    assert chunk.section_path and "| Variant" in chunk.text


def test_chunks_carry_cited_reference_numbers(corpus_articles) -> None:
    for article in corpus_articles:
        for chunk in SectionChunker().chunk(article):
            for n in chunk.references:
                assert article.reference(n) is not None, f"{chunk.chunk_id} cites [{n}]"


def test_invalid_settings_rejected() -> None:
    with pytest.raises(ValueError, match="max_words must be at least 20"):
        ChunkerSettings(max_words=5)


def test_every_reference_is_an_item_linked_to_the_passages_citing_it(corpus_articles) -> None:
    for article in corpus_articles:
        chunks = SectionChunker().chunk(article)
        passages = [c for c in chunks if not c.is_reference]
        items = {c.references[0]: c for c in chunks if c.is_reference}
        assert sorted(items) == sorted(r.n for r in article.references), article.article_id
        assert all(c.kind == "passage" for c in passages)
        for n, item in items.items():
            ref = article.reference(n)
            assert ref is not None and item.kind == "reference"
            assert ref.title in item.text and (not ref.year or str(ref.year) in item.text)
            assert item.embed_text == item.text, "a reference is embedded without the article"
            citing = [c.chunk_id for c in passages if n in c.references]
            assert item.cites_from == tuple(citing), f"{item.chunk_id} links {item.cites_from}"


def test_chunk_round_trip_and_older_chunks_load_as_passages(corpus_articles) -> None:
    from ingest.records import Chunk

    chunks = SectionChunker().chunk(corpus_articles[0])
    for chunk in chunks:
        assert Chunk.from_dict(chunk.as_dict()) == chunk
    old = chunks[0].as_dict()
    del old["kind"], old["cites_from"]  # a chunk saved before reference items existed
    assert Chunk.from_dict(old).kind == "passage" and Chunk.from_dict(old).cites_from == ()
