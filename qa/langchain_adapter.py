"""LangChain interfaces: the retriever as a BaseRetriever, the pipeline as a Runnable."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import Runnable, RunnableLambda
from pydantic import ConfigDict

from qa.engine import QAEngine
from qa.records import Answer, Passage


def passage_document(passage: Passage, engine: QAEngine) -> Document:
    """A Document whose metadata carries the chunk record and where it comes from."""
    chunk = passage.chunk
    article = engine.data.articles.get(chunk.article_id)
    metadata: dict[str, Any] = chunk.as_dict() | {
        "rank": passage.rank, "score": passage.score, "dense_score": passage.dense_score,
        "bm25_score": passage.bm25_score,
        "source_path": article.source_path if article else "",
        "last_updated": article.last_updated if article else None,
        "review_status": article.review_status if article else None,
    }
    metadata.pop("text")
    return Document(page_content=chunk.text, metadata=metadata, id=chunk.chunk_id)


class CitewiseRetriever(BaseRetriever):
    """Hybrid (FAISS + BM25, reciprocal-rank fused) retrieval over a citewise index."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    engine: QAEngine
    k: int = 6

    def _get_relevant_documents(self, query: str, *,
                                run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return [passage_document(p, self.engine) for p in self.engine.retrieve(query)[: self.k]]


def answer_chain(engine: QAEngine) -> Runnable[str | dict[str, Any], Answer]:
    """The question -> Answer pipeline as a Runnable: input a question string or
    {"question": ..., "history": [...]}."""

    def run(value: str | dict[str, Any]) -> Answer:
        if isinstance(value, str):
            return engine.ask(value)
        return engine.ask(value["question"], history=value.get("history", ()))

    return RunnableLambda(run, name="citewise_answer")
