"""OCR of PDF pages without a text layer: the scanned NIAMS booklet read, indexed and answered
from, its citations marked as OCR text; without tesseract, one clear line."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from index.store import load_index
from index.sync import sync_corpus
from ingest import ArticleParseError, read_article
from ingest.ocr import ocr_pages, ocr_progress, tesseract_path

SCANNED_LINES = ("Is bed rest advised?", "",
                 "Bed rest is not advised for acute low back",
                 "pain; staying active helps recovery within", "six weeks.")


def _mixed_pdf(path: Path) -> Path:
    """Page 1 with a text layer, page 2 only an image of printed text (a scanned page)."""
    from fpdf import FPDF
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (1700, 700), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=40)
    for i, line in enumerate(SCANNED_LINES):
        draw.text((80, 80 + i * 64), line, font=font, fill=0)
    image.save(path.with_suffix(".png"))
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.multi_cell(0, 8, "Is imaging needed?", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(0, 6, "Imaging is not needed in the first six weeks of low back pain.")
    pdf.add_page()
    pdf.image(str(path.with_suffix(".png")), x=10, y=10, w=190)
    pdf.output(str(path))
    return path


def test_page_without_text_layer_is_ocrd_and_its_chunks_say_so(tmp_path: Path) -> None:
    if tesseract_path() is None:
        pytest.skip("tesseract is not installed (make ocr)")
    from ingest.chunker import SectionChunker

    calls: list[tuple[str, int, int]] = []
    with ocr_progress(lambda stage, page, pages: calls.append((stage, page, pages))):
        article = read_article(_mixed_pdf(tmp_path / "mixed.pdf"))
    assert calls == [("ocr", 1, 1)], "one progress report per OCR'd page"
    assert article.ocr_pages == (2,)
    text = " ".join(article.text.split())
    assert "Imaging is not needed in the first six weeks" in text
    assert "Bed rest is not advised for acute low back pain; staying active helps" in text
    chunks = SectionChunker().chunk(article)
    by_ocr = {c.ocr: c.text for c in chunks}
    assert "Imaging" in by_ocr[False] and "Bed rest" in by_ocr[True], by_ocr
    assert [c for c in chunks if c.ocr][0].as_dict()["ocr"] is True


def test_without_tesseract_mixed_pdf_keeps_its_text_and_warns(tmp_path: Path,
                                                              monkeypatch) -> None:
    pdf = _mixed_pdf(tmp_path / "mixed.pdf")
    monkeypatch.setenv("PATH", str(tmp_path))  # no tesseract on PATH
    article = read_article(pdf)
    assert article.ocr_pages == ()
    assert "Imaging is not needed" in article.text
    assert ("1 page(s) without a text layer were not read (pages 2); install tesseract-ocr to "
            "OCR them") in article.warnings


def test_light_type_on_a_dark_cover_is_read(tmp_path: Path) -> None:
    """White type over a lighter shape on a dark cover: one-threshold OCR reads none of it."""
    if tesseract_path() is None:
        pytest.skip("tesseract is not installed (make ocr)")
    from fpdf import FPDF
    from PIL import Image, ImageDraw, ImageFont

    from ingest.ocr_layers import light_text_layer

    cover = Image.new("L", (1200, 800), 90)
    draw = ImageDraw.Draw(cover)
    draw.polygon([(300, 150), (1100, 150), (1100, 700), (500, 700)], fill=165)
    draw.text((60, 40), "Questions about", font=ImageFont.load_default(size=60), fill=250)
    draw.text((420, 300), "Spinal", font=ImageFont.load_default(size=90), fill=250)
    draw.text((420, 420), "Stenosis", font=ImageFont.load_default(size=90), fill=250)
    cover.save(tmp_path / "cover.png")
    assert light_text_layer(Image.new("L", (50, 50), 255)) is None, "a white page has no layer"
    pdf = FPDF(format=(240, 160))  # the scan fills the page, as a scanner makes it
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.image(str(tmp_path / "cover.png"), x=0, y=0, w=240, h=160)
    pdf.output(str(tmp_path / "cover.pdf"))
    lines, _noise = ocr_pages(tmp_path / "cover.pdf", [1])[1]
    assert [line.text for line in lines] == ["Questions about", "Spinal", "Stenosis"]


REAL = Path(__file__).resolve().parents[2].parent / "shared" / "real-guidelines"
SCANNED = REAL / "niams_spinal_stenosis_qa_scanned.pdf"
SCANNED_ID = "niams_spinal_stenosis_qa_scanned"
PAGES = 28


@pytest.fixture(scope="module")
def scanned_pdf() -> Path:
    if not SCANNED.is_file():
        pytest.skip(f"scanned booklet not found at {SCANNED}")
    return SCANNED


@pytest.fixture(scope="module")
def scanned_index(tmp_path_factory, embedder, scanned_pdf: Path) -> Path:
    """The booklet ingested by the real pipeline (OCR, chunking, embedding) once per module."""
    if tesseract_path() is None:
        pytest.skip("tesseract is not installed (make ocr)")
    base = tmp_path_factory.mktemp("scanned")
    corpus = base / "corpus"
    corpus.mkdir()
    shutil.copy(scanned_pdf, corpus / scanned_pdf.name)
    report = sync_corpus(corpus, base / "index", embedder=embedder)
    assert report.added == [SCANNED_ID], f"skipped: {report.skipped}"
    return base / "index"


def test_scanned_booklet_is_read_by_ocr_whole(scanned_index: Path) -> None:
    data = load_index(scanned_index)
    article = data.articles[SCANNED_ID]
    assert len(article.ocr_pages) >= PAGES - 2, f"OCR'd pages {article.ocr_pages}"
    text = " ".join(article.text.split())
    # Sentences from the first, a middle and the last page of the body, as printed.
    for printed in ("Spinal stenosis is a narrowing of spaces in the spine",
                    "Twenty-four of the bones are called vertebrae",
                    "NIH Publication No. 05-5327"):
        assert printed in text, f"{printed!r} missing from the OCR text"
    assert "Table of Contents" not in text and "Stenosistss" not in text, "contents kept"
    # Most of the booklet's words: about 4,300 printed words on 28 small pages.
    assert len(text.split()) > 3500, f"only {len(text.split())} words indexed"
    chunks = [c for c in data.chunks if c.article_id == SCANNED_ID]
    assert chunks and all(c.ocr for c in chunks), "every chunk of a scan comes from OCR"


def test_scanned_booklet_title(scanned_index: Path) -> None:
    """The cover's title is set in five lines of display type of varied size, and its
    decorative '&' overlaps the 'A' of Answers (tesseract reads '&s4 nswers')."""
    article = load_index(scanned_index).articles[SCANNED_ID]
    assert article.title in ("Questions and Answers about Spinal Stenosis",
                             "Questions & Answers about Spinal Stenosis"), article.title
    # SOURCES.tsv gives the publisher; the year is the booklet's own, printed on its last page
    # ("November 2004"), where SOURCES.tsv knows only when the scan was made.
    assert "National Institute of Arthritis and Musculoskeletal and Skin Diseases" in (
        article.publisher or ""), article.publisher
    assert article.year == 2004, article.year


def test_question_answered_from_ocr_text_says_so(scanned_index: Path, embedder) -> None:
    from config.settings import Settings
    from qa.engine import QAEngine

    engine = QAEngine.load(Settings.from_env(index_dir=scanned_index), embedder=embedder)
    answer = engine.ask("what is spinal stenosis?")
    assert not answer.abstained, answer.abstain_reason
    assert "narrowing" in answer.text.lower(), answer.text
    assert answer.citations and all(c.article_id == SCANNED_ID for c in answer.citations)
    cited = answer.as_dict()["citations"][0]
    assert cited["ocr"] is True
    assert cited["source_note"] == "text from OCR; check the original"


@pytest.mark.xfail(strict=True, reason=(
    "known regression, issue 27 note: the retrained scorer weighs the question's words in a "
    "unit (lex_unit) above its meaning, so 'what are the symptoms ...' gets the section's two "
    "sentences that say 'symptoms' (p 0.063, 0.054) and not 'More often, people experience "
    "numbness, weakness, ...' (p 0.005), which names none of the question's words"))
def test_symptoms_come_from_the_booklets_symptoms_section(scanned_index: Path,
                                                          embedder) -> None:
    """Read as a clinician would: the symptoms are the booklet's own list of them."""
    from config.settings import Settings
    from qa.engine import QAEngine

    engine = QAEngine.load(Settings.from_env(index_dir=scanned_index), embedder=embedder)
    symptoms = engine.ask("what are the symptoms of spinal stenosis?")
    assert not symptoms.abstained, symptoms.abstain_reason
    assert any("Symptoms of Spinal Stenosis" in c.section for c in symptoms.citations), [
        c.section for c in symptoms.citations]
    assert "weakness" in symptoms.text or "numbness" in symptoms.text, symptoms.text
    assert all(c.ocr for c in symptoms.citations)


