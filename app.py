"""citewise front end: the Ask page, and navigation to the Corpus and Evaluation pages.

Run with `make run` (or `streamlit run app.py`). Paths come from Settings (CITEWISE_CORPUS_DIR,
CITEWISE_INDEX_DIR). The app only presents what `QAEngine.ask` returns.

A question is a new question unless the clinician asks it as a follow-up (its own button):
read silently as a follow-up, a fresh question was answered about the previous topic.
"""

from __future__ import annotations

from html import escape
from typing import Any

import streamlit as st

from qa.engine import QAEngine, QuestionError
from qa.records import Answer
from ui import llm_view, resources
from ui.render import (
    CSS,
    answer_html,
    cited_work_html,
    disclaimer_html,
    is_pending_review,
    md_escape,
    related_questions,
)
from ui.sources import sources_html
from ui.wording import plural, reader_time

TURNS = "cw_turns"  # list of {"question", "answer", "history"} for this browser session
PENDING = "cw_pending"  # a suggestion the user clicked: asked as a new question
FOLLOW_UP = "Ask as a follow-up"


def _queue(question: str) -> None:
    st.session_state[PENDING] = question


def _clear() -> None:
    st.session_state[TURNS] = []


def _sidebar(engine: QAEngine) -> None:
    manifest = engine.data.manifest
    with st.sidebar:
        st.markdown("##### Index")
        n_refs = len(engine.references)
        st.caption(f"{plural(len(manifest.articles), 'article')} · "
                   f"{plural(manifest.n_chunks - n_refs, 'passage')} · "
                   f"{plural(n_refs, 'reference')}  \n"
                   f"updated {reader_time(manifest.created_at)}",
                   help=f"Index version {manifest.version_id}")


def _suggestions(titles: list[str], key: str, heading: str) -> None:
    if not titles:
        return
    st.markdown(f"**{heading}**")
    for i, title in enumerate(titles):
        st.button(md_escape(title), key=f"{key}-{i}", on_click=_queue, args=(title,),
                  icon=":material/arrow_forward:", type="tertiary")


def _sources(engine: QAEngine, answer: Answer, scope: str) -> None:
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
            st.markdown(cited_work_html(answer, scope), unsafe_allow_html=True)
    st.markdown(sources_html(answer.citations, engine.data.articles, scope),
                unsafe_allow_html=True)


def _answer_for_audience(engine: QAEngine, turn: dict[str, Any], patient: bool,
                         scope: str) -> None:
    """The clinician answer, or its patient wording (the clinician text one click away)."""
    answer: Answer = turn["answer"]
    llm_view.composer_notice(answer)
    if not patient or answer.abstained or engine.composer is None:
        st.markdown(answer_html(answer, scope), unsafe_allow_html=True)
        return
    worded = llm_view.patient_wording(engine, turn)
    if worded.text is None:
        st.info(worded.notice, icon=":material/info:")
        st.markdown(answer_html(answer, scope), unsafe_allow_html=True)
        return
    st.markdown(llm_view.reworded_html(worded.text, scope), unsafe_allow_html=True)
    st.caption("Reworded for patients by the language model from the checked answer; every "
               "citation and number was kept.")
    with st.expander("Clinician wording"):
        st.markdown(answer_html(answer, f"{scope}c"), unsafe_allow_html=True)


def _question_html(turn: dict[str, Any]) -> str:
    html = f'<div class="cw-question">{escape(turn["question"])}</div>'
    if turn["history"]:
        html += (f'<div class="cw-followup" data-testid="cw-followup">Follow-up to: '
                 f"“{escape(turn['history'][-1])}”</div>")
    return html


