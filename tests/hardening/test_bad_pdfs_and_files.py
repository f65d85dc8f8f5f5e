"""PDFs that cannot be read, links leaving the corpus, files that vanish mid-ingest."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest
from fpdf import FPDF
from PIL import Image

from index.store import load_index
from index.sync import sync_corpus
from ingest import ArticleParseError, read_article
from tests.conftest import ROOT

GOOD = """# Is bed rest advised for acute low back pain?

## Bottom line
Staying active is preferred to bed rest for acute low back pain [1].

## References
1. Noninvasive treatments for low back pain. Annals of Internal Medicine. 2017. [Guideline]
"""


def _text_pdf(path: Path) -> Path:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.multi_cell(0, 8, "Is imaging needed?", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(0, 6, "Imaging is not needed in the first six weeks [1].")
    pdf.output(str(path))
    return path


def test_encrypted_pdf(tmp_path: Path) -> None:
    writer = pypdf.PdfWriter(clone_from=_text_pdf(tmp_path / "plain.pdf"))
    writer.encrypt(user_password="secret", owner_password="owner")
    locked = tmp_path / "locked.pdf"
    with open(locked, "wb") as fh:
        writer.write(fh)
    with pytest.raises(ArticleParseError, match=r"^locked.pdf: PDF is encrypted"):
        read_article(locked)


def test_scanned_pdf_without_text_layer(tmp_path: Path) -> None:
    image = tmp_path / "scan.png"
    Image.new("RGB", (400, 300), "white").save(image)
    pdf = FPDF()
    pdf.add_page()
    pdf.image(str(image), x=10, y=10, w=180)
    pdf.output(str(tmp_path / "scan.pdf"))
    with pytest.raises(ArticleParseError, match="no text layer"):
        read_article(tmp_path / "scan.pdf")


def test_truncated_pdf(tmp_path: Path) -> None:
    data = _text_pdf(tmp_path / "whole.pdf").read_bytes()
    (tmp_path / "cut.pdf").write_bytes(data[: len(data) // 3])
    with pytest.raises(ArticleParseError, match=r"^cut.pdf: "):
        read_article(tmp_path / "cut.pdf")


def test_symlink_outside_corpus_and_vanished_file(tmp_path: Path, embedder) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "rest.md").write_text(GOOD, encoding="utf-8")
    outside = tmp_path / "private.md"
    outside.write_text(GOOD.replace("bed rest", "rest in bed"), encoding="utf-8")
    (corpus / "link.md").symlink_to(outside)
    report = sync_corpus(corpus, tmp_path / "index", embedder=embedder)
    assert (str(corpus / "link.md"), "symlink pointing outside the corpus folder") in report.skipped
    assert report.added == ["rest"]
    gone = corpus / "gone.md"
    report = sync_corpus(corpus, tmp_path / "index", embedder=embedder,
                         files=[corpus / "rest.md", gone])  # listed, then deleted before read
    assert (str(gone), "cannot read file (No such file or directory)") in report.skipped
    assert [a for a in load_index(tmp_path / "index").articles] == ["rest"]


REAL = ROOT.parent / "shared" / "real-guidelines"


def test_real_pdf_beside_a_truncated_copy_of_it(tmp_path: Path, embedder) -> None:
    """A damaged copy of a real guideline is reported by name; the whole one is indexed."""
    acp = REAL / "acp_lbp_noninvasive_2017.pdf"
    if not acp.is_file():
        pytest.skip("../shared/real-guidelines is absent")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    data = acp.read_bytes()
    (corpus / "acp.pdf").write_bytes(data)
    (corpus / "acp-cut.pdf").write_bytes(data[: len(data) // 2])
    report = sync_corpus(corpus, tmp_path / "index", embedder=embedder)
    assert report.added == ["acp"]
    skipped = dict(report.skipped)
    assert str(corpus / "acp-cut.pdf") in skipped, report.skipped
    assert "\n" not in skipped[str(corpus / "acp-cut.pdf")]
    index = load_index(tmp_path / "index")
    assert list(index.articles) == ["acp"]
    assert len(index.chunks) > 50
