"""The question-answering engine: load an index once, answer questions with citations."""

from __future__ import annotations

import dataclasses
import gc
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from config.settings import Settings
from index.query_encoder import TextEncoder, ensure_onnx_export, load_query_encoder
from index.store import IndexData, current_version, load_index
from ingest.chunker import ChunkerSettings
from qa.agreement import (
    attribute_statements,
    comparison_voices,
    find_difference,
    group_by_source,
    known_acronyms,
)
from qa.audit import AuditLog
from qa.cited_work import compose_cited_work, find_cited_work, unknown_year
from qa.closest import on_topic_titles
from qa.comparison import balanced_passages, compared, each_side
from qa.composer import candidates, cite, select
from qa.evidence import evidence_score, known_share, shares_title, unknown_terms
from qa.lexical import lexical_index
from qa.name_tables import name_tables
from qa.named_source import (
    find_named_source,
    profiles,
    strip_named,
    unknown_issuer,
)
from qa.records import NAMED_NOT_COVERED, Answer, Passage
from qa.reference_search import ReferenceSearch
from qa.retriever import HybridRetriever
from qa.scope import excluded_topic, scope_gap
from qa.section_statement import first_chunks, with_section_statements
from qa.stage_clock import StageClock

if TYPE_CHECKING:  # langchain (~1 s to import) only when an LLM composer is configured
    from qa.audience import Reworded
    from qa.generative import Generated, GenerativeComposer

MAX_QUESTION_CHARS = 2000


class QuestionError(ValueError):
    """The question cannot be answered as given (empty, nothing but punctuation)."""


def chunker_settings(settings: Settings) -> ChunkerSettings:
    return ChunkerSettings(max_words=settings.chunk_max_words,
                           overlap_sentences=settings.chunk_overlap_sentences)


def retrieval_query(question: str, history: Sequence[str]) -> str:
    """A follow-up is read together with the previous question of the conversation."""
    question = " ".join(question.split())[:MAX_QUESTION_CHARS]
    if history:
        return f"{history[-1]} {question}"[:MAX_QUESTION_CHARS]
    return question


def prepare_answering(settings: Settings, index_dir: Path | None = None) -> None:
    """Build now what the first answer would otherwise pay for: the live version's BM25 and
    name tables (saved beside it) and the ONNX query graph (exported from the bundled
    weights)."""
    data = load_index(index_dir or settings.index_dir)
    lexical_index(data)
    name_tables(data)
    if settings.query_encoder == "onnx":
        ensure_onnx_export(settings.onnx_cache_dir)


