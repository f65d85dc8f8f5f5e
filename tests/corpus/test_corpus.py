"""The bundled corpus: every article parses cleanly, and clinicians' questions are answered
from the right article."""

from __future__ import annotations

import subprocess
import sys

import pytest

from ingest import read_article
from ingest.loader import discover_articles
from tests.conftest import CORPUS, ROOT

# article id: (title, sections, references, review status)
EXPECTED = {
    "acr-imaging-appropriateness-table": ("How does the ACR rate each imaging test across the low back pain scenarios?", 5, 1, "Approved"),  # noqa: E501
    "acute-low-back-pain-imaging": ("Should a patient with acute low back pain and no red flags be imaged?", 5, 6, "Approved"),  # noqa: E501
    "cauda-equina-syndrome-imaging": ("What imaging is needed for suspected cauda equina syndrome?", 4, 3, "Approved"),  # noqa: E501
    "conservative-management-low-back-pain": ("How should low back pain be managed conservatively, and for how long before imaging?", 5, 6, "Approved"),  # noqa: E501
    "ct-myelography-radiography-alternatives": ("What are the alternatives when a patient cannot have a lumbar spine MRI?", 5, 2, "Approved"),  # noqa: E501
    "mri-contrast-when-to-add": ("When should IV contrast be added to a lumbar spine MRI?", 4, 1, "Approved"),  # noqa: E501
    "mri-limitations-incidental-findings": ("How reliable is lumbar MRI, and how common are abnormal findings in people without back pain?", 5, 7, "Approved"),  # noqa: E501
    "persistent-pain-after-conservative-care-imaging": ("Which imaging is appropriate when low back pain or radiculopathy persists after 6 weeks of conservative care?", 5, 4, "Approved"),  # noqa: E501
    "prior-lumbar-surgery-imaging": ("What imaging is recommended for new or worsening back pain after lumbar spine surgery?", 4, 2, "Approved"),  # noqa: E501
    "radiculopathy-vs-plexopathy": ("How can lumbosacral radiculopathy be told apart from lumbosacral plexopathy on imaging?", 4, 3, "Under review"),  # noqa: E501
    "red-flags-low-back-pain": ("Which red flags in low back pain call for early imaging?", 7, 3, "Approved"),  # noqa: E501
    "relative-radiation-levels": ("How much radiation do the imaging tests for low back pain involve?", 4, 2, "Approved"),  # noqa: E501
    "routine-early-imaging-evidence": ("Does early imaging improve outcomes in low back pain?", 4, 6, "Approved"),  # noqa: E501
    "surgical-indications-lumbar-radiculopathy": ("When should surgery be considered for lumbar radiculopathy or sciatica?", 5, 4, "Approved"),  # noqa: E501
    "suspected-cancer-infection-imaging": ("How should low back pain be imaged when cancer, infection or immunosuppression is suspected?", 4, 2, "Approved"),  # noqa: E501
    "trauma-osteoporosis-elderly-imaging": ("Which imaging suits back pain with minor trauma, osteoporosis, older age or steroid use?", 4, 3, "Approved"),  # noqa: E501
    "upper-lumbar-radiculopathy": ("How should suspected L1-L2 (upper lumbar) radiculopathy be investigated?", 5, 5, "Under review"),  # noqa: E501
}

# Ten questions as a clinician would type them, and the article that must be cited.
QUESTIONS = [
    ("when should contrast be added to a lumbar MRI?", "mri-contrast-when-to-add"),
    ("3 weeks of back pain, no red flags: image now?", "acute-low-back-pain-imaging"),
    ("urinary retention and saddle anaesthesia with back pain, what imaging and how fast?",
     "cauda-equina-syndrome-imaging"),
    ("pacemaker that is not MRI conditional, how do I image lumbar radiculopathy?",
     "ct-myelography-radiography-alternatives"),
    ("recurrent radicular pain after discectomy, which MRI?", "prior-lumbar-surgery-imaging"),
    ("how much radiation does CT myelography involve?",
     ("relative-radiation-levels", "ct-myelography-radiography-alternatives")),
    ("what proportion of people without back pain have disc bulges on MRI?",
     "mri-limitations-incidental-findings"),
    ("older woman on long-term steroids with back pain after a minor fall, which imaging?",
     "trauma-osteoporosis-elderly-imaging"),
    ("how do I tell radiculopathy from lumbosacral plexopathy?", "radiculopathy-vs-plexopathy"),
    ("anterior thigh pain and weak hip flexion, suspected L2 root: how to investigate?",
     "upper-lumbar-radiculopathy"),
]


def test_corpus_holds_the_expected_articles() -> None:
    paths, skipped = discover_articles(CORPUS)
    assert skipped == []
    assert {p.stem for p in paths} == set(EXPECTED)
    assert {p.suffix for p in paths} == {".md", ".pdf", ".html"}
    assert sum(p.suffix == ".pdf" for p in paths) >= 2


@pytest.mark.parametrize("article_id", sorted(EXPECTED))
def test_article_parses_cleanly(article_id: str) -> None:
    path = next(p for p in discover_articles(CORPUS)[0] if p.stem == article_id)
    title, n_sections, n_refs, status = EXPECTED[article_id]
    article = read_article(path)
    assert article.warnings == (), f"{path.name}: {article.warnings}"
    assert (article.title, len(article.sections), len(article.references),
            article.review_status) == (title, n_sections, n_refs, status)
    assert article.sections[0].heading == "Bottom line"
    assert article.last_updated and all(r.type in ("Guideline", "Research")
                                        for r in article.references)


@pytest.mark.parametrize(("question", "article_id"), QUESTIONS)
def test_clinician_question_answered_from_the_right_article(
        corpus_engine, question: str, article_id: str | tuple[str, ...]) -> None:
    answer = corpus_engine.ask(question)
    assert not answer.abstained, f"abstained: {answer.abstain_reason}"
    accepted = {article_id} if isinstance(article_id, str) else set(article_id)
    assert accepted & {c.article_id for c in answer.citations}, (
        f"cited {[c.article_id for c in answer.citations]}")


def test_pdfs_are_reproducible_from_their_markdown(tmp_path) -> None:
    """corpus/build_pdfs.py regenerates each PDF; the text parsed from it is unchanged."""
    out = tmp_path / "pdfs"
    result = subprocess.run([sys.executable, str(CORPUS / "build_pdfs.py"), "--out", str(out)],
                            capture_output=True, text=True, cwd=ROOT)
    if result.returncode != 0 and "--out" in result.stderr:
        pytest.skip("build_pdfs.py takes no --out option")
    assert result.returncode == 0, result.stderr
    for pdf in sorted(out.glob("*.pdf")):
        assert read_article(pdf).sections == read_article(CORPUS / pdf.name).sections
