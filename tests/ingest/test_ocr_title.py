"""Repairs of an OCR'd cover title (ingest.ocr_title), on lines as tesseract reads them."""

from __future__ import annotations

from ingest.ocr_title import cover_title, repair_title, repaired_word
from ingest.pdf_layout import PdfLine


def _line(text: str, size: float) -> PdfLine:
    return PdfLine(text, 0, 0.0, size, False)


def test_a_letter_lost_under_an_ornament_is_restored_and_known_words_stay() -> None:
    assert repaired_word("nswers") == "answers"
    # words English knows, a clinical term and an OCR fragment it also knows stay as read
    for word in ("plywood", "radiculopathy", "Stenosis", "pinal"):
        assert repaired_word(word) == word


def test_title_repair_follows_the_titles_capitals() -> None:
    assert repair_title("Questions &s4 nswers about Spinal Stenosis") == \
        "Questions & Answers about Spinal Stenosis"
    assert repair_title("questions and nswers about spinal stenosis") == \
        "questions and answers about spinal stenosis"


def test_cover_title_takes_the_run_of_display_lines_of_varied_size() -> None:
    # The NIAMS cover as tesseract measures it; body text of the booklet is 9.7 pt.
    cover = [_line("Questions", 29.9), _line("&s4 nswers", 40.0), _line("about...", 13.0),
             _line("Spinal", 41.0), _line("Stenosis", 31.3),
             _line("National Institute of Arthritis and Musculoskeletal and Skin Diseases", 8.6)]
    title, used = cover_title(cover, body_size=9.7)
    assert title == "Questions & Answers about Spinal Stenosis"
    assert used == cover[:5]
    assert cover_title(cover[5:], body_size=9.7) is None  # no display type: no cover title
