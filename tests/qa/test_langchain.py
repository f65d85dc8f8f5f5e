"""LangChain interfaces and the generative composer's citation validation."""

from __future__ import annotations

from langchain_core.documents import Document
from langchain_core.language_models.fake_chat_models import FakeListChatModel
from langchain_core.runnables import Runnable

from qa.engine import QAEngine
from qa.generative import GenerativeComposer, validate
from qa.langchain_adapter import CitewiseRetriever, answer_chain


def test_retriever_returns_documents_with_chunk_metadata(corpus_engine) -> None:
    docs = CitewiseRetriever(engine=corpus_engine, k=4).invoke("red flags for back pain")
    assert len(docs) == 4 and all(isinstance(d, Document) for d in docs)
    meta = docs[0].metadata
    assert {"chunk_id", "article_id", "section_path", "char_start", "references", "rank",
            "last_updated", "review_status"} <= set(meta)
    assert [d.metadata["rank"] for d in docs] == [1, 2, 3, 4]
    assert docs[0].id == meta["chunk_id"]


def test_pipeline_is_a_runnable(corpus_engine) -> None:
    chain = answer_chain(corpus_engine)
    assert isinstance(chain, Runnable)
    answers = chain.batch(["what are the red flags in low back pain?",
                           {"question": "and with prior surgery?",
                            "history": ["when should contrast be added to a lumbar MRI?"]}])
    assert all(not a.abstained and a.citations for a in answers)


def test_validation_drops_unsupported_sentences(corpus_engine) -> None:
    passages = corpus_engine.retrieve("how long should conservative care last before imaging?")
    output = ("Conservative care usually comes first for 6 weeks [1]. "
              "Patients should take 800 mg of ibuprofen [1]. "
              "Imaging is always needed. "
              "MRI is best [9].")
    checked = validate(output, passages[:6])
    assert [s.kept for s in checked][1:] == [False, False, False]
    assert "800" in checked[1].reason and checked[2].reason == "no citation"
    assert checked[3].reason == "cites a passage not retrieved"


def test_generative_composer_answers_only_with_validated_sentences(corpus_engine) -> None:
    question = "how long should conservative management last before imaging?"
    top = corpus_engine.retrieve(question)[: corpus_engine.settings.passages_for_answer]
    supported = next(s for s in top[0].chunk.text.split(". ") if len(s.split()) > 6)
    reply = f"{supported.rstrip('.')} [1]. Give 40 mg of prednisone daily [1]. Rest in bed [7]."
    composer = GenerativeComposer(FakeListChatModel(responses=[reply]))
    engine = QAEngine(corpus_engine.data, corpus_engine.embedder, corpus_engine.settings,
                      composer=composer)
    answer = engine.ask(question)
    assert not answer.abstained and answer.composer == "generative"
    assert len(answer.statements) == 0 and answer.bottom_line is not None
    assert "prednisone" not in answer.text and len(composer.last_rejected) == 2
    assert answer.citations[0].chunk_id == top[0].chunk.chunk_id


def test_generative_not_covered_abstains(corpus_engine) -> None:
    engine = QAEngine(corpus_engine.data, corpus_engine.embedder, corpus_engine.settings,
                      composer=GenerativeComposer(FakeListChatModel(responses=["NOT COVERED"])))
    answer = engine.ask("what are the red flags in low back pain?")
    assert answer.abstained and answer.citations == ()
