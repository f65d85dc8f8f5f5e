"""What an editor does to the corpus, each change followed by the ingest that brings the index
in line: remove an article, correct its metadata; and how far corpus and index have drifted.

The file change comes first and the ingest second. A process killed in between leaves a corpus
the index no longer matches, never a lost file: `corpus_drift` names the difference and the
next `sync_with_settings` (`citewise ingest`, or the Corpus page's repair button) finishes it.
A removed file is moved to `removed_dir`, not deleted, so its text is never lost.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from config.settings import Settings
from index.store import IndexData
from index.sync import Progress, SyncReport, sync_corpus
from ingest.chunker import ChunkerSettings
from ingest.loader import article_id_for, content_digest, discover_articles
from ingest.sidecar import SIDECAR_SUFFIXES, sidecar_path
from ingest.sidecar_edit import restore_sidecar, write_sidecar


class EditError(ValueError):
    """An editor's change cannot be made; the message says why and what was left unchanged."""


@dataclass(frozen=True)
class Drift:
    """How the corpus folder differs from the live index (all empty: they agree)."""

    gone: tuple[str, ...] = ()  # article ids indexed whose file is no longer in the folder
    new: tuple[str, ...] = ()  # file names in the folder that are not indexed
    changed: tuple[str, ...] = ()  # article ids whose file or sidecar changed since indexing

    @property
    def in_line(self) -> bool:
        return not (self.gone or self.new or self.changed)

    def as_dict(self) -> dict[str, object]:
        return {"in_line": self.in_line, "gone": list(self.gone), "new": list(self.new),
                "changed": list(self.changed)}


def corpus_drift(corpus_dir: Path, data: IndexData | None) -> Drift:
    """Compare the folder's article files with the index's articles, by article id (from the
    file name) and content hash: where the folder is does not matter, so it also says whether
    an index was built from a given copy of a corpus."""
    found, _ = discover_articles(corpus_dir) if corpus_dir.is_dir() else ([], [])
    entries = dict(data.manifest.articles) if data is not None else {}
    files = {article_id_for(p): p for p in found}
    gone = tuple(sorted(set(entries) - set(files)))
    new = tuple(sorted(p.name for aid, p in files.items() if aid not in entries))
    changed = []
    for article_id, path in files.items():
        entry = entries.get(article_id)
        if entry is None:
            continue
        try:
            if _digest(path, _stamp(path)) != entry.content_hash:
                changed.append(article_id)
        except OSError:
            changed.append(article_id)
    return Drift(gone=gone, new=new, changed=tuple(sorted(changed)))


def _stamp(path: Path) -> tuple[tuple[int, int], ...]:
    """Size and mtime of the file and of each sidecar it may have: what a change changes."""
    stamps = []
    for file in (path, *(path.with_name(path.name + x) for x in SIDECAR_SUFFIXES)):
        try:
            st = file.stat()
            stamps.append((st.st_size, st.st_mtime_ns))
        except FileNotFoundError:
            stamps.append((-1, 0))
    return tuple(stamps)


@lru_cache(maxsize=4096)
def _digest(path: Path, stamp: tuple[tuple[int, int], ...]) -> str:
    # `stamp` only keys the cache: a page shown again does not re-read every PDF.
    return content_digest(path)


def sync_with_settings(s: Settings, progress: Progress | None = None) -> SyncReport:
    """The incremental ingest `citewise ingest` runs, with the settings in force."""
    from index.backends import BackendConfig
    from ingest.ocr import ocr_progress

    backend = BackendConfig(kind=s.backend, milvus_uri=s.milvus_uri, milvus_token=s.milvus_token)
    chunker = ChunkerSettings(max_words=s.chunk_max_words,
                              overlap_sentences=s.chunk_overlap_sentences)
    with ocr_progress(progress):
        return sync_corpus(Path(s.corpus_dir), Path(s.index_dir), chunker,
                           index_type=s.index_type, hnsw_threshold=s.hnsw_threshold,
                           max_file_bytes=int(s.max_file_mb * 1e6), progress=progress,
                           backend=backend, min_indexed_share=s.min_indexed_share)


