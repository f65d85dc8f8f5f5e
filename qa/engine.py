"""The question-answering engine: load an index once, answer questions with citations."""

from __future__ import annotations

import dataclasses
import gc
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from config.settings import Settings
from index.query_encoder import TextEncoder, ensure_onnx_export, load_query_encoder
from index.store import IndexData, current_version, load_index
from ingest.chunker import ChunkerSettings
from ingest.injection import sets_sources_aside
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
from qa.comparison import balanced_passages, compared
from qa.composer import Candidate, cite, select
from qa.decline import Signals
from qa.evidence import evidence_score, known_share, term_coverage, unknown_terms
from qa.features import (
    QuestionTerms,
    question_weights,
    states_amount,
    unit_features,
    unit_vectors,
)
from qa.lexical import lexical_index
from qa.name_tables import name_tables
from qa.named_source import (
    NamedSource,
    find_named_source,
    profiles,
    strip_named,
    unknown_issuer,
)
from qa.records import Answer, Passage
from qa.reference_search import ReferenceSearch
from qa.retriever import HybridRetriever
from qa.scope import excluded_topic, scope_gap
from qa.scorer import ScorerModel, load_model
from qa.section_statement import first_chunks, with_section_statements
from qa.stage_clock import StageClock
from qa.text import stem, text_stems
from qa.units import Unit, answer_units

if TYPE_CHECKING:  # langchain (~1 s to import) only when an LLM composer is configured
    from qa.audience import Reworded
    from qa.generative import Generated, GenerativeComposer

MAX_QUESTION_CHARS = 2000
_YEAR = re.compile(r"\b(?:19[5-9]\d|20\d\d)\b")


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


@dataclass(frozen=True)
class Prepared:
    """What `QAEngine.prepare` found for a question; `QAEngine.compose` decides from it."""

    question: str
    question_topic: str  # without the words that named its source
    query: str  # what retrieval read (with the previous question of a follow-up)
    named: NamedSource | None
    sides: tuple[str, ...]  # articles a comparison sets side by side
    passages: tuple[Passage, ...]
    top: tuple[Passage, ...]  # the passages answers are quoted from
    retrieved: tuple[Passage, ...]  # passages, then reference items
    work: tuple[Passage, ...]  # reference items of a cited work the question asks about
    units: tuple[Unit, ...]
    features: np.ndarray  # one row per unit (qa.features.UNIT_FEATURES)
    signals: Signals
    instruction: bool  # the question addresses a model ("ignore the documents ...")
    timings: dict[str, float]  # stage laps so far (qa.stage_clock)
    started: float
    elapsed_ms: float  # the preparation's time, up to its last lap


def _source_words(named: NamedSource | None) -> tuple[str, ...]:
    """The names (not years) a question named its source by: "ACP", "VA/DoD" and "VA", "DoD"."""
    if named is None:
        return ()
    names = [m for m in named.matched if not _YEAR.fullmatch(m)]
    return tuple(dict.fromkeys([*names, *(p for m in names for p in m.split("/") if p)]))


def preferred(named: Sequence[Passage], everyone: Sequence[Passage],
              n_named: int) -> list[Passage]:
    """The named source's best `n_named` passages, then every other passage by its own rank
    (the named source's others among them), ranked again 1, 2, ...: a named source is a
    preference, never a filter, so its documents lead and a document reporting it still
    counts."""
    lead = list(named[:n_named])
    seen = {p.chunk.chunk_id for p in lead}
    rest = [p for p in everyone if p.chunk.chunk_id not in seen]
    return [dataclasses.replace(p, rank=i) for i, p in enumerate([*lead, *rest], start=1)]


