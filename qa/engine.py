"""The question-answering engine: load an index once, answer questions with citations."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from citewise.settings import Settings
from index.embedder import Embedder, load_embedder
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
from qa.composer import candidates, cite, select
from qa.evidence import evidence_score
from qa.generative import GenerativeComposer
from qa.named_source import find_named_source, profiles, strip_named
from qa.records import NAMED_NOT_COVERED, Answer, Passage
from qa.retriever import HybridRetriever
from qa.scope import scope_gap

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


class QAEngine:
    """Holds one loaded index, its BM25 and the model; `ask` is safe to call repeatedly."""

    def __init__(self, data: IndexData, embedder: Embedder, settings: Settings,
                 composer: GenerativeComposer | None = None) -> None:
        self.composer = composer  # None: the extractive composer (no LLM, no network)
        self.data = data
        self.embedder = embedder
        self.settings = settings
        self.retriever = HybridRetriever(data, embedder, k=settings.retrieve_k,
                                         rrf_k=settings.rrf_k)
        self.audit = AuditLog(settings.audit_path) if settings.audit_log else None
        self._settings_hash = settings.fingerprint()
        self.profiles = profiles(data.articles)  # how each article can be named
        self._known = {p.article_id: known_acronyms(p) for p in self.profiles}
        self._chunks = {c.chunk_id: c for c in data.chunks}
        self._reporters = comparison_voices(data.articles)

    @classmethod
    def load(cls, settings: Settings | None = None, index_dir: Path | None = None,
             embedder: Embedder | None = None) -> QAEngine:
        settings = settings or Settings.from_env()
        embedder = embedder or load_embedder()
        data = load_index(index_dir or settings.index_dir, model=embedder.info.as_dict(),
                          chunker=chunker_settings(settings).as_dict())
        composer = None
        if settings.llm_provider:
            from qa.generative import chat_model_from_settings

            composer = GenerativeComposer(chat_model_from_settings(
                settings.llm_provider, settings.llm_model, settings.llm_base_url))
        return cls(data, embedder, settings, composer)

    @property
    def version(self) -> str:
        return self.data.manifest.version_id

    def is_stale(self, index_dir: Path | None = None) -> bool:
        """True when another ingest has switched the index since this one was loaded."""
        return current_version(index_dir or self.settings.index_dir) not in (None, self.version)

    def retrieve(self, question: str, history: Sequence[str] = ()) -> list[Passage]:
        return self.retriever.retrieve(retrieval_query(question, history))

    def ask(self, question: str, history: Sequence[str] = ()) -> Answer:
        """Answer from the indexed articles, or abstain when the evidence is weak; the answer
        is appended to the audit log when that is on."""
        answer = self._answer(question, history)
        if self.audit is not None:
            self.audit.record(answer, self.version, self._settings_hash)
        return answer

    def _answer(self, question: str, history: Sequence[str]) -> Answer:
        started = time.perf_counter()
        if not question or not question.strip():
            raise QuestionError("the question is empty")
        query = retrieval_query(question, history)
        if not any(ch.isalnum() for ch in query):
            raise QuestionError("the question has no words in it")
        named = find_named_source(question, self.profiles)
        question_topic, within = question, None
        if named is not None:  # answer only from the named articles, about the rest
            topic = strip_named(question, named)
            if any(ch.isalnum() for ch in topic):
                question_topic, within = topic, named.article_ids
                query = retrieval_query(topic, history)
        s = self.settings
        t_embed = time.perf_counter()
        query_vector = self.embedder.encode_query(query)
        embed_ms = (time.perf_counter() - t_embed) * 1e3
        passages = self.retriever.retrieve(query, query_vector, article_ids=within)
        timings = dict(self.retriever.timings_ms) | {"embed_query": embed_ms}
        top = passages[: s.passages_for_answer]
        evidence = evidence_score(query, top, self.retriever.idf, s.passages_for_answer,
                                  self.retriever.in_corpus)
        gap = scope_gap(question_topic, top)
        if gap is not None:
            evidence = 0.0  # the question is about something the passages do not discuss
        t0 = time.perf_counter()
        statements, citations = [], []
        answerable = gap is None and evidence >= s.min_evidence
        if answerable and self.composer is not None:
            statements, citations = self.composer.compose(query, top, self.data.articles)
        elif answerable:
            cands = candidates(query, top, self.embedder.encode_sentences, query_vector,
                               self.retriever.idf)
            chosen = select(cands, s.max_statements, s.statement_min_relative,
                            s.duplicate_jaccard, s.other_article_relative)
            statements, citations = cite(chosen, self.data.articles)
        statements = attribute_statements(statements, self._chunks, self.data.articles,
                                          self._known)
        timings["compose"] = (time.perf_counter() - t0) * 1e3
        composer = self.composer.name if self.composer is not None else "extractive"
        if not statements:
            closest = tuple(dict.fromkeys(p.chunk.title for p in passages[:5]))[:3]
            if gap is not None:
                reason = gap.reason
            elif evidence < s.min_evidence:
                reason = f"evidence {evidence:.2f} is below the threshold {s.min_evidence:.2f}"
            elif self.composer is not None:
                reason = "the generative composer produced no supported sentence"
            else:
                reason = "no quotable sentence in the passages"
            if within is not None and named is not None:
                reason = (f"{NAMED_NOT_COVERED} ({named.label}) does not cover this question "
                          f"({reason})")
            return Answer(question=question, bottom_line=None, statements=(), citations=(),
                          retrieved=tuple(passages), abstained=True, evidence=evidence,
                          disclaimer=s.disclaimer, abstain_reason=reason,
                          closest_titles=closest, composer=composer,
                          named_source=named.as_dict() if named else None,
                          latency_ms=(time.perf_counter() - started) * 1e3, timings_ms=timings)
        return Answer(question=question, bottom_line=statements[0],
                      statements=tuple(statements[1:]), citations=tuple(citations),
                      retrieved=tuple(passages), abstained=False, evidence=evidence,
                      disclaimer=s.disclaimer, composer=composer,
                      latency_ms=(time.perf_counter() - started) * 1e3, timings_ms=timings,
                      named_source=named.as_dict() if named is not None else None,
                      sources=tuple(g.as_dict() for g in group_by_source(statements)),
                      differ=find_difference(question_topic, statements,
                                             " ".join(c.title for c in citations),
                                             self._reporters))

