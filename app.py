"""citewise front end: the Ask page, and navigation to the Corpus and Evaluation pages.

Run with `make run` (or `streamlit run app.py`). Paths come from Settings (CITEWISE_CORPUS_DIR,
CITEWISE_INDEX_DIR). The app only presents what `QAEngine.ask` returns.
"""

from __future__ import annotations

from html import escape
from typing import Any

import streamlit as st

from qa.audience import NEEDS_LLM
from qa.engine import QAEngine, QuestionError
from qa.records import Answer
from ui import llm_view, resources
from ui.render import (
    CSS,
    answer_html,
    citation_body_html,
    citation_label,
    cited_work_html,
    disclaimer_html,
    is_pending_review,
    md_escape,
    related_questions,
)

TURNS = "cw_turns"  # list of {"question", "answer", "history"} for this browser session
PENDING = "cw_pending"  # a suggestion the user clicked: asked as a new conversation


def _queue(question: str) -> None:
    st.session_state[PENDING] = question


def _new_conversation() -> None:
    st.session_state[TURNS] = []


def _sidebar(engine: QAEngine) -> None:
    manifest = engine.data.manifest
    with st.sidebar:
        st.markdown("##### Index")
        n_refs = len(engine.references)
        st.caption(f"{len(manifest.articles)} articles · {manifest.n_chunks - n_refs} passages · "
                   f"{n_refs} references  \n"
                   f"version `{manifest.version_id}`  \nbuilt {manifest.created_at}")
        st.button("New conversation", on_click=_new_conversation, icon=":material/refresh:",
                  width="stretch")


def _suggestions(titles: list[str], key: str, heading: str) -> None:
    if not titles:
        return
    st.markdown(f"**{heading}**")
    for i, title in enumerate(titles):
        st.button(md_escape(title), key=f"{key}-{i}", on_click=_queue, args=(title,),
                  icon=":material/arrow_forward:", type="tertiary")


def _sources(answer: Answer) -> None:
    pending = [c for c in answer.citations if is_pending_review(c.review_status)]
    if pending:
        numbers = ", ".join(f"[{c.n}]" for c in pending)
        verb = "comes" if len(pending) == 1 else "come"
        noun = "Source" if len(pending) == 1 else "Sources"
        st.warning(f"{noun} {numbers} {verb} from content that is **pending review** "
                   f"({', '.join(sorted({c.review_status or '' for c in pending}))}). "
                   "Check it against the primary references before relying on it.",
                   icon=":material/warning:")
    st.markdown("#### Sources")
    if answer.cited_work is not None:
        with st.expander(f"**Reference** {md_escape(answer.cited_work.reference.title)}",
                         expanded=True):
            st.markdown(cited_work_html(answer), unsafe_allow_html=True)
    for citation in answer.citations:
        with st.expander(citation_label(citation), expanded=False):
            st.markdown(citation_body_html(citation), unsafe_allow_html=True)


def _answer_for_audience(engine: QAEngine, turn: dict[str, Any], patient: bool) -> None:
    """The clinician answer, or its patient wording (the clinician text one click away)."""
    answer: Answer = turn["answer"]
    llm_view.composer_notice(answer)
    if not patient or answer.abstained or engine.composer is None:
        st.markdown(answer_html(answer), unsafe_allow_html=True)
        return
    worded = llm_view.patient_wording(engine, turn)
    if worded.text is None:
        st.info(worded.notice, icon=":material/info:")
        st.markdown(answer_html(answer), unsafe_allow_html=True)
        return
    st.markdown(llm_view.reworded_html(worded.text), unsafe_allow_html=True)
    st.caption("Reworded for patients by the language model from the checked answer; every "
               "citation and number was kept.")
    with st.expander("Clinician wording"):
        st.markdown(answer_html(answer), unsafe_allow_html=True)


