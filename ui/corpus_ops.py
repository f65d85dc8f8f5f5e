"""The Corpus page's changes as background work (ui/jobs.py): add or replace a file, remove an
article, correct its metadata, bring the index in line with the folder.

Each returns a `Work` that runs in a job thread: no Streamlit call in here, only the same
operations `citewise ingest`, `citewise remove` and `citewise meta` run, and a one-line outcome.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from config.settings import Settings
from index.editor import EditError, remove_article, set_metadata, sync_with_settings
from index.store import IndexData, load_index
from index.sync import SyncReport
from ingest.loader import article_id_for
from ui.corpus_files import UnsafeFileName, restore, write_into_corpus
from ui.jobs import Job, Outcome, Work
from ui.wording import plural

CORPUS_SLOT = "corpus"  # every change to the live index runs in this one slot


def _skip_reason(report: SyncReport, path: Path) -> str | None:
    for file, reason in report.skipped:
        if Path(file).resolve() == path.resolve():
            return reason
    return None


def _chunks(s: Settings, article_id: str) -> int:
    entry = load_index(Path(s.index_dir)).manifest.articles.get(article_id)
    return entry.n_chunks if entry else 0


def add_work(s: Settings, name: str, data: bytes, title: str) -> Work:
    """Save the upload into the corpus and ingest; a file the ingest skips is taken back out."""

    def work(job: Job) -> Outcome:
        try:
            path, previous = write_into_corpus(Path(s.corpus_dir), name, data)
        except (UnsafeFileName, OSError) as exc:
            return "error", f"Could not save the file: {exc}. The index is unchanged."
        try:
            report = sync_with_settings(s, job.progress)
        except (OSError, ValueError) as exc:
            restore(path, previous)
            return "error", f"Ingest failed, the corpus and the index are unchanged: {exc}"
        reason = _skip_reason(report, path)
        if reason is not None:
            restore(path, previous)
            return "error", (f"{path.name} was not indexed: {reason}. The file was taken back "
                             "out; the index is unchanged.")
        verb = "Replaced" if previous is not None else "Added"
        chunks = _chunks(s, article_id_for(path))
        job.result["article_id"] = article_id_for(path)
        return "success", (f"{verb} “{title}” as {path.name} ({plural(chunks, 'passage')}). "
                           "It is searchable on the Ask page now.")

    return work


def remove_work(s: Settings, data: IndexData, article_id: str) -> Work:
    def work(job: Job) -> Outcome:
        try:
            result = remove_article(s, data, article_id, job.progress)
        except EditError as exc:
            return "error", f"Not removed: {exc}."
        except (OSError, ValueError) as exc:
            return "error", f"Not removed: the ingest failed ({exc}); the file is back."
        return "success", (f"Removed {Path(result.kept_at or article_id).name} from the corpus "
                           f"and the index. A copy of the file is kept at `{result.kept_at}`.")

    return work


def metadata_work(s: Settings, data: IndexData, article_id: str,
                  changes: Mapping[str, object]) -> Work:
    def work(job: Job) -> Outcome:
        try:
            result = set_metadata(s, data, article_id, changes, job.progress)
        except EditError as exc:
            return "error", f"Metadata not saved: {exc}."
        except (OSError, ValueError) as exc:
            return "error", f"Metadata not saved: the ingest failed ({exc})."
        fields = ", ".join(k.replace("_", " ") for k in changes)
        return "success", (f"Saved {fields} of {article_id} in `{result.sidecar.name}` and "
                           "re-indexed it: the next answer shows it." if result.sidecar
                           else f"Saved the metadata of {article_id}.")

    return work


def reindex_work(s: Settings) -> Work:
    """`citewise ingest`: files added, changed or removed outside the app, or a change a
    stopped server left half-done."""

    def work(job: Job) -> Outcome:
        try:
            report = sync_with_settings(s, job.progress)
        except (OSError, ValueError) as exc:
            return "error", f"Ingest failed, the index is unchanged: {exc}"
        parts = [f"{plural(len(ids), 'article')} {verb}" for ids, verb in
                 ((report.added, "added"), (report.updated, "updated"),
                  (report.removed, "removed")) if ids]
        skipped = f"; {plural(len(report.skipped), 'file')} skipped" if report.skipped else ""
        job.result["skipped"] = list(report.skipped)
        kind = "warning" if report.skipped else "success"
        return kind, ("The index matches the corpus folder: " + (", ".join(parts) or
                                                                 "nothing to change") + skipped)

    return work
