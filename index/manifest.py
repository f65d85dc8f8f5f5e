"""The manifest saved with every index: what built it, from which files."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

# 2: sentence vectors stored with the index (sentences.json, sentence_vectors.npy).
FORMAT_VERSION = 2


@dataclass(frozen=True)
class ArticleEntry:
    """One indexed article: where it came from and the hash that decides re-ingest."""

    article_id: str
    source_path: str
    content_hash: str
    n_chunks: int
    title: str


@dataclass(frozen=True)
class Manifest:
    model: dict[str, object]
    chunker: dict[str, object]
    parser_version: str
    index_type: str
    articles: dict[str, ArticleEntry]
    n_chunks: int
    version_id: str
    created_at: str
    versions: dict[str, str] = field(default_factory=dict)
    format_version: int = FORMAT_VERSION

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["articles"] = {k: asdict(v) for k, v in self.articles.items()}
        return data

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.as_dict(), indent=2, sort_keys=True), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Manifest:
        data = json.loads(path.read_text(encoding="utf-8"))
        data["articles"] = {k: ArticleEntry(**v) for k, v in data["articles"].items()}
        return cls(**data)


def library_versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for name in ("citewise", "faiss-cpu", "sentence-transformers", "torch", "bm25s"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out
