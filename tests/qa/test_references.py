"""References are retrievable: a question about a cited work gets who cites it, the citing
statements and the reference; ordinary answers keep quoting passages only."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from config.settings import Settings
from index.backends.faiss_backend import FaissBackend
from index.store import IndexData, load_index
from index.sync import sync_corpus
from qa.engine import QAEngine
from qa.records import Answer
from qa.retriever import HybridRetriever
from tests.conftest import ROOT

REAL = ROOT.parent / "shared" / "real-guidelines"
UPRIGHT = ("What do the articles say about the upright-position lumbar MRI study in the Journal "
           "of Orthopaedics and Traumatology (2013)?")
SEED_MRI_ARTICLE = "001_53ae069ba093b5c3"


def _statements(answer: Answer) -> list:
    return [s for s in (answer.bottom_line, *answer.statements) if s is not None]


def _assert_passages_only(engine: QAEngine, answer: Answer) -> None:
    kinds = {c.chunk_id: c.kind for c in engine.data.chunks}
    for statement in _statements(answer):
        assert kinds[statement.chunk_id] == "passage", f"{statement.text!r} quotes a reference"
    for citation in answer.citations:
        assert kinds[citation.chunk_id] == "passage", f"source {citation.n} is a reference"


def test_question_naming_a_study_by_title_gets_citing_article_statement_and_reference(
        seed_engine: QAEngine) -> None:
    answer = seed_engine.ask(UPRIGHT)
    work = answer.cited_work
    assert not answer.abstained and work is not None, answer.abstain_reason
    assert work.reference.title.startswith("Lumbar spine MRI in upright position")
    assert work.reference.year == 2013 and work.reference.n == 5
    assert work.article_ids == (SEED_MRI_ARTICLE,), "the article that cites [5] is named"
    texts = [s.text for s in _statements(answer)]
    assert any("pain only in upright position" in t for t in texts), texts
    assert all("[" not in t for t in texts), "markers are shown as the answer's own numbers"
    for statement in _statements(answer):
        assert statement.citations and set(statement.citations) <= set(work.numbers)
    citation = answer.citations[0]
    assert citation.article_id == SEED_MRI_ARTICLE and "Special Considerations" in citation.section
    assert 5 in [r.n for r in citation.references], "the source lists the reference it cites"
    assert "Journal of orthopaedics and traumatology" in answer.text
    _assert_passages_only(seed_engine, answer)
    record = json.loads(json.dumps(answer.as_dict()))
    assert record["cited_work"]["reference"]["title"] == work.reference.title
    hit = next(r for r in record["retrieved"] if r["chunk_id"] == work.chunk_id)
    assert hit["kind"] == "reference" and hit["cites_from"], hit


def test_question_naming_a_study_by_venue_and_year(seed_engine: QAEngine) -> None:
    answer = seed_engine.ask("What does the 2012 European Spine Journal review say?")
    work = answer.cited_work
    assert work is not None, answer.abstain_reason
    assert work.reference.venue.lower().startswith("european spine journal")
    assert work.reference.year == 2012 and work.article_ids == (SEED_MRI_ARTICLE,)
    texts = [s.text for s in _statements(answer)]
    assert any("diagnostic accuracy" in t for t in texts), texts
    _assert_passages_only(seed_engine, answer)


def test_ordinary_answers_quote_passages_and_list_references_after_them(
        seed_engine: QAEngine, corpus_engine: QAEngine) -> None:
    for engine, question in [
        (seed_engine, "when is upright MRI of the lumbar spine useful?"),
        (seed_engine, "when should contrast be added to a lumbar spine MRI?"),
        (corpus_engine, "how often does a symptomatic lumbar disc herniation regress?"),
    ]:
        answer = engine.ask(question)
        assert not answer.abstained and answer.cited_work is None, question
        _assert_passages_only(engine, answer)
        record = answer.as_dict()
        kinds = [r["kind"] for r in record["retrieved"]]
        assert set(kinds) == {"passage", "reference"}, kinds
        first_ref = kinds.index("reference")
        assert all(k == "reference" for k in kinds[first_ref:]), "references follow passages"
        assert first_ref == engine.settings.retrieve_k


def test_passage_ranking_is_that_of_an_index_without_references(seed_index: Path,
                                                                 embedder) -> None:
    data = load_index(seed_index)
    rows = [i for i, c in enumerate(data.chunks) if c.kind == "passage"]
    assert len(rows) < len(data.chunks), "the seed index holds reference items"
    vectors = np.ascontiguousarray(data.vectors[rows])
    passages = [data.chunks[i] for i in rows]
    plain = IndexData(data.manifest, passages, data.articles, vectors,
                      FaissBackend.build(vectors, "flat", [c.article_id for c in passages]))
    both, alone = HybridRetriever(data, embedder), HybridRetriever(plain, embedder)
    for question in ["upright MRI for back pain", "red flags for cauda equina",
                     "Journal of Orthopaedics and Traumatology 2013"]:
        got = [(p.chunk.chunk_id, round(p.score, 9)) for p in both.retrieve(question)]
        want = [(p.chunk.chunk_id, round(p.score, 9)) for p in alone.retrieve(question)]
        assert got == want, question


@pytest.mark.xfail(strict=True, reason=(
    "known regression, issue 27 note: the retrained scorer answers a question about a listed 2019 trial no statement cites (confidence 0.54) instead of declining"))
def test_a_listed_work_no_statement_cites_gets_an_abstention(tmp_path: Path, embedder) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "sciatica-steroids.md").write_text(
        "# Do oral steroids help sciatica?\n\n## Evidence\n\n"
        "Oral prednisone gave a small improvement in function for acute sciatica [1]. "
        "Epidural injections give short-term relief of leg pain at best [1].\n\n"
        "## References\n\n"
        "1. Oral steroids for acute radiculopathy due to a herniated lumbar disk. JAMA. 2015.\n"
        "2. Yoga versus stretching for chronic low back pain. Archives of Internal Medicine. 2011.\n",
        encoding="utf-8")
    sync_corpus(corpus, tmp_path / "index", embedder=embedder)
    engine = QAEngine.load(Settings.from_env(index_dir=tmp_path / "index"), embedder=embedder)
    cited = engine.ask("What did the 2015 JAMA trial of oral steroids for a herniated lumbar "
                       "disk find?")
    assert cited.cited_work is not None and cited.cited_work.reference.n == 1
    assert "small improvement in function" in cited.text
    uncited = engine.ask("What did the 2011 Archives of Internal Medicine trial of yoga versus "
                         "stretching find?")
    assert uncited.abstained and uncited.cited_work is None and uncited.citations == ()
    assert "no statement" in uncited.abstain_reason
    unlisted = engine.ask("What did the 2019 trial of oral steroids for sciatica find?")
    assert unlisted.abstained and unlisted.citations == ()
    assert unlisted.abstain_reason == "the articles neither cite nor discuss a work from 2019"


@pytest.fixture(scope="module")
def pdf_engine(tmp_path_factory: pytest.TempPathFactory, embedder) -> QAEngine:
    names = ["acp_lbp_noninvasive_2017.pdf", "oliveira_lbp_cpg_overview_2018.pdf"]
    if not all((REAL / n).is_file() for n in names):
        pytest.skip(f"real guideline PDFs not found in {REAL}")
    base = tmp_path_factory.mktemp("pdf-refs")
    (base / "corpus").mkdir()
    for name in names:  # copies: the loader refuses symlinks out of the corpus folder
        shutil.copy2(REAL / name, base / "corpus" / name)
    report = sync_corpus(base / "corpus", base / "index", embedder=embedder)
    assert not report.skipped, report.skipped
    return QAEngine.load(Settings.from_env(index_dir=base / "index"), embedder=embedder)


def test_real_pdf_reference_gets_its_citing_statement(pdf_engine: QAEngine) -> None:
    # Oliveira et al. 2018 (Eur Spine J) cites STarT Back (Hill 2011, Lancet) as [12].
    answer = pdf_engine.ask("What do the articles say about the STarT Back trial of stratified "
                            "primary care in the Lancet (2011)?")
    work = answer.cited_work
    assert work is not None, answer.abstain_reason
    assert "STarT Back" in work.reference.title and work.reference.year == 2011
    assert work.article_ids == ("oliveira_lbp_cpg_overview_2018",)
    texts = " ".join(s.text for s in _statements(answer))
    assert "prognostic screening tool" in texts, texts
    _assert_passages_only(pdf_engine, answer)


def test_acp_pdf_reference_gets_its_citing_statement(pdf_engine: QAEngine) -> None:
    answer = pdf_engine.ask("What do the articles say about the Pengel 2003 BMJ systematic "
                            "review of the prognosis of acute low back pain?")
    work = answer.cited_work
    assert work is not None, answer.abstain_reason
    assert work.reference.year == 2003 and "prognosis" in work.reference.title
    assert "acp_lbp_noninvasive_2017" in work.article_ids


def test_reference_items_are_in_the_index_linked_to_citing_passages(seed_index: Path) -> None:
    data = load_index(seed_index)
    by_id = {c.chunk_id: c for c in data.chunks}
    refs = [c for c in data.chunks if c.kind == "reference"]
    assert len(refs) == sum(len(a.references) for a in data.articles.values())
    for ref in refs:
        n = ref.references[0]
        assert data.articles[ref.article_id].reference(n) is not None
        for chunk_id in ref.cites_from:
            citing = by_id[chunk_id]
            assert citing.kind == "passage" and n in citing.references
            assert citing.article_id == ref.article_id
    assert dataclasses.asdict(refs[0])["kind"] == "reference"


@pytest.mark.parametrize("question", [
    "Is duloxetine effective for chronic low back pain?",
    "Does stratified primary care improve outcomes for back pain?",
])
def test_topic_question_worded_like_a_cited_title_is_answered_from_passages(
        pdf_engine: QAEngine, question: str) -> None:
    # Titles name their topic ("Duloxetine for chronic low back pain: ..."): a question on the
    # topic that names no study, year, author or journal asks what the guideline says.
    answer = pdf_engine.ask(question)
    assert answer.cited_work is None, answer.cited_work
    assert not answer.abstained, answer.abstain_reason
    _assert_passages_only(pdf_engine, answer)
