"""Corpus page (editors): the indexed articles; add, replace or remove one, re-indexing at once."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from config.settings import Settings
from index.catalog import article_records
from index.store import IndexData
from index.sync import SyncReport, sync_corpus
from ingest.loader import article_id_for, discover_articles
from qa.engine import chunker_settings
from ui import resources
from ui.corpus_files import (
    UnsafeFileName,
    article_file,
    preview_upload,
    restore,
    write_into_corpus,
)
from ui.render import CSS, evidence_badge, status_badge

FLASH = "cw_corpus_flash"  # (kind, message) shown once after an add or remove
UPLOAD_ROUND = "cw_upload_round"  # bumped to give the uploader a fresh, empty widget
LAST_REPORT = "cw_last_report"
_STAGES = {"parse": (0.0, 0.3, "Reading articles"), "embed": (0.3, 0.9, "Embedding passages"),
           "write": (0.9, 1.0, "Writing the new index version")}


def run_ingest(s: Settings) -> SyncReport:
    """The same incremental ingest as `citewise ingest`, with a progress bar."""
    bar = st.progress(0.0, text="Starting ingest…")

    def progress(stage: str, done: int, total: int) -> None:
        low, high, text = _STAGES.get(stage, (0.0, 1.0, stage))
        share = done / total if total else 1.0
        bar.progress(min(1.0, low + (high - low) * share), text=f"{text} ({done}/{total})")

    report = sync_corpus(Path(s.corpus_dir), Path(s.index_dir), chunker_settings(s),
                         index_type=s.index_type, hnsw_threshold=s.hnsw_threshold,
                         max_file_bytes=int(s.max_file_mb * 1e6), progress=progress,
                         min_indexed_share=s.min_indexed_share)
    bar.progress(1.0, text=f"Index updated in {report.seconds:.1f} s")
    st.session_state[LAST_REPORT] = report
    return report


def _skip_reason(report: SyncReport, path: Path) -> str | None:
    for file, reason in report.skipped:
        if Path(file).resolve() == path.resolve():
            return reason
    return None


def _finish(kind: str, message: str) -> None:
    st.session_state[FLASH] = (kind, message)
    st.session_state[UPLOAD_ROUND] = st.session_state.get(UPLOAD_ROUND, 0) + 1
    st.rerun()


def _articles_table(s: Settings) -> dict[str, str]:
    """Show the indexed articles; returns article_id -> label for the remove picker."""
    snapshot = resources.index_snapshot(s)
    if snapshot is None:
        st.info(f"Nothing is indexed yet at `{s.index_dir}`. Add an article below.")
        return {}
    manifest = snapshot.manifest
    rows = []
    for article_id, article in sorted(snapshot.articles.items(), key=lambda kv: kv[1].title):
        entry = manifest.articles.get(article_id)
        rows.append({"Title": article.title, "Type": article.evidence_type or "—",
                     "Status": article.review_status or "not stated",
                     "Last updated": article.last_updated or "—",
                     "Chunks": entry.n_chunks if entry else 0,
                     "File": Path(article.source_path).name})
    st.caption(f"{len(rows)} articles · {manifest.n_chunks} passages · index version "
               f"`{manifest.version_id}` (built {manifest.created_at})")
    st.dataframe(rows, hide_index=True, width="stretch",
                 column_config={"Title": st.column_config.TextColumn(width="large"),
                                "Type": st.column_config.TextColumn(width="small"),
                                "Chunks": st.column_config.NumberColumn(width="small"),
                                "File": st.column_config.TextColumn(width="medium")})
    _account_table(s, snapshot)
    indexed = {Path(a.source_path).name for a in snapshot.articles.values()}
    found, _ = discover_articles(Path(s.corpus_dir))
    missing = [p.name for p in found if p.name not in indexed]
    if missing:
        st.warning("In the corpus folder but not indexed (they failed to parse, or were added "
                   "outside the app and not ingested yet): " + ", ".join(missing))
    return {aid: f"{a.title} ({Path(a.source_path).name})"
            for aid, a in sorted(snapshot.articles.items(), key=lambda kv: kv[1].title)}


def _account_table(s: Settings, snapshot: IndexData) -> None:
    """The ingest account of every article (as `citewise articles`), and the floor warnings."""
    records = article_records(snapshot)
    st.markdown("##### Ingest account")
    st.caption("Words of each source's text layer, how many reached the index, and what was "
               "dropped (page furniture, reference lists, navigation, duplicates, unreadable "
               f"pages). Below {s.min_indexed_share:.0%} indexed, the article is flagged.")
    rows = [{"Article": r.article_id, "Publisher": r.publisher or "—",
             "Year": str(r.year or "—"), "Pages": r.pages, "Sections": r.sections,
             "References": r.references, "Words in source": r.words_source,
             "Words indexed": r.words_indexed,
             "Indexed": f"{r.indexed_share:.0%}" if r.indexed_share is not None else "—",
             "Dropped": ", ".join(f"{k} {v:,}" for k, v in r.dropped.items()) or "—",
             "OCR pages": len(r.ocr_pages), "Warnings": len(r.warnings)} for r in records]
    st.dataframe(rows, hide_index=True, width="stretch")
    for article in sorted(snapshot.articles.values(), key=lambda a: a.title):
        if article.account is None:
            continue
        warning = article.account.floor_warning(article.title, s.min_indexed_share)
        if warning:
            st.warning(f"{Path(article.source_path).name}: {warning}", icon=":material/warning:")


def _preview(s: Settings, name: str, data: bytes) -> None:
    snapshot = resources.index_snapshot(s)
    preview = preview_upload(name, data, max_bytes=int(s.max_file_mb * 1e6))
    if preview.error or preview.article is None:
        st.error(f"**{name}** cannot be added: {preview.error}. The corpus and the index are "
                 "unchanged.", icon=":material/error:")
        return
    article = preview.article
    target = Path(s.corpus_dir) / preview.file_name
    owner = snapshot.articles.get(article_id_for(target)) if snapshot else None
    if owner is not None and Path(owner.source_path).name != preview.file_name:
        st.error(f"The article id `{owner.article_id}` is already used by "
                 f"{Path(owner.source_path).name}; rename the file.", icon=":material/error:")
        return
    with st.container(border=True):
        st.markdown("##### Preview")
        st.markdown(f"**{article.title}**")
        st.markdown(f"{status_badge(article.review_status)} "
                    f"{evidence_badge(article.evidence_type)} "
                    f"<span style='font-size:0.85rem'>· last updated "
                    f"<b>{article.last_updated or 'not stated'}</b> · saved as "
                    f"<code>{preview.file_name}</code></span>", unsafe_allow_html=True)
        st.markdown(f"**Sections ({len(article.sections)})**")
        st.markdown("\n".join(f"- {' › '.join(sec.path)} — {len(sec.text.split())} words"
                              for sec in article.sections))
        st.markdown(f"**References ({len(article.references)})**")
        if article.references:
            st.dataframe([{"n": r.n, "Title": r.title, "Venue": r.venue, "Year": r.year,
                           "Type": r.type or "—"} for r in article.references],
                         hide_index=True, width="stretch")
        else:
            st.caption("No reference list found.")
        if article.account is not None:
            acc = article.account
            dropped = ", ".join(f"{k} {v:,}" for k, v in acc.dropped) or "nothing"
            st.markdown(f"**Ingest account:** {acc.words_indexed:,} of {acc.words_source:,} "
                        f"words indexed ({acc.indexed_share:.0%} after page furniture and "
                        f"references); dropped: {dropped}")
        for warning in article.warnings:
            st.warning(warning, icon=":material/warning:")
        if target.exists():
            st.info(f"{preview.file_name} is already in the corpus: confirming replaces it.")
        if st.button("Add to corpus and re-index", type="primary", icon=":material/upload:"):
            _add(s, name, data, article.title)


def _add(s: Settings, name: str, data: bytes, title: str) -> None:
    try:
        path, previous = write_into_corpus(Path(s.corpus_dir), name, data)
    except (UnsafeFileName, OSError) as exc:
        st.error(f"Could not save the file: {exc}. The index is unchanged.")
        return
    try:
        report = run_ingest(s)
    except (OSError, ValueError) as exc:
        restore(path, previous)
        st.error(f"Ingest failed, the index is unchanged: {exc}")
        return
    reason = _skip_reason(report, path)
    if reason is not None:
        restore(path, previous)
        st.error(f"{path.name} was not indexed: {reason}. The file was taken back out; the "
                 "index is unchanged.")
        return
    snapshot = resources.index_snapshot(s)
    entry = snapshot.manifest.articles.get(article_id_for(path)) if snapshot else None
    chunks = entry.n_chunks if entry else 0
    _finish("success", f"Added “{title}” as {path.name} ({chunks} passages). It is "
                       "searchable on the Ask page now.")


def _remove(s: Settings, choices: dict[str, str]) -> None:
    if not choices:
        return
    article_id = st.selectbox("Article", list(choices), format_func=choices.get, index=None,
                              placeholder="Choose an article to remove")
    if article_id is None:
        return
    sure = st.checkbox("Yes, delete this file from the corpus folder")
    if st.button("Remove and re-index", disabled=not sure, icon=":material/delete:"):
        snapshot = resources.index_snapshot(s)
        source = snapshot.articles[article_id].source_path if snapshot else ""
        try:
            path = article_file(Path(s.corpus_dir), source)
            previous = path.read_bytes()
            path.unlink()
        except OSError as exc:
            st.error(f"Could not remove the file: {exc}. The index is unchanged.")
            return
        try:
            report = run_ingest(s)
        except (OSError, ValueError) as exc:
            restore(path, previous)
            st.error(f"Ingest failed, the file was put back and the index is unchanged: {exc}")
            return
        gone = article_id in report.removed
        _finish("success" if gone else "warning",
                f"Removed {path.name}." if gone else f"{path.name} was deleted but the index "
                "still lists it; run `citewise ingest`.")


s = resources.settings()
st.markdown(CSS, unsafe_allow_html=True)
st.title("Corpus")
st.caption(f"Articles in `{s.corpus_dir}` that the Ask page answers from. Changes take effect "
           "on the next question, without a restart.")
if (flash := st.session_state.pop(FLASH, None)) is not None:
    kind, message = flash
    (st.success if kind == "success" else st.warning)(message)
choices = _articles_table(s)
if (last := st.session_state.get(LAST_REPORT)) is not None and last.skipped:
    with st.expander(f"Last ingest skipped {len(last.skipped)} file(s)"):
        for file, reason in last.skipped:
            st.markdown(f"- `{Path(file).name}`: {reason}")

st.subheader("Add or replace an article")
st.caption("Markdown (preferred), text, HTML or PDF, in the layout described in corpus/README.md. "
           "You see a parse preview before anything is saved.")
upload = st.file_uploader("Article file", type=["md", "markdown", "txt", "html", "htm", "pdf"],
                          key=f"cw_upload_{st.session_state.get(UPLOAD_ROUND, 0)}")
if upload is not None:
    _preview(s, upload.name, upload.getvalue())

st.subheader("Remove an article")
_remove(s, choices)