def removed_dir(s: Settings) -> Path:
    """Where removed article files are kept: beside the index, never inside the corpus."""
    return Path(s.index_dir).parent / "removed"


def article_path(corpus_dir: Path, data: IndexData, article_id: str) -> Path:
    """The corpus file an indexed article came from; EditError when it is not there."""
    article = data.articles.get(article_id)
    if article is None:
        raise EditError(f"no indexed article has the id {article_id!r}")
    root = corpus_dir.resolve()
    candidate = Path(article.source_path)
    for path in (candidate, root / candidate.name):
        resolved = path.resolve()
        if resolved.is_relative_to(root) and resolved.is_file():
            return resolved
    raise EditError(f"{candidate.name} is no longer in the corpus folder {corpus_dir}; "
                    "re-index to take it out of the index")


@dataclass(frozen=True)
class EditResult:
    """What a change did: the ingest report, and where a removed file was kept."""

    article_id: str
    report: SyncReport
    kept_at: Path | None = None  # the removed file's copy
    sidecar: Path | None = None  # the metadata sidecar written

    def as_dict(self) -> dict[str, object]:
        return {"article_id": self.article_id, "kept_at": str(self.kept_at or "") or None,
                "sidecar": str(self.sidecar or "") or None, "ingest": self.report.as_dict()}


def remove_article(s: Settings, data: IndexData, article_id: str,
                   progress: Progress | None = None) -> EditResult:
    """Move the article's file (and sidecar) out of the corpus into `removed_dir`, then ingest."""
    path = article_path(Path(s.corpus_dir), data, article_id)
    keep = removed_dir(s) / time.strftime("%Y%m%dT%H%M%S")
    keep.mkdir(parents=True, exist_ok=True)
    moved: list[tuple[Path, Path]] = []
    for file in (path, sidecar_path(path)):
        if file is not None:
            os.replace(file, keep / file.name)  # same file system: a rename, never a copy
            moved.append((file, keep / file.name))
    try:
        report = sync_with_settings(s, progress)
    except BaseException:
        _put_back(moved)  # the ingest failed: the index still lists the article, so keep it
        raise
    if article_id not in report.removed and article_id in _indexed_ids(s):
        _put_back(moved)
        raise EditError(f"the ingest did not take {path.name} out of the index; the file is "
                        "back in the corpus folder")
    return EditResult(article_id, report, kept_at=keep / path.name)


def _put_back(moved: list[tuple[Path, Path]]) -> None:
    for original, kept in moved:
        os.replace(kept, original)


def _indexed_ids(s: Settings) -> set[str]:
    from index.store import load_index

    return set(load_index(Path(s.index_dir)).manifest.articles)


def set_metadata(s: Settings, data: IndexData, article_id: str,
                 changes: Mapping[str, object], progress: Progress | None = None) -> EditResult:
    """Write the corrections into the article's sidecar, then ingest (which re-reads and
    re-embeds that article alone, as its sidecar is part of its content hash)."""
    from ingest.errors import ArticleParseError

    path = article_path(Path(s.corpus_dir), data, article_id)
    try:
        sidecar, previous = write_sidecar(path, data.articles[article_id], changes)
    except ArticleParseError as exc:
        raise EditError(f"{exc.cause}; nothing was saved") from exc
    try:
        report = sync_with_settings(s, progress)
    except BaseException:
        restore_sidecar(sidecar, previous)
        raise
    skipped = [reason for file, reason in report.skipped if Path(file).resolve() == path]
    if skipped:
        restore_sidecar(sidecar, previous)
        raise EditError(f"{path.name} could not be re-read with the new metadata ({skipped[0]}); "
                        "the previous metadata is back")
    return EditResult(article_id, report, sidecar=sidecar)
