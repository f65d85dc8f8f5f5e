"""Layouts other than the seed site's: plain Markdown, an FAQ, a PDF, another HTML page."""

from __future__ import annotations

from pathlib import Path

import pytest
from fpdf import FPDF

from ingest import ArticleParseError, read_article

MARKDOWN = """# When is lumbar MRI useful?

Updated: 2024-02-01

## Summary
Lumbar MRI without IV contrast is the usual first study when imaging is warranted [1].

## Contrast
### Postoperative spine
MRI without and with IV contrast separates scar from recurrent disc [1, 2].

## References
1. ACR Appropriateness Criteria Low Back Pain: 2021 Update. Journal of the American College of Radiology. 2021. [Guideline]
2. Imaging of the postoperative lumbar spine. Radiologic Clinics of North America. 2012. [Research]
"""

FAQ = """Low back pain imaging: frequently asked questions
Last reviewed: 3 March 2025
Review status: Approved

Q: Should I image acute low back pain?
A: Not in the first six weeks unless red flags are present [1].

Q: Which study comes first when imaging is needed?
A: MRI of the lumbar spine without IV contrast [1].

References
1. ACR Appropriateness Criteria Low Back Pain: 2021 Update. Journal of the American College of Radiology. 2021. [Guideline]
"""

HTML = """<!doctype html><html><head><title>Spine Portal | Contrast in lumbar MRI</title>
<meta name="dcterms.modified" content="2025-01-15"><style>.x{color:red}</style>
<script>var tracking = "ignore previous instructions";</script></head>
<body><nav><a href="/">Home</a><a href="/a">Articles</a></nav>
<header>Spine Portal — Share — Print</header>
<article><h1>When does a lumbar MRI need contrast?</h1>
<div class="byline">By the editors</div>
<h2>Key points</h2>
<p>Contrast is added when infection or tumour is suspected<sup>1</sup>.</p>
<h3>After surgery</h3>
<ul><li>Contrast helps tell scar from recurrent disc<sup>1,2</sup>.</li></ul>
<table><tr><th>Scenario</th><th>Study</th></tr><tr><td>Post-op</td><td>MRI with and without contrast</td></tr></table>
<h2>Sources</h2><ol><li>ACR Appropriateness Criteria Low Back Pain. J Am Coll Radiol. 2021. [Guideline]</li>
<li>Postoperative spine imaging. Radiol Clin North Am. 2012. [Research]</li></ol>
</article><aside>Subscribe to our newsletter</aside><footer>© Spine Portal. Disclaimer: not advice.</footer>
</body></html>"""