def test_without_tesseract_one_clear_line(scanned_pdf: Path, tmp_path: Path, monkeypatch,
                                         embedder) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no tesseract on PATH
    assert tesseract_path() is None
    with pytest.raises(ArticleParseError) as caught:
        read_article(scanned_pdf)
    assert str(caught.value) == (f"{SCANNED.name}: PDF has no text layer (scanned image?); "
                                 "install tesseract-ocr to OCR it")
    # Ingest skips the scan with that reason and keeps everything else.
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(scanned_pdf, corpus / scanned_pdf.name)
    (corpus / "rest.md").write_text("# Is bed rest advised?\n\nStaying active is preferred to "
                                    "bed rest for acute low back pain.\n", encoding="utf-8")
    report = sync_corpus(corpus, tmp_path / "index", embedder=embedder)
    assert report.added == ["rest"]
    assert [reason for _f, reason in report.skipped] == [
        "PDF has no text layer (scanned image?); install tesseract-ocr to OCR it"]


def test_chunks_of_older_indexes_load_as_not_ocr() -> None:
    from ingest.records import Chunk

    row = {"chunk_id": "a:0", "article_id": "a", "title": "T", "section": "S",
           "section_path": ["S"], "text": "x", "char_start": 0, "char_end": 1, "page": None,
           "references": [], "evidence_type": ""}  # a chunks.jsonl row written before OCR
    chunk = Chunk.from_dict(row)
    assert chunk.ocr is False
    assert Chunk.from_dict(chunk.as_dict()) == chunk


def test_tesseract_runs_at_lower_priority_without_forking_python() -> None:
    """OCR must not starve the app, and must not rely on a preexec_fn (a fork of the whole
    multi-threaded process: with gRPC threads alive the child died in CI)."""
    import subprocess
    import sys

    from ingest.ocr import NICE, tesseract_command

    command = tesseract_command(sys.executable)
    probe = command[:command.index(sys.executable) + 1] + ["-c", "import os; print(os.nice(0))"]
    child = int(subprocess.run(probe, capture_output=True, text=True, check=True).stdout)
    assert child == min(19, os.nice(0) + NICE)
