"""Corpus page (editors): the indexed articles; add, replace or remove one, correct its
metadata. Every change runs as a background job (ui/jobs.py) that leaving the page does not
stop, and a corpus the index does not match (a change a stopped server left half-done, files
changed on disk) is named with a button that brings the index in line."""

from __future__ import annotations

import math
from pathlib import Path

import streamlit as st

from config.settings import Settings
from index.catalog import article_records
from index.editor import corpus_drift, removed_dir
from index.store import IndexData
from ingest.loader import article_id_for
from ui import resources
from ui.corpus_files import preview_upload, target_path
from ui.corpus_ops import CORPUS_SLOT, add_work, metadata_work, reindex_work, remove_work
from ui.corpus_tables import account_rows, article_rows, form_changes, metadata_form
from ui.job_view import job_panel
from ui.jobs import Work, start_job
from ui.render import CSS, evidence_badge, status_badge
from ui.wording import plural, reader_date, reader_time

UPLOAD_ROUND = "cw_upload_round"  # bumped to give the uploader a fresh, empty widget
META_NOTE = "cw_meta_note"  # "nothing changed", shown once under the metadata picker
WORD_PROCESSOR = (".doc", ".docx", ".odt", ".rtf", ".pages")


def _start_add(label: str, work: Work) -> None:
    """on_click of the add button: the job, and a fresh (empty) uploader."""
    st.session_state[UPLOAD_ROUND] = st.session_state.get(UPLOAD_ROUND, 0) + 1
    start_job(CORPUS_SLOT, label, work)


def _save_metadata(s: Settings, snapshot: IndexData, article_id: str) -> None:
    """on_click of the metadata form's save button."""
    changes = form_changes(snapshot.articles[article_id])
    if not changes:
        st.session_state[META_NOTE] = "Nothing changed: the metadata is as it was."
        return
    start_job(CORPUS_SLOT, f"Saving the metadata of {article_id}",
              metadata_work(s, snapshot, article_id, changes))


def _drift(s: Settings, snapshot: IndexData | None, busy: bool) -> None:
    """Name what the index and the folder disagree on, with the repair."""
    drift = corpus_drift(Path(s.corpus_dir), snapshot)
    if drift.in_line or busy:
        return
    lines = [f"- **{aid}** is still indexed, but its file is no longer in the folder"
             for aid in drift.gone]
    lines += [f"- **{name}** is in the folder but not indexed" for name in drift.new]
    lines += [f"- **{aid}** changed on disk (file or metadata sidecar) since it was indexed"
              for aid in drift.changed]
    with st.container(border=True):
        st.warning("The index does not match the corpus folder: answers come from the index "
                   "as it was.\n\n" + "\n".join(lines), icon=":material/sync_problem:")
        if drift.gone and removed_dir(s).is_dir():
            st.caption(f"Copies of removed files are kept in `{removed_dir(s)}`.")
        st.button("Bring the index in line with the folder", type="primary",
                  icon=":material/sync:", key="repair", on_click=start_job,
                  args=(CORPUS_SLOT, "Re-indexing the corpus folder", reindex_work(s)))


def _articles(s: Settings, snapshot: IndexData) -> None:
    manifest = snapshot.manifest
    st.caption(f"{plural(len(snapshot.articles), 'article')} · "
               f"{plural(manifest.n_chunks, 'passage')} · index updated "
               f"{reader_time(manifest.created_at)}", help=f"Index version {manifest.version_id}")
    st.dataframe(article_rows(snapshot), hide_index=True, width="stretch",
                 column_config={"Title": st.column_config.TextColumn(width="large"),
                                "Publisher": st.column_config.TextColumn(width="small"),
                                "Passages": st.column_config.NumberColumn(width="small"),
                                "Not stated": st.column_config.TextColumn(width="medium")})


def _account(s: Settings, snapshot: IndexData) -> None:
    """The ingest account of every article (as `citewise articles`), and its warnings."""
    st.markdown("##### Ingest account")
    st.caption("Words of each source's text layer, how many reached the index, and what was "
               "dropped (page furniture, reference lists, navigation, duplicates, unreadable "
               f"pages). Below {s.min_indexed_share:.0%} indexed, the article is flagged.")
    records = article_records(snapshot)
    st.dataframe(account_rows(records), hide_index=True, width="stretch",
                 column_config={"Article": st.column_config.TextColumn(width="medium"),
                                "Dropped": st.column_config.TextColumn(width="large")})
    for article in sorted(snapshot.articles.values(), key=lambda a: a.title):
        if article.account is None:
            continue
        warning = article.account.floor_warning(article.title, s.min_indexed_share)
        if warning:
            st.warning(f"{Path(article.source_path).name}: {warning}", icon=":material/warning:")
    warned = [r for r in records if r.warnings]
    if warned:
        total = sum(len(r.warnings) for r in warned)
        with st.expander(f"Ingest warnings: {plural(total, 'warning')} on "
                         f"{plural(len(warned), 'article')}"):
            st.markdown("\n".join(f"- **{r.article_id}**: {w}" for r in warned
                                  for w in r.warnings))