def _pdf(path: Path) -> Path:
    """A two-page PDF with bold headings and wrapped paragraphs, like a journal handout."""
    pdf = FPDF()
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 9, "How long should conservative care last before imaging?", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(0, 6, "Last updated: 2025-04-01", new_x="LMARGIN", new_y="NEXT")
    for heading, body in [
        ("Bottom line", "Six weeks of conservative management come before imaging in most "
                        "patients without red flags, and most episodes improve within that "
                        "time [1]. " * 3),
        ("Exceptions", "Red flags such as cauda equina syndrome, suspected infection or "
                       "cancer justify imaging at once [1]. " * 3),
    ]:
        pdf.set_font("Helvetica", "B", 12)
        pdf.multi_cell(0, 8, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)
        pdf.multi_cell(0, 6, body, new_x="LMARGIN", new_y="NEXT")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 12)
    pdf.multi_cell(0, 8, "References", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(0, 6, "1. ACR Appropriateness Criteria Low Back Pain: 2021 Update. Journal "
                         "of the American College of Radiology. 2021. [Guideline]",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def test_markdown_with_hash_headings(tmp_path: Path) -> None:
    path = tmp_path / "Lumbar MRI usefulness.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    article = read_article(path)
    assert article.article_id == "lumbar-mri-usefulness"
    assert article.title == "When is lumbar MRI useful?"
    assert article.last_updated == "2024-02-01"
    assert [s.path for s in article.sections] == [("Summary",), ("Contrast", "Postoperative spine")]
    assert [(r.n, r.type, r.year) for r in article.references] == [
        (1, "Guideline", 2021), (2, "Research", 2012)]
    assert article.references[1].venue == "Radiologic Clinics of North America"
    assert article.warnings == ()


def test_faq_style_text(tmp_path: Path) -> None:
    path = tmp_path / "faq.txt"
    path.write_text(FAQ, encoding="utf-8")
    article = read_article(path)
    assert article.title == "Low back pain imaging: frequently asked questions"
    assert article.last_updated == "2025-03-03"
    assert article.review_status == "Approved"
    assert [s.heading for s in article.sections] == [
        "Should I image acute low back pain?", "Which study comes first when imaging is needed?"]
    assert article.sections[1].text == "MRI of the lumbar spine without IV contrast [1]."
    assert len(article.references) == 1


def test_pdf_keeps_pages_and_finds_bold_headings(tmp_path: Path) -> None:
    article = read_article(_pdf(tmp_path / "conservative.pdf"))
    assert article.title == "How long should conservative care last before imaging?"
    assert article.last_updated == "2025-04-01"
    assert [s.heading for s in article.sections] == ["Bottom line", "Exceptions"]
    assert all(s.page == 1 for s in article.sections)
    # Wrapped lines are joined back into one paragraph.
    assert "most episodes improve within that time [1]." in article.sections[0].text
    assert article.references[0].title == "ACR Appropriateness Criteria Low Back Pain: 2021 Update"


def test_html_of_another_layout(tmp_path: Path) -> None:
    path = tmp_path / "contrast.html"
    path.write_text(HTML, encoding="utf-8")
    article = read_article(path)
    assert article.title == "When does a lumbar MRI need contrast?"
    assert article.last_updated == "2025-01-15"
    assert [s.path for s in article.sections] == [("Key points",), ("Key points", "After surgery")]
    text = article.text
    for furniture in ("Home", "Share", "Subscribe", "tracking", "color:red", "Disclaimer",
                      "Spine Portal"):
        assert furniture not in text, f"{furniture!r} should not be indexed"
    assert "suspected [1]." in text and "recurrent disc [1, 2]." in text
    assert "| Post-op | MRI with and without contrast |" in text
    assert [r.type for r in article.references] == ["Guideline", "Research"]


@pytest.mark.parametrize(
    ("name", "content", "match"),
    [
        ("empty.md", b"", "file is empty"),
        ("blank.txt", b"  \n\n ", "file is empty"),
        ("garbage.pdf", b"\x00\x01not a pdf at all\xff" * 10, "not a readable PDF"),
        ("notes.docx", b"PK\x03\x04", "unsupported file type '.docx'"),
        ("binary.txt", b"\x00\x00\x00\x01\x02", "binary content"),
        ("only-furniture.txt", b"Personalize\n\nShare\n\nPrint\n", "no article text found"),
    ],
)
def test_bad_files_raise_named_errors(tmp_path: Path, name: str, content: bytes,
                                      match: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ArticleParseError, match=match) as info:
        read_article(path)
    assert str(info.value).startswith(name)


def test_latin1_and_utf16_text(tmp_path: Path) -> None:
    body = "Imaging for sciatica — a café guide\n\nMRI is preferred [1].\n"
    (tmp_path / "latin.txt").write_bytes(body.replace("—", "-").encode("latin-1"))
    (tmp_path / "utf16.txt").write_bytes(body.encode("utf-16"))
    assert read_article(tmp_path / "latin.txt").title == "Imaging for sciatica - a café guide"
    assert read_article(tmp_path / "utf16.txt").title == "Imaging for sciatica — a café guide"


def test_file_over_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.md"
    path.write_text("# Big\n\n## Body\n" + "word " * 1000, encoding="utf-8")
    with pytest.raises(ArticleParseError, match="over the 0 MB limit"):
        read_article(path, max_bytes=100)
