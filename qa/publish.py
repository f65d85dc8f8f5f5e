"""An ingest as every front end runs it (`citewise ingest`, the API's ingest job): the corpus
synced into a new index version with the settings in force, then what the first answer over it
needs (its BM25, the ONNX query graph) prepared, so every reader's reload is a plain read."""

from __future__ import annotations

from collections.abc import Callable

from config.settings import Settings
from index.backends import BackendConfig
from index.sync import SyncReport, sync_corpus
from qa.engine import chunker_settings, prepare_answering

Progress = Callable[[str, int, int], None]


def ingest_corpus(settings: Settings, rebuild: bool = False,
                  progress: Progress | None = None) -> tuple[SyncReport, str]:
    """Sync `settings.corpus_dir` into `settings.index_dir`; returns the report and a warning
    ('' when none) when the version is live but preparing answers over it failed. Raises
    OSError / ValueError when the ingest failed and the index is unchanged."""
    from ingest.ocr import ocr_progress

    if not settings.corpus_dir.is_dir():
        raise FileNotFoundError(f"corpus folder {settings.corpus_dir} does not exist")
    backend = BackendConfig(kind=settings.backend, milvus_uri=settings.milvus_uri,
                            milvus_token=settings.milvus_token)
    with ocr_progress(progress or _quiet):  # scanned pages report page by page
        report = sync_corpus(
            settings.corpus_dir, settings.index_dir, chunker_settings(settings),
            index_type=settings.index_type, hnsw_threshold=settings.hnsw_threshold,
            max_file_bytes=int(settings.max_file_mb * 1e6), rebuild=rebuild,
            progress=progress, backend=backend, min_indexed_share=settings.min_indexed_share)
    try:
        prepare_answering(settings)
    except (OSError, RuntimeError) as exc:  # answers still work, only the first is slower
        return report, f"index saved, but preparing answers failed: {exc}"
    return report, ""


def _quiet(stage: str, done: int, total: int) -> None:
    return None