class QAEngine:
    """Holds one loaded index, its BM25 and the model; `ask` is safe to call repeatedly."""

    def __init__(self, data: IndexData, embedder: TextEncoder, settings: Settings,
                 composer: GenerativeComposer | None = None, composer_error: str = "") -> None:
        self.composer = composer  # None: the extractive composer (no LLM, no network)
        # Why the configured LLM could not be set up (shown with every answer), or "".
        self.composer_error = composer_error
        self.data = data
        self.embedder = embedder
        self.settings = settings
        self.retriever = HybridRetriever(data, embedder, k=settings.retrieve_k,
                                         rrf_k=settings.rrf_k)
        self.references = ReferenceSearch(data, k=settings.retrieve_k, rrf_k=settings.rrf_k)
        self.audit = AuditLog(settings.audit_path) if settings.audit_log else None
        self._settings_hash = settings.fingerprint()
        names = name_tables(data)  # read once per version from the whole library's text
        self.profiles = profiles(data.articles, names.distinctive)  # how each can be named
        self._known = {p.article_id: known_acronyms(p) for p in self.profiles}
        self._chunks = {c.chunk_id: c for c in data.chunks}
        self._section_heads = first_chunks(data.chunks)  # statements heading their evidence
        self._reporters = comparison_voices(data.articles)
        self._acronyms = names.acronyms  # organisations a question may name

    @classmethod
    def load(cls, settings: Settings | None = None, index_dir: Path | None = None,
             embedder: TextEncoder | None = None) -> QAEngine:
        settings = settings or Settings.from_env()
        embedder = embedder or load_query_encoder(settings.query_encoder,
                                                  settings.onnx_cache_dir)
        data = load_index(index_dir or settings.index_dir, model=embedder.info.as_dict(),
                          chunker=chunker_settings(settings).as_dict())
        composer, composer_error = None, ""
        if settings.llm_provider:
            from qa.generative import GenerativeComposer
            from qa.llm_client import LLMServer, chat_model_from_settings

            try:
                composer = GenerativeComposer(chat_model_from_settings(settings),
                                              LLMServer.from_settings(settings),
                                              settings.llm_min_grounding)
            except ValueError as exc:  # a bad CITEWISE_LLM_* value: answer without the LLM
                composer_error = f"the language model is not set up: {exc}"
        engine = cls(data, embedder, settings, composer, composer_error)
        # The loaded index is long-lived objects (~1M at 954 documents): kept out of the
        # cyclic collector's scans, so a full collection (0.26 s at 100 documents) never lands
        # inside an answer. Refcounting still frees a replaced engine.
        gc.freeze()
        return engine

    def sentence_vectors(self, keys: list[str]) -> np.ndarray:
        """The composer's sentence vectors: stored at ingest; any other encoded now."""
        return self.data.sentences.lookup(keys, self.embedder.encode_sentences)

    @property
    def version(self) -> str:
        return self.data.manifest.version_id

    def is_stale(self, index_dir: Path | None = None) -> bool:
        """True when another ingest has switched the index since this one was loaded."""
        return current_version(index_dir or self.settings.index_dir) not in (None, self.version)

    def retrieve(self, question: str, history: Sequence[str] = ()) -> list[Passage]:
        return self.retriever.retrieve(retrieval_query(question, history))

    def ask(self, question: str, history: Sequence[str] = (),
            on_text: Callable[[str], None] | None = None) -> Answer:
        """Answer from the indexed articles, or abstain when the evidence is weak; the answer
        is appended to the audit log when that is on. With a generative composer, `on_text`
        receives its draft as it streams (before validation); when the LLM server fails the
        extractive composer answers and `composer_notice` says why."""
        answer = self._answer(question, history, on_text)
        if self.audit is not None:
            self.audit.record(answer, self.version, self._settings_hash)
        return answer

    def reword(self, answer: Answer, audience: str,
               on_text: Callable[[str], None] | None = None) -> Reworded:
        """The answer worded for `audience` ("clinician" or "patient", which needs an LLM)."""
        from qa.audience import reword

        worded = reword(answer, audience, self.composer, on_text)
        if worded.notice and self.composer_error:
            return replace(worded, notice=f"{worded.notice} ({self.composer_error})")
        return worded

    def _answer(self, question: str, history: Sequence[str],
                on_text: Callable[[str], None] | None = None) -> Answer:
        started = time.perf_counter()
        if not question or not question.strip():
            raise QuestionError("the question is empty")
        query = retrieval_query(question, history)
        if not any(ch.isalnum() for ch in query):
            raise QuestionError("the question has no words in it")
        clock = StageClock(started)  # stages that add up to latency_ms
        named = find_named_source(question, self.profiles)
        question_topic, within = question, None
        if named is not None:  # answer only from the named articles, about the rest
            topic = strip_named(question, named)
            if any(ch.isalnum() for ch in topic):
                question_topic, within = topic, named.article_ids
                query = retrieval_query(topic, history)
        s = self.settings
        clock.lap("question")  # its words, the source it names
        query_vector = self.embedder.encode_query(query)
        clock.lap("embed_query")
        passages = self.retriever.retrieve(query, query_vector, article_ids=within)
        parts = {k: v for k, v in self.retriever.timings_ms.items() if k != "embed_query"}
        clock.lap_split(parts, rest="fusion")  # ranking bookkeeping counts as fusion
        timings = clock.ms
        top = passages[: s.passages_for_answer]
        sides = compared(named)
        if sides:  # each compared guideline gets its own passages
            top = balanced_passages(sides, lambda ids: self.retriever.retrieve(
                query, query_vector, article_ids=ids), s.passages_for_answer)
            clock.lap("compare")
        refs = self.references.retrieve(query, query_vector)
        work = find_cited_work(query, refs, top, self.retriever.idf,
                               s.reference_min_coverage, s.reference_min_novel,
                               s.reference_min_margin)
        # Reference items follow the passages (ranks go on), so passage ranks are unchanged.
        retrieved = tuple(passages) + tuple(
            dataclasses.replace(r, rank=len(passages) + i)
            for i, r in enumerate(refs[: s.reference_k], start=1))
        clock.lap("references")
        if work:
            return self._cited_work_answer(question, work, retrieved, timings, started)
        year = unknown_year(query, top, self.references.years)
        issuer = unknown_issuer(question, self._acronyms.__contains__) if named is None else None
        evidence = evidence_score(query, top, self.retriever.idf, s.passages_for_answer,
                                  self.retriever.in_corpus)
        gap = scope_gap(question_topic, top) or excluded_topic(question_topic, passages)
        # Words no article writes, in a question sharing no word with the titles of the
        # articles it retrieves: how much of it they carry (qa.evidence.known_share).
        unknown = unknown_terms(query, self.retriever.in_corpus)
        share = 1.0 if not unknown or shares_title(query, top) else \
            known_share(query, unknown, query_vector, self.embedder.encode_query)
        foreign = share < s.min_known_share
        if gap is not None or year is not None or issuer is not None or foreign:
            evidence = 0.0  # the question is about something the passages do not discuss
        clock.lap("checks")  # what may make it abstain
        statements, citations = [], []
        answerable = gap is None and year is None and issuer is None and not foreign and \
            evidence >= s.min_evidence
        generated: Generated | None = None
        composer = self.composer.name if self.composer is not None else "extractive"
        notice = ""
        if self.composer_error:
            notice = f"{self.composer_error}; the extractive answer is shown"
        if answerable and self.composer is not None:
            from qa.llm_client import LLMUnavailableError

            try:
                generated = self.composer.generate(query, top, self.data.articles, on_text)
                statements, citations = list(generated.statements), list(generated.citations)
            except LLMUnavailableError as exc:
                composer, notice = "extractive", f"{exc}; the extractive answer is shown"
        if answerable and composer == "extractive":
            cands = candidates(query, with_section_statements(top, self._section_heads),
                               self.sentence_vectors, query_vector,
                               self.retriever.idf, form_weight=s.answer_form_weight,
                               title_weight=s.title_term_weight)
            # Another article's sentences are limited, unless guidelines are set side by side.
            limits = {} if sides else {"other_article_relative": s.other_article_relative,
                                       "other_article_max_rank": s.other_article_max_rank,
                                       "other_article_terms": s.other_article_terms}
            chosen = select(cands, s.max_statements, s.statement_min_relative,
                            s.duplicate_jaccard, **limits)
            if sides:  # ... and its own say in the answer
                chosen = each_side(chosen, cands, sides, s.statement_min_relative)
            statements, citations = cite(chosen, self.data.articles)
        statements = attribute_statements(statements, self._chunks, self.data.articles,
                                          self._known)
        clock.lap("compose")
        if not statements:
            absent = foreign or year is not None or issuer is not None or (
                gap is not None and gap.names_subject)  # no article is about the topic
            closest = () if absent else on_topic_titles(question_topic, passages[:5],
                                                        self.data.articles)
            if gap is not None:
                reason = gap.reason
            elif year is not None:
                reason = f"the articles neither cite nor discuss a work from {year}"
            elif issuer is not None:
                reason = f"no indexed article is from {issuer} or mentions it"
            elif foreign:
                reason = (f"no indexed article mentions {', '.join(unknown)}, which the "
                          f"question is about (known share {share:.2f})")
            elif evidence < s.min_evidence:
                reason = f"evidence {evidence:.2f} is below the threshold {s.min_evidence:.2f}"
            elif generated is not None:
                reason = generated.abstain_reason
            else:
                reason = "no quotable sentence in the passages"
            if within is not None and named is not None:
                reason = (f"{NAMED_NOT_COVERED} ({named.label}) does not cover this question "
                          f"({reason})")
            clock.lap("abstain")  # the reason and the closest titles
            return Answer(question=question, bottom_line=None, statements=(), citations=(),
                          retrieved=retrieved, abstained=True, evidence=evidence,
                          disclaimer=s.disclaimer, abstain_reason=reason,
                          closest_titles=closest, composer=composer, composer_notice=notice,
                          named_source=named.as_dict() if named else None,
                          unknown_terms=unknown, known_share=share,
                          latency_ms=clock.elapsed_ms(), timings_ms=timings)
        sources = tuple(g.as_dict() for g in group_by_source(statements))
        differ = find_difference(question_topic, statements,
                                 " ".join(c.title for c in citations), self._reporters)
        clock.lap("sources")
        return Answer(question=question, bottom_line=statements[0],
                      statements=tuple(statements[1:]), citations=tuple(citations),
                      retrieved=retrieved, abstained=False, evidence=evidence,
                      disclaimer=s.disclaimer, composer=composer, composer_notice=notice,
                      latency_ms=clock.elapsed_ms(), timings_ms=timings,
                      named_source=named.as_dict() if named is not None else None,
                      unknown_terms=unknown, known_share=share, sources=sources,
                      differ=differ)

    def _cited_work_answer(self, question: str, work: list[Passage],
                           retrieved: tuple[Passage, ...], timings: dict[str, float],
                           started: float) -> Answer:
        """The statements citing the work, the articles they come from, and the reference; an
        abstention when no statement of the articles cites it."""
        s = self.settings
        t0 = time.perf_counter()
        statements, citations, cited = compose_cited_work(work, self.data, s.max_statements)
        timings["compose"] = (time.perf_counter() - t0) * 1e3
        evidence = max(work[0].dense_score or 0.0, 0.0)
        common = dict(question=question, retrieved=retrieved, evidence=evidence,
                      disclaimer=s.disclaimer, composer="extractive", timings_ms=timings)
        if cited is None:
            titles = tuple(dict.fromkeys(p.chunk.title for p in work))[:3]
            return Answer(bottom_line=None, statements=(), citations=(), abstained=True,
                          abstain_reason="the work asked about is in a reference list, but no "
                          "statement of the articles cites it", closest_titles=titles,
                          latency_ms=(time.perf_counter() - started) * 1e3, **common)
        return Answer(bottom_line=statements[0], statements=tuple(statements[1:]),
                      citations=tuple(citations), abstained=False, cited_work=cited,
                      latency_ms=(time.perf_counter() - started) * 1e3, **common)
