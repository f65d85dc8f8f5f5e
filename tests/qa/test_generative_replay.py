"""The generative composer with the real langchain-openai client, over real HTTP, against a
server replaying the real model's recorded answers (../shared/llm-recordings), over an index
of the seed articles; and the failures a user meets (closed port, 404, slow server, bad key)."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from citewise.cli import app
from config.settings import Settings
from ingest.sentences import split_sentences
from qa.audience import NEEDS_LLM
from qa.engine import QAEngine
from qa.generative import GenerativeComposer, numbers_in, passage_for_prompt, validate
from qa.llm_check import passage_as_shown
from qa.llm_client import LLMServer, chat_model_from_settings
from qa.llm_markers import marked_sentences
from qa.records import Answer
from tests.qa.replay_server import Replay, closed_port, question_of, recordings_or_skip, serve

_MARKER_RE = re.compile(r"\[\s*\d|\(\s*\d{1,2}\s*\)|\bpassages?\s*\d", re.IGNORECASE)
CONTRAST = "When should contrast be added to a lumbar spine MRI?"


@pytest.fixture(scope="module")
def recordings() -> list[dict]:
    return recordings_or_skip()


def llm_settings(engine: QAEngine, url: str, model: str, **changes: object) -> Settings:
    return engine.settings.replace(llm_provider="openai", llm_model=model, llm_base_url=url,
                                   llm_timeout=changes.pop("llm_timeout", 30.0), **changes)


def llm_engine(seed_engine: QAEngine, settings: Settings) -> QAEngine:
    """The seed index with the generative composer of `settings` (the real ChatOpenAI)."""
    composer = GenerativeComposer(chat_model_from_settings(settings),
                                  LLMServer.from_settings(settings))
    return QAEngine(seed_engine.data, seed_engine.embedder, settings, composer)


def content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]{4,}", text.lower())}


def assert_supported(answer: Answer) -> None:
    """Every sentence is real text, cites passages, and its cited passages support it: what
    the model saw of them (title, section, text) holds most of the words the sentence adds to
    the question, and every number it states that the question does not."""
    by_n = {c.n: f"{c.title} {c.section} {passage_for_prompt(c.text)}"
            for c in answer.citations}
    for statement in (answer.bottom_line, *answer.statements):
        assert statement is not None and statement.citations, f"uncited: {statement}"
        text = statement.text
        assert len(text.split()) >= 3 and not _MARKER_RE.search(text), f"marker left: {text!r}"
        cited = " ".join(by_n[n] for n in statement.citations)
        words = content_words(text) - content_words(answer.question)
        share = len(words & content_words(cited)) / max(1, len(words))
        assert share >= 0.5, f"{text!r} shares only {share:.0%} of its words with its passage"
        assert numbers_in(text) <= numbers_in(cited) | numbers_in(answer.question), text


def test_each_recorded_answer_yields_cited_sentences_the_validator_accepts(
        recordings, seed_engine) -> None:
    replay = Replay(recordings)
    unmarked = 0
    with serve(replay) as url:
        engine = llm_engine(seed_engine, llm_settings(seed_engine, url + "/v1", replay.model))
        for rec in recordings:
            question = question_of(rec["request"])
            answer = engine.ask(question)
            sent = replay.received[-1]["messages"][-1]["content"]
            assert sent == rec["request"]["messages"][-1]["content"], (
                "the passages sent must be the recorded ones, or the answer's [n] mean others")
            content = rec["response"]["choices"][0]["message"]["content"]
            assert not answer.abstained and answer.composer == "generative", question
            assert_supported(answer)
            texts = [s.text for s in (answer.bottom_line, *answer.statements)]
            assert len(set(texts)) == len(texts), f"a sentence repeated: {texts}"
            if not any(s.passage_numbers for s in marked_sentences(content)):
                unmarked += 1  # the model cited nothing: only its word-for-word quotes stay
                assert len(texts) < len(marked_sentences(content)), texts
    assert unmarked == 1, "one recorded answer has no marker at all"


@pytest.mark.parametrize(("output", "expected"), [
    ("Contrast is added after prior surgery. [5]", [("Contrast is added after prior surgery.",
                                                     (5,))]),
    ("MRI is first [5][6]. Then CT [5, 6].", [("MRI is first.", (5, 6)), ("Then CT.", (5, 6))]),
    ("MRI is first (2). CT follows. (3)", [("MRI is first.", (2,)), ("CT follows.", (3,))]),
    ("The first test is MRI without IV contrast, as recommended in passage [3].",
     [("The first test is MRI without IV contrast.", (3,))]),
    ("According to passage 2, most patients improve.", [("Most patients improve.", (2,))]),
    ("[2] Contrast is added. [3] CT follows.", [("Contrast is added.", (2,)),
                                                ("CT follows.", (3,))]),
    ("Red flags include:\n- cauda equina syndrome [4]\n- infection\n[5]",
     [("Red flags include: cauda equina syndrome; infection.", (4, 5))]),
    ("Key points: [2]\n- MRI needs no contrast.\n- CT is second line [3].",
     [("MRI needs no contrast.", (2,)), ("CT is second line.", (3,))]),
    (" [1].", []),
])
def test_markers_attach_to_their_sentence_and_never_stand_alone(output, expected) -> None:
    got = [(s.text, s.passage_numbers) for s in marked_sentences(output)]
    assert got == expected


def test_numbers_stated_in_the_question_are_given(seed_engine) -> None:
    question = "What imaging is needed after 6 weeks of conservative care?"
    passages = seed_engine.retrieve(question)[:6]
    n, passage = next((i, p) for i, p in enumerate(passages, 1)
                      if not {"6", "9"} & numbers_in(passage_as_shown(p)))
    said = next(s.text for s in split_sentences(passage_for_prompt(passage.chunk.text))
                if len(s.text.split()) > 5).rstrip(".")
    said = said[0].lower() + said[1:]
    given, invented = validate(f"After 6 weeks, {said} [{n}]. After 9 weeks, {said} [{n}].",
                               passages, question)
    assert given.kept, f"6 is stated in the question: {given}"
    assert not invented.kept and invented.reason.endswith(": 9")
    alone = validate(f"After 6 weeks, {said} [{n}].", passages)
    assert not alone[0].kept, "without the question, a 6 the passage lacks is dropped"


def test_sentence_whose_words_are_not_in_its_passage_is_dropped(seed_engine) -> None:
    question = "When should contrast be added to a lumbar spine MRI?"
    passages = seed_engine.retrieve(question)[:6]
    quoted = next(s.text for s in split_sentences(passage_for_prompt(passages[0].chunk.text))
                  if len(s.text.split()) > 5)
    checked = validate(f"{quoted.rstrip('.')} [1]. Gadolinium harms kidneys of dialysis "
                       "patients, so ultrasound replaces it [1].", passages, question)
    assert checked[0].kept, checked[0]
    assert not checked[1].kept and "words not in the cited passage" in checked[1].reason


def test_model_saying_not_covered_is_reported_as_such(recordings, seed_engine) -> None:
    question = "Which red flags call for early imaging of the lumbar spine?"
    replay = Replay(recordings, scripted={question: "NOT COVERED."})
    with serve(replay) as url:
        answer = llm_engine(seed_engine, llm_settings(seed_engine, url + "/v1",
                                                      replay.model)).ask(question)
    assert replay.received, "the evidence gate should let this question reach the model"
    assert answer.abstained and "NOT COVERED" in answer.abstain_reason
    assert answer.citations == ()


def test_answer_with_no_supported_sentence_abstains_saying_why(recordings,
                                                               seed_engine) -> None:
    question = "Which red flags call for early imaging of the lumbar spine?"
    reply = ("Every patient with back pain needs an MRI scan within days. Chiropractors "
             "prefer ultrasound guidance.\n[2]")  # a lone marker belongs to the sentence before
    replay = Replay(recordings, scripted={question: reply})
    with serve(replay) as url:
        answer = llm_engine(seed_engine, llm_settings(seed_engine, url + "/v1",
                                                      replay.model)).ask(question)
    assert answer.abstained and answer.statements == () and answer.citations == ()
    reason = answer.abstain_reason
    assert "no citation (1)" in reason and "words not in the cited passage (1)" in reason, reason


def test_streamed_answer_arrives_in_pieces_and_validates_the_same(recordings,
                                                                  seed_engine) -> None:
    replay = Replay(recordings)
    pieces: list[str] = []
    with serve(replay) as url:
        engine = llm_engine(seed_engine, llm_settings(seed_engine, url + "/v1", replay.model))
        streamed = engine.ask(CONTRAST, on_text=pieces.append)
        whole = engine.ask(CONTRAST)
    assert replay.received[0]["stream"] is True and len(pieces) > 5
    assert "".join(pieces) == recordings[0]["response"]["choices"][0]["message"]["content"]
    assert streamed.text == whole.text and not streamed.abstained


def _failing(kind: str, recordings: list[dict]) -> tuple[Replay, str, dict[str, object], str]:
    """A replay server set up to fail as `kind`; the URL suffix, settings, setting named."""
    replay = Replay(recordings)
    if kind == "closed port":
        return replay, "closed", {}, "CITEWISE_LLM_BASE_URL"
    if kind == "404 path":  # the base URL without /v1
        return replay, "", {}, "CITEWISE_LLM_BASE_URL"
    if kind == "slow server":
        replay.delay_s = 3.0
        return replay, "/v1", {"llm_timeout": 0.5}, "CITEWISE_LLM_TIMEOUT"
    if kind == "unknown model":
        return replay, "/v1", {"llm_model": "qwen-7b-typo"}, "CITEWISE_LLM_MODEL"
    replay.api_key = "sk-right"
    return replay, "/v1", {"llm_api_key": "sk-wrong"}, "CITEWISE_LLM_API_KEY"


FAILURES = ["closed port", "404 path", "slow server", "unknown model", "401 key"]


@pytest.mark.parametrize("kind", FAILURES)
def test_server_failure_gives_one_line_and_the_extractive_answer(kind, recordings,
                                                                 seed_engine) -> None:
    replay, suffix, changes, setting = _failing(kind, recordings)
    with serve(replay) as url:
        if suffix == "closed":
            url, suffix = f"http://127.0.0.1:{closed_port()}", "/v1"
        settings = llm_settings(seed_engine, url + suffix, str(changes.pop("llm_model",
                                                                           replay.model)),
                                **changes)
        answer = llm_engine(seed_engine, settings).ask(CONTRAST)
    notice = answer.composer_notice
    assert answer.composer == "extractive" and "\n" not in notice and setting in notice, notice
    assert "sk-" not in notice
    assert answer.text == seed_engine.ask(CONTRAST).text, "the extractive answer is shown"


@pytest.mark.parametrize("kind", ["closed port", "404 path", "slow server"])
def test_cli_ask_json_says_which_composer_answered_and_why(kind, recordings, seed_index,
                                                           seed_engine) -> None:
    replay, suffix, changes, setting = _failing(kind, recordings)
    with serve(replay) as url:
        if suffix == "closed":
            url, suffix = f"http://127.0.0.1:{closed_port()}", "/v1"
        env = {"CITEWISE_LLM_PROVIDER": "openai", "CITEWISE_LLM_MODEL": replay.model,
               "CITEWISE_LLM_BASE_URL": url + suffix, "CITEWISE_LLM_API_KEY": "sk-secret-42",
               "CITEWISE_LLM_TIMEOUT": str(changes.get("llm_timeout", 30))}
        result = CliRunner().invoke(app, ["ask", CONTRAST, "--json", "--index", str(seed_index)],
                                    env=env)
        plain = CliRunner().invoke(app, ["ask", CONTRAST, "--index", str(seed_index)], env=env)
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["composer"] == "extractive" and setting in record["composer_notice"]
    assert not record["abstained"] and record["answer"] == seed_engine.ask(CONTRAST).text
    notice_lines = [line for line in plain.stderr.splitlines() if "notice" in line]
    assert plain.exit_code == 0 and len(notice_lines) == 1 and setting in plain.stderr
    assert "sk-secret-42" not in result.output + plain.output + plain.stderr


def test_api_key_reaches_the_server_and_is_never_shown(recordings, seed_engine,
                                                       seed_index) -> None:
    replay = Replay(recordings, api_key="sk-secret-42")
    with serve(replay) as url:
        settings = llm_settings(seed_engine, url + "/v1", replay.model,
                                llm_api_key="sk-secret-42")
        answer = llm_engine(seed_engine, settings).ask(CONTRAST)
    assert answer.composer == "generative" and not answer.composer_notice
    assert replay.auth_headers[-1] == "Bearer sk-secret-42"
    shown = CliRunner().invoke(app, ["config", "--json"],
                               env={"CITEWISE_LLM_API_KEY": "sk-secret-42",
                                    "CITEWISE_MILVUS_TOKEN": "tok-secret"})
    assert json.loads(shown.stdout)["llm_api_key"] == "***"
    assert "sk-secret-42" not in shown.output + repr(settings)
    assert "tok-secret" not in shown.output
    assert "sk-secret-42" not in json.dumps(answer.as_dict())


def test_patient_wording_keeps_every_citation_and_number(recordings, seed_engine) -> None:
    question = question_of(recordings[1]["request"])  # "... after 6 weeks ..."
    replay = Replay(recordings)
    with serve(replay) as url:
        engine = llm_engine(seed_engine, llm_settings(seed_engine, url + "/v1", replay.model))
        answer = engine.ask(question)
        assert not answer.abstained and "6" in answer.text
        faithful = ("If nerve pain from the L1-L2 level has not improved after 6 weeks of "
                    "home treatment, the first scan is an MRI of the lower back without dye [1].")
        replay.scripted = {answer.text: faithful}
        kept = engine.reword(answer, "patient")
        replay.scripted = {answer.text: faithful.replace("6 weeks", "six weeks")}
        lost_number = engine.reword(answer, "patient")
        replay.scripted = {answer.text: faithful.replace(" [1]", "")}
        lost_marker = engine.reword(answer, "patient")
    assert kept.text == faithful and not kept.notice
    assert lost_number.text is None and "lost 6" in lost_number.notice
    assert lost_marker.text is None and "lost [1]" in lost_marker.notice
    assert engine.reword(answer, "clinician").text is None


def test_patient_wording_without_an_llm_explains_it_needs_one(seed_engine, seed_index) -> None:
    answer = seed_engine.ask(CONTRAST)
    assert seed_engine.reword(answer, "patient").notice == NEEDS_LLM
    result = CliRunner().invoke(app, ["ask", CONTRAST, "--json", "--audience", "patient",
                                      "--index", str(seed_index)])
    record = json.loads(result.stdout)
    assert record["audience"] == "patient" and record["audience_text"] is None
    assert "needs a language model" in record["audience_notice"]
    bad = CliRunner().invoke(app, ["ask", CONTRAST, "--audience", "child"])
    assert bad.exit_code == 2 and "--audience" in bad.stderr


@pytest.mark.parametrize(("env", "setting"), [
    ({"CITEWISE_LLM_PROVIDER": "openai"}, "CITEWISE_LLM_MODEL"),
    ({"CITEWISE_LLM_PROVIDER": "gpt", "CITEWISE_LLM_MODEL": "x"}, "CITEWISE_LLM_PROVIDER"),
    ({"CITEWISE_LLM_PROVIDER": "openai", "CITEWISE_LLM_MODEL": "x",
      "CITEWISE_LLM_TIMEOUT": "0"}, "CITEWISE_LLM_TIMEOUT"),
])
def test_bad_llm_setting_answers_extractively_naming_it(env, setting, seed_index,
                                                        seed_engine) -> None:
    result = CliRunner().invoke(app, ["ask", CONTRAST, "--json", "--index", str(seed_index)],
                                env=env)
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["composer"] == "extractive" and setting in record["composer_notice"]
    assert record["answer"] == seed_engine.ask(CONTRAST).text


def test_cli_reports_not_covered_and_rewords_for_patients(recordings, seed_index) -> None:
    uncovered = "Which red flags call for early imaging of the lumbar spine?"
    plain = ("Your doctor may add a contrast dye to the back scan if cancer, an infection or "
             "an earlier back operation is suspected [1].")
    replay = Replay(recordings, scripted={f"Question: {uncovered}": "NOT COVERED",
                                          "Contrast should be added": plain})
    with serve(replay) as url:
        env = {"CITEWISE_LLM_PROVIDER": "openai", "CITEWISE_LLM_MODEL": replay.model,
               "CITEWISE_LLM_BASE_URL": url + "/v1"}
        text = CliRunner().invoke(app, ["ask", uncovered, "--index", str(seed_index)], env=env)
        worded = CliRunner().invoke(app, ["ask", CONTRAST, "--json", "--audience", "patient",
                                          "--index", str(seed_index)], env=env)
    assert text.exit_code == 0 and "Not covered" in text.stdout
    assert "Why: the language model found" in text.stdout and "NOT COVERED" in text.stdout
    record = json.loads(worded.stdout)
    assert record["composer"] == "generative" and record["audience_text"] == plain
    assert record["audience_notice"] == ""