def _turn(turn: dict[str, Any], index: int, engine: QAEngine, patient: bool) -> None:
    """The latest question: answer, sources, related questions."""
    answer: Answer = turn["answer"]
    scope = f"t{index}"
    st.markdown(_question_html(turn), unsafe_allow_html=True)
    _answer_for_audience(engine, turn, patient, scope)
    if answer.abstained:
        _suggestions(list(answer.closest_titles), f"closest-{index}",
                     "Closest articles on this topic — ask one of these instead:")
        return
    articles = len({c.article_id for c in answer.citations})
    st.caption(f"Quoted from {plural(articles, 'article')}; the numbers open the sources below "
               f"· answered in {answer.latency_ms:.0f} ms")
    _sources(engine, answer, scope)
    _suggestions(related_questions(answer), f"related-{index}", "Related questions")


def _earlier(turns: list[dict[str, Any]], engine: QAEngine) -> None:
    st.divider()
    st.markdown("#### Earlier questions")
    for index in range(len(turns) - 1, -1, -1):
        turn = turns[index]
        answer: Answer = turn["answer"]
        with st.expander(md_escape(turn["question"])):
            if turn["history"]:
                st.caption(f"Follow-up to: {md_escape(turn['history'][-1])}")
            st.markdown(answer_html(answer, f"e{index}"), unsafe_allow_html=True)
            st.markdown(sources_html(answer.citations, engine.data.articles, f"e{index}"),
                        unsafe_allow_html=True)
    st.button("Clear earlier questions", on_click=_clear, icon=":material/delete_sweep:")


def _asked(turns: list[dict[str, Any]], typed: str, new: bool, follow: bool
           ) -> tuple[str | None, list[str]]:
    """This run's question and the conversation it continues ([] for a new question)."""
    if (pending := st.session_state.pop(PENDING, None)) is not None:
        return pending, []
    if not (new or follow) or not typed.strip():
        return None, []
    if follow and turns:
        last = turns[-1]
        return typed.strip(), [*last["history"], last["question"]]
    return typed.strip(), []


def ask_page() -> None:
    s = resources.settings()
    st.markdown(CSS, unsafe_allow_html=True)
    st.title("Ask the guidelines")
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
        left, right = st.columns([1, 3], vertical_alignment="center")
        # Enter submits with the first button: a new question, never a silent follow-up.
        new = left.form_submit_button("Ask", type="primary", icon=":material/search:",
                                      width="stretch")
        follow = right.form_submit_button(FOLLOW_UP, disabled=not turns,
                                          help="Read the question together with the last one "
                                          "(\"and in pregnancy?\"); Ask alone starts afresh.")
    patient = False
    if engine.composer is not None:  # the patient wording needs the language model
        patient = st.toggle(llm_view.PATIENT_TOGGLE, key="cw_patient",
                            help="Plain-language wording of the answer for patients, written "
                            "by the language model and checked to keep every citation and "
                            "number.")

    question, history = _asked(turns, typed, new, follow)
    if question:
        try:
            answer = llm_view.ask(engine, question, history)
            turns.append({"question": question, "answer": answer, "history": history})
        except QuestionError as exc:
            st.warning(f"Please rephrase the question: {exc}.")
        if len(turns) == 1:  # the form above was drawn with nothing to follow up on
            st.rerun()

    if not turns:
        titles = sorted(a.title for a in engine.data.articles.values())[:4]
        _suggestions(titles, "starter", "Or start with one of the articles' questions:")
        return
    _turn(turns[-1], len(turns) - 1, engine, patient)
    if len(turns) > 1:
        _earlier(turns[:-1], engine)


# The favicon is set before navigation: left to the page icons, the browser fetches a
# Material Symbols image from a font service on every load (the font itself is bundled).
st.set_page_config(page_title="citewise", page_icon="⚕️")
navigation = st.navigation([
    st.Page(ask_page, title="Ask", icon=":material/question_answer:", default=True),
    st.Page("pages/corpus.py", title="Corpus", icon=":material/library_books:"),
    st.Page("pages/evaluation.py", title="Evaluation", icon=":material/fact_check:"),
])
# Answers read best in a narrow column; the editors' and QA tables need the width.
st.set_page_config(page_title=f"citewise · {navigation.title}", page_icon="⚕️",
                   layout="centered" if navigation.title == "Ask" else "wide")
navigation.run()