def _edit_metadata(s: Settings, snapshot: IndexData, busy: bool) -> None:
    st.subheader("Correct an article's metadata")
    st.caption("Saved beside the file as its metadata sidecar (`<file>.meta.json`); the "
               "document is not edited. That article alone is re-indexed.")
    article_id = st.selectbox("Article to correct", sorted(snapshot.articles),
                              format_func=lambda a: snapshot.articles[a].title, index=None,
                              placeholder="Choose an article", key="meta_article")
    if article_id is None:
        return
    if (note := st.session_state.pop(META_NOTE, None)) is not None:
        st.info(note)
    metadata_form(snapshot.articles[article_id], busy,
                  on_save=lambda: _save_metadata(s, snapshot, article_id))


def _preview(s: Settings, snapshot: IndexData | None, name: str, data: bytes,
             busy: bool) -> None:
    if Path(name).suffix.lower() in WORD_PROCESSOR:
        st.error(f"**{name}** cannot be added: word-processor files are not read. Save it as "
                 "PDF, HTML or Markdown and upload that. The corpus and the index are "
                 "unchanged.", icon=":material/error:")
        return
    preview = preview_upload(name, data, max_bytes=int(s.max_file_mb * 1e6))
    if preview.error or preview.article is None:
        st.error(f"**{name}** cannot be added: {preview.error}. The corpus and the index are "
                 "unchanged.", icon=":material/error:")
        return
    article = preview.article
    target = target_path(Path(s.corpus_dir), preview.file_name)
    owner = snapshot.articles.get(article_id_for(target)) if snapshot else None
    if owner is not None and Path(owner.source_path).name != preview.file_name:
        st.error(f"The article id `{owner.article_id}` is already used by "
                 f"{Path(owner.source_path).name}; rename the file.", icon=":material/error:")
        return
    if target.is_file() and target.read_bytes() == data:
        st.info(f"{preview.file_name} is already in the corpus with exactly this content: "
                "nothing to add.", icon=":material/check_circle:")
        return
    with st.container(border=True):
        st.markdown("##### Preview")
        st.markdown(f"**{article.title}**")
        updated = reader_date(article.last_updated) or "not stated"
        st.markdown(f"{status_badge(article.review_status)} "
                    f"{evidence_badge(article.evidence_type)} "
                    f"<span style='font-size:0.85rem'>· last updated <b>{updated}</b> · "
                    f"publisher <b>{article.publisher or 'not stated'}</b> · saved as "
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
        replacing = target.exists()
        if replacing:
            st.info(f"{preview.file_name} is already in the corpus: confirming replaces it.")
        verb = "Replacing" if replacing else "Adding"
        st.button("Add to corpus and re-index", type="primary", icon=":material/upload:",
                  disabled=busy, on_click=_start_add,
                  args=(f"{verb} {preview.file_name}", add_work(s, name, data, article.title)))


def _remove(s: Settings, snapshot: IndexData, busy: bool) -> None:
    st.subheader("Remove an article")
    present = {aid: a for aid, a in snapshot.articles.items()
               if (Path(s.corpus_dir) / Path(a.source_path).name).is_file()}
    if not present:
        st.caption("No indexed article has its file in the corpus folder.")
        return
    article_id = st.selectbox("Article to remove", sorted(present, key=lambda a:
                                                         present[a].title),
                              format_func=lambda a: f"{present[a].title} "
                              f"({Path(present[a].source_path).name})", index=None,
                              placeholder="Choose an article to remove", key="remove_article")
    if article_id is None:
        return
    st.caption(f"The file is moved out of the corpus folder into `{removed_dir(s)}`, not "
               "deleted.")
    sure = st.checkbox("Yes, take this article out of the corpus and the index")
    st.button("Remove and re-index", disabled=not sure or busy, icon=":material/delete:",
              on_click=start_job, args=(CORPUS_SLOT, "Removing "
                                        f"{Path(present[article_id].source_path).name}",
                                        remove_work(s, snapshot, article_id)))


def page() -> None:
    s = resources.settings()
    st.markdown(CSS, unsafe_allow_html=True)
    st.title("Corpus")
    st.caption(f"Articles in `{s.corpus_dir}` that the Ask page answers from. Changes take "
               "effect on the next question, without a restart.")
    job = job_panel(CORPUS_SLOT)
    busy = job is not None and job.running
    if busy:
        st.info("Changes wait until the one under way has finished.",
                icon=":material/hourglass_top:")
    snapshot = resources.index_snapshot(s)
    _drift(s, snapshot, busy)
    if snapshot is None:
        st.info(f"Nothing is indexed yet at `{s.index_dir}`. Add an article below.")
    else:
        _articles(s, snapshot)
        _edit_metadata(s, snapshot, busy)
        _account(s, snapshot)

    st.subheader("Add or replace an article")
    st.caption("Markdown (preferred), text, HTML or PDF, in the layout described in "
               f"corpus/README.md, up to {s.max_file_mb:.0f} MB. You see a parse preview "
               "before anything is saved.")
    upload = st.file_uploader("Article file", max_upload_size=max(1, math.ceil(s.max_file_mb)),
                              key=f"cw_upload_{st.session_state.get(UPLOAD_ROUND, 0)}")
    if upload is not None:
        _preview(s, snapshot, upload.name, upload.getvalue(), busy)
    if snapshot is not None:
        _remove(s, snapshot, busy)


page()