class QAEngine:
    """Holds one loaded index, its BM25 and the model; `ask` is safe to call repeatedly."""

    def __init__(self, data: IndexData, embedder: TextEncoder, settings: Settings,
                 composer: GenerativeComposer | None = None, composer_error: str = "",
                 model: ScorerModel | None = None) -> None:
        self.model = model or load_model()  # the learned answer scorer (qa/models)
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
        # what shaped the answers: the settings and the scorer's training data
        self._settings_hash = f"{settings.fingerprint()}/{self.model.training.get('data_hash')}"
        names = name_tables(data)  # read once per version from the whole library's text
        self.profiles = profiles(data.articles, names.distinctive)  # how each can be named
        self._known = {p.article_id: known_acronyms(p) for p in self.profiles}
        self._chunks = {c.chunk_id: c for c in data.chunks}
        self._rows = {c.chunk_id: i for i, c in enumerate(data.chunks)}  # chunk -> vector row
        self._newest = max((a.year for a in data.articles.values() if a.year), default=None)
        self._section_heads = first_chunks(data.chunks)  # statements heading their evidence
        self._reporters = comparison_voices(data.articles)
        self._acronyms = names.acronyms  # organisations a question may name

    @classmethod
    def load(cls, settings: Settings | None = None, index_dir: Path | None = None,
             embedder: TextEncoder | None = None, model: ScorerModel | None = None) -> QAEngine:
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
        engine = cls(data, embedder, settings, composer, composer_error, model)
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

    def prepare(self, question: str, history: Sequence[str] = ()) -> Prepared:
        """Everything an answer is decided from, before any model decides: the passages, the
        candidate units and their features, the question-level signals. `compose` turns it
        into an answer; the eval harness composes one preparation with several models."""
        started = time.perf_counter()
        if not question or not question.strip():
            raise QuestionError("the question is empty")
        query = retrieval_query(question, history)
        if not any(ch.isalnum() for ch in query):
            raise QuestionError("the question has no words in it")
        clock = StageClock(started)  # stages that add up to latency_ms
        named = find_named_source(question, self.profiles)
        question_topic = question
        if named is not None:  # the source ranks, never filters
            topic = strip_named(question, named)
            if any(ch.isalnum() for ch in topic):
                question_topic = topic  # retrieval still reads the names (BM25 finds them)
        s = self.settings
        clock.lap("question")  # its words, the source it names
        query_vector = self.embedder.encode_query(query)
        clock.lap("embed_query")
        passages = self.retriever.retrieve(query, query_vector)
        parts = {k: v for k, v in self.retriever.timings_ms.items() if k != "embed_query"}
        clock.lap_split(parts, rest="fusion")  # ranking bookkeeping counts as fusion
        if named is not None:  # the named source's passages first, then everyone's
            passages = preferred(self.retriever.retrieve(
                query, query_vector, article_ids=named.article_ids), passages,
                s.named_passages)
            clock.lap("named_source")
        top = passages[: s.passages_for_answer]
        sides = compared(named) if s.balance_comparisons else ()
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
        pool = with_section_statements(top, self._section_heads)
        units = answer_units(pool)
        vectors = unit_vectors(units, self.sentence_vectors)
        sent_cos = vectors @ query_vector if len(units) else np.zeros(0)
        passage_cos = {p.chunk.chunk_id: float(self.data.vectors[self._rows[p.chunk.chunk_id]]
                                               @ query_vector) for p in pool}
        terms = question_weights(query, self.retriever.idf)
        features = unit_features(units, terms, question_topic, sent_cos, passage_cos,
                                 self.data.articles, s.passages_for_answer,
                                 named.article_ids if named else (),
                                 _source_words(named))
        clock.lap("candidates")  # the units and their features
        signals = self._signals(question, question_topic, query, query_vector, passages, top,
                                terms, units, float(sent_cos.max()) if len(units) else 0.0,
                                named is None)
        clock.lap("checks")  # the question-level signals the decline model reads
        return Prepared(question=question, question_topic=question_topic, query=query,
                        named=named, sides=sides, passages=tuple(passages),
                        top=tuple(top), retrieved=retrieved, work=tuple(work),
                        units=tuple(units), features=features, signals=signals,
                        instruction=sets_sources_aside(question), timings=dict(clock.ms),
                        started=started, elapsed_ms=clock.elapsed_ms())

    def _signals(self, question: str, topic: str, query: str, query_vector: np.ndarray,
                 passages: Sequence[Passage], top: Sequence[Passage], terms: QuestionTerms,
                 units: Sequence[Unit], top_sent_cos: float, may_name_issuer: bool) -> Signals:
        s = self.settings
        unknown = unknown_terms(query, self.retriever.in_corpus)
        share = known_share(query, unknown, query_vector, self.embedder.encode_query)
        unknown_shares = [w / (sum(terms.weights.values()) or 1.0)
                          for t, w in terms.weights.items() if t in {stem(u) for u in unknown}]
        year = unknown_year(query, top, self.references.years)
        asked_years = {int(y) for y in _YEAR.findall(query)}
        top_years = {a.year for p in top if (a := self.data.articles.get(p.chunk.article_id))}
        held = [text_stems(p.chunk.embed_text) for p in top]
        rarest = max(terms.weights, key=terms.weights.__getitem__, default=None)
        holding = [(p.dense_score or 0.0) for p, h in zip(top, held, strict=True)
                   if rarest is not None and terms.variants[rarest] & h]
        return Signals(
            evidence=evidence_score(query, top, self.retriever.idf, s.passages_for_answer,
                                    self.retriever.in_corpus),
            top_cos=max(((p.dense_score or 0.0) for p in top), default=0.0),
            top_sent_cos=top_sent_cos,
            coverage=term_coverage(query, top, self.retriever.idf, self.retriever.in_corpus),
            passage_coverage=max((terms.share(h) for h in held), default=0.0),
            rarest_present=float(bool(holding)), rarest_cos=max(holding, default=0.0),
            amount_stated=any(states_amount(u.text) and terms.variants[rarest] & text_stems(
                u.text) for u in units) if rarest is not None else False,
            asks_amount=terms.asks_amount,
            known_share=share, unknown=unknown, unknown_weight=sum(unknown_shares),
            unknown_max=max(unknown_shares, default=0.0),
            newer_year=bool(self._newest and asked_years and min(asked_years) > self._newest),
            year_unmatched=bool(asked_years) and not asked_years & top_years,
            n_terms=len(terms.weights),
            gap=scope_gap(topic, top), excluded=excluded_topic(topic, passages),
            year=int(year) if year else None,
            issuer=unknown_issuer(question, self._acronyms.__contains__) if may_name_issuer
            else None)

    def compose(self, prepared: Prepared, model: ScorerModel | None = None,
                on_text: Callable[[str], None] | None = None) -> Answer:
        """The answer `model` (default: the shipped scorer) makes of a preparation."""
        model = model or self.model
        s = self.settings
        if prepared.work:
            return self._cited_work_answer(prepared.question, list(prepared.work),
                                           prepared.retrieved,
                                           StageClock.resumed(prepared.timings,
                                                              prepared.elapsed_ms))
        # laps go on from the preparation's (any pause between the two is not the answer's)
        clock = StageClock.resumed(prepared.timings, prepared.elapsed_ms)
        timings = clock.ms
        p = model.unit.predict(prepared.features)
        signals = prepared.signals
        confidence = float(model.decline.predict(
            np.asarray([signals.row(p, prepared.features)]))[0])
        threshold = model.selection.answer_threshold
        answerable = bool(prepared.units) and confidence >= threshold \
            and not prepared.instruction
        statements, citations = [], []
        generated: Generated | None = None
        composer = self.composer.name if self.composer is not None else "extractive"
        notice = ""
        if self.composer_error:
            notice = f"{self.composer_error}; the extractive answer is shown"
        if answerable and self.composer is not None:
            from qa.llm_client import LLMUnavailableError

            try:
                generated = self.composer.generate(prepared.query,
                                                   list(prepared.top[: s.llm_passages]),
                                                   self.data.articles, on_text)
                statements, citations = list(generated.statements), list(generated.citations)
            except LLMUnavailableError as exc:
                composer, notice = "extractive", f"{exc}; the extractive answer is shown"
        if answerable and composer == "extractive":
            units = prepared.units
            chosen = select(units, p, replace(model.selection, max_statements=s.max_statements),
                            s.duplicate_overlap, required=prepared.sides)
            statements, citations = cite([Candidate(units[i].text, units[i].raws,
                                                    units[i].passage, float(p[i]))
                                          for i in chosen], self.data.articles)
        statements = attribute_statements(statements, self._chunks, self.data.articles,
                                          self._known)
        clock.lap("compose")
        named = prepared.named
        common = dict(question=prepared.question, retrieved=prepared.retrieved,
                      evidence=signals.evidence, disclaimer=s.disclaimer, composer=composer,
                      composer_notice=notice, timings_ms=timings,
                      named_source=named.as_dict() if named else None,
                      unknown_terms=signals.unknown, known_share=signals.known_share,
                      confidence=confidence)
        if not statements:
            if prepared.instruction:
                reason = ("the question asks to set the indexed articles or their citations "
                          "aside; citewise answers only from them")
            elif not prepared.units:
                reason = "no quotable sentence in the passages"
            elif generated is not None:
                reason = generated.abstain_reason
            else:
                reason = signals.reason(confidence, threshold)
            closest = () if signals.subject_absent() else on_topic_titles(
                prepared.question_topic, prepared.passages[:5], self.data.articles)
            clock.lap("abstain")  # the reason and the closest titles
            return Answer(bottom_line=None, statements=(), citations=(), abstained=True,
                          abstain_reason=reason, closest_titles=closest,
                          latency_ms=clock.elapsed_ms(), **common)
        note = ""
        if named is not None and not {c.article_id for c in citations} & set(named.article_ids):
            note = (f"No passage of {named.label} states this; the statements below are from "
                    "other indexed documents.")
        sources = tuple(g.as_dict() for g in group_by_source(statements))
        differ = find_difference(prepared.question_topic, statements,
                                 " ".join(c.title for c in citations), self._reporters)
        clock.lap("sources")
        return Answer(bottom_line=statements[0], statements=tuple(statements[1:]),
                      citations=tuple(citations), abstained=False,
                      latency_ms=clock.elapsed_ms(), sources=sources, differ=differ,
                      source_note=note, **common)

    def _answer(self, question: str, history: Sequence[str],
                on_text: Callable[[str], None] | None = None) -> Answer:
        return self.compose(self.prepare(question, history), on_text=on_text)

    def _cited_work_answer(self, question: str, work: list[Passage],
                           retrieved: tuple[Passage, ...], clock: StageClock) -> Answer:
        """The statements citing the work, the articles they come from, and the reference; an
        abstention when no statement of the articles cites it."""
        s = self.settings
        statements, citations, cited = compose_cited_work(work, self.data, s.max_statements)
        clock.lap("compose")
        evidence = max(work[0].dense_score or 0.0, 0.0)
        common = dict(question=question, retrieved=retrieved, evidence=evidence,
                      disclaimer=s.disclaimer, composer="extractive", timings_ms=clock.ms)
        if cited is None:
            titles = tuple(dict.fromkeys(p.chunk.title for p in work))[:3]
            return Answer(bottom_line=None, statements=(), citations=(), abstained=True,
                          abstain_reason="the work asked about is in a reference list, but no "
                          "statement of the articles cites it", closest_titles=titles,
                          latency_ms=clock.elapsed_ms(), **common)
        return Answer(bottom_line=statements[0], statements=tuple(statements[1:]),
                      citations=tuple(citations), abstained=False, cited_work=cited,
                      latency_ms=clock.elapsed_ms(), **common)