def _turn(turn: dict[str, Any], index: int, engine: QAEngine, patient: bool) -> None:
    """The latest question: answer, sources, related questions."""
    answer: Answer = turn["answer"]
    st.markdown(f'<div class="cw-question">{escape(turn["question"])}</div>',
                unsafe_allow_html=True)
    if turn["history"]:
        st.markdown(f'<div class="cw-followup">Follow-up to: “{escape(turn["history"][-1])}”'
                    "</div>", unsafe_allow_html=True)
    _answer_for_audience(engine, turn, patient)
    if answer.abstained:
        _suggestions(list(answer.closest_titles), f"closest-{index}",
                     "Closest articles in the index — ask one of these instead:")
    else:
        st.caption(f"Quoted from {len({c.article_id for c in answer.citations})} article(s); "
                   f"numbers refer to the sources below · answered in {answer.latency_ms:.0f} ms")
        _sources(answer)
        _suggestions(related_questions(answer), f"related-{index}", "Related questions")


def _earlier(turns: list[dict[str, Any]]) -> None:
    st.divider()
    st.markdown("#### Earlier in this conversation")
    for turn in reversed(turns):
        answer: Answer = turn["answer"]
        with st.expander(md_escape(turn["question"])):
            st.markdown(answer_html(answer), unsafe_allow_html=True)
            for c in answer.citations:
                st.markdown(f"**[{c.n}]** {md_escape(c.title)} — _{md_escape(c.section)}_"
                            + (" · :orange[pending review]"
                               if is_pending_review(c.review_status) else ""))


def ask_page() -> None:
    s = resources.settings()
    st.markdown(CSS, unsafe_allow_html=True)
    st.title("Ask the guidelines")
    st.caption("Answers are quoted from the indexed guideline articles, every sentence cited.")
    st.markdown(disclaimer_html(s.disclaimer), unsafe_allow_html=True)
    if resources.index_version(s) is None:
        st.error(f"No index at `{s.index_dir}` yet. Run `make index` or add articles on the "
                 "Corpus page.")
        return
    engine = resources.engine_or_error(s)
    if engine is None:
        return
    _sidebar(engine)

    turns: list[dict[str, Any]] = st.session_state.setdefault(TURNS, [])
    # Label and key stay fixed: a widget whose label changes between runs loses its value.
    with st.form("ask", clear_on_submit=True, border=False):
        typed = st.text_input("Clinical question", key="cw_question", max_chars=2000,
                              placeholder="e.g. When is MRI indicated for acute low back pain?")
        submitted = st.form_submit_button("Ask", type="primary", icon=":material/search:")
    patient = st.toggle(llm_view.PATIENT_TOGGLE, key="cw_patient",
                        help="Plain-language wording of the answer for patients, written by the "
                        "language model (CITEWISE_LLM_*) and checked to keep every citation and "
                        "number.")
    if patient and engine.composer is None:
        st.info(NEEDS_LLM, icon=":material/info:")
    hint = st.empty()  # filled once this run's question is answered

    question, history = None, []
    if (pending := st.session_state.pop(PENDING, None)) is not None:
        question = pending
        turns.clear()
    elif submitted and typed.strip():
        question, history = typed.strip(), [t["question"] for t in turns]
    if question:
        try:
            answer = llm_view.ask(engine, question, history)
            turns.append({"question": question, "answer": answer, "history": history})
        except QuestionError as exc:
            st.warning(f"Please rephrase the question: {exc}.")

    if turns:
        previous = md_escape(turns[-1]["question"])
        hint.caption(f"A new question is read as a follow-up to “{previous}”. "
                     "Use *New conversation* in the sidebar to change topic.")
    else:
        titles = sorted(a.title for a in engine.data.articles.values())[:4]
        _suggestions(titles, "starter", "Or start with one of the articles' questions:")
        return
    _turn(turns[-1], len(turns) - 1, engine, patient)
    if len(turns) > 1:
        _earlier(turns[:-1])


navigation = st.navigation([
    st.Page(ask_page, title="Ask", icon=":material/question_answer:", default=True),
    st.Page("pages/corpus.py", title="Corpus", icon=":material/library_books:"),
    st.Page("pages/evaluation.py", title="Evaluation", icon=":material/fact_check:"),
])
# Answers read best in a narrow column; the editors' and QA tables need the width.
st.set_page_config(page_title=f"citewise · {navigation.title}", page_icon="⚕️",
                   layout="centered" if navigation.title == "Ask" else "wide")
navigation.run()
