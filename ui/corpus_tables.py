"""The Corpus page's tables and its metadata form: what the Article records hold, and what
they do not state."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import streamlit as st

from index.catalog import ArticleRecord
from index.store import IndexData
from ingest.records import Article
from ui.wording import reader_date

REVIEW_STATUSES = ("Approved", "Under review", "Draft", "Submitted")
NOT_STATED = "not stated"


def missing_metadata(article: Article) -> list[str]:
    """The fields a reader is shown that the document (or its sidecar) does not state."""
    fields = {"publisher": article.publisher, "year": article.year,
              "last updated": article.last_updated, "review status": article.review_status}
    return [name for name, value in fields.items() if not value]


def article_rows(snapshot: IndexData) -> list[dict[str, Any]]:
    """One row per article: the last-updated date (else the year), the review date only when
    some document states one, the file last."""
    reviews = any(a.reviewed_on for a in snapshot.articles.values())
    rows = []
    for article_id, article in sorted(snapshot.articles.items(), key=lambda kv: kv[1].title):
        entry = snapshot.manifest.articles.get(article_id)
        row = {"Title": article.title, "Publisher": article.publisher or "—",
               "Date": reader_date(article.last_updated) or str(article.year or "—"),
               "Status": article.review_status or "—"}
        if reviews:
            row["Reviewed"] = reader_date(article.reviewed_on) or "—"
        rows.append(row | {"Passages": entry.n_chunks if entry else 0,
                           "Not stated": ", ".join(missing_metadata(article)) or "—",
                           "File": Path(article.source_path).name})
    return rows


def account_rows(records: Sequence[ArticleRecord]) -> list[dict[str, Any]]:
    """One row per article, the columns an editor checks first on the left."""
    return [{"Article": r.article_id,
             "Indexed": f"{r.indexed_share:.0%}" if r.indexed_share is not None else "—",
             "Warnings": len(r.warnings),
             "Words indexed": r.words_indexed, "Words in source": r.words_source,
             "Dropped": ", ".join(f"{k} {v:,}" for k, v in r.dropped.items()) or "—",
             "Pages": r.pages, "Sections": r.sections, "References": r.references,
             "OCR pages": len(r.ocr_pages)} for r in records]


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _field_keys(article: Article) -> dict[str, str]:
    key = f"meta-{article.article_id}"
    return {name: f"{key}-{name}" for name in
            ("title", "publisher", "year", "last_updated", "review_status")}


def metadata_form(article: Article, busy: bool, on_save: Callable[[], None]) -> None:
    """The editable fields (ingest/sidecar.py KEYS), filled with what the index holds;
    `on_save` runs when the editor saves (form_changes says what changed)."""
    statuses = [NOT_STATED, *REVIEW_STATUSES]
    if article.review_status and article.review_status not in statuses:
        statuses.append(article.review_status)
    keys = _field_keys(article)
    with st.form(f"meta-{article.article_id}", border=True):
        st.text_input("Title", value=article.title, key=keys["title"])
        left, right = st.columns(2)
        left.text_input("Publisher (issuing organisation)", value=_text(article.publisher),
                        key=keys["publisher"])
        right.text_input("Year", value=_text(article.year), key=keys["year"],
                         placeholder="e.g. 2021")
        left.text_input("Last updated (YYYY-MM-DD)", value=_text(article.last_updated),
                        key=keys["last_updated"])
        right.selectbox("Review status", statuses,
                        index=statuses.index(article.review_status or NOT_STATED),
                        key=keys["review_status"])
        if article.reviewed_on or article.reviewed_by:
            by = f"by {article.reviewed_by} " if article.reviewed_by else ""
            st.caption(f"Reviewed {by}{reader_date(article.reviewed_on) or ''} (as the "
                       "document states it; not editable here)")
        st.form_submit_button("Save metadata and re-index", type="primary", disabled=busy,
                              on_click=on_save)


def form_changes(article: Article) -> dict[str, str]:
    """The fields the editor changed in the submitted form ("" means not stated)."""
    current = {"title": article.title, "publisher": article.publisher, "year": article.year,
               "last_updated": article.last_updated, "review_status": article.review_status}
    changes = {}
    for name, key in _field_keys(article).items():
        value = str(st.session_state.get(key) or "").strip()
        if name == "review_status" and value == NOT_STATED:
            value = ""
        if value != _text(current[name]):
            changes[name] = value
    return changes
