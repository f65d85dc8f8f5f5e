"""The PDF reader's parts on small typeset-line fixtures: furniture, reference lists, metadata,
text repairs."""

from __future__ import annotations

from ingest.pdf_furniture import furniture_lines
from ingest.pdf_layout import PdfLine, normalise_text
from ingest.pdf_metadata import choose_title, find_publisher_year, real_title
from ingest.pdf_references import find_reference_lists
from ingest.pdf_text import (
    _join_wrapped,
    join_drop_caps,
    join_hyphens,
    mark_hyphens,
    repair_glyph_names,
    word_vocabulary,
)


def _line(text: str, page: int = 1, y: float = 500.0, size: float = 10.0,
          bold: bool = False) -> PdfLine:
    return PdfLine(text, page, y, size, bold)


def _page(n: int, body: list[str], header: str | None = None) -> list[PdfLine]:
    lines = [_line(header, n, 770.0)] if header else []
    lines += [_line(t, n, 700.0 - 12 * i) for i, t in enumerate(body)]
    lines.append(_line(f"Page {n}", n, 30.0))
    return lines


def test_repeated_header_and_page_numbers_are_furniture_a_repeated_heading_is_not() -> None:
    words = "alpha beta gamma delta epsilon zeta eta theta iota kappa".split()
    pages = [_page(n, ["References" if n < 4 else f"Text {words[n - 1]}.", f"More {words[n - 1]}."],
                   header=f"Guideline | Chapter {1 if n < 6 else 2}") for n in range(1, 11)]
    dropped = furniture_lines(pages)
    kept = [ln.text for p, lines in enumerate(pages) for i, ln in enumerate(lines)
            if (p, i) not in dropped]
    assert not any(t.startswith(("Guideline |", "Page ")) for t in kept)
    assert kept.count("References") == 3  # opens 3 pages, but under the running header
    assert furniture_lines([]) == set() and furniture_lines([[], []]) == set()


def test_reference_list_ends_at_heading_restart_and_resumes_after_a_box() -> None:
    texts = ["References", "1. Smith AB, Jones C. Back pain. Spine. 2001;1:1-2.",
             "continued title line 2001.", "2. Brown D. Imaging. Radiology. 2002;3:4.",
             "Box 1 Advice", "1. Stay active", "2. Avoid bed rest",
             "3. Green E. Exercise. Lancet. 2003;5:6.", "Methods", "Body text resumes here."]
    lines = [_line(t, y=700.0 - 12 * i) for i, t in enumerate(texts)]
    heading_like = [t in ("References", "Box 1 Advice", "Methods") for t in texts]
    lists = find_reference_lists(lines, heading_like)
    assert [[lines[e[0]].text[:2] for e in r.entries] for r in lists] == [["1.", "2."], ["3."]]
    assert lists[0].entries[0] == (1, 2) and lists[0].heading == 0 and lists[1].heading is None
    assert find_reference_lists([], []) == []


def test_title_is_never_a_date_copyright_or_banner_and_publisher_is_an_organisation() -> None:
    cover = [_line("CLINICAL GUIDELINE", size=23), _line("September 2022", size=22),
             _line("Vol.:(0123456789)", size=22), _line("Guideline for the", size=20),
             _line("Management of Back Pain", size=20), _line("Body text.", size=10),
             _line("Copyright © 2019–2021 Example Spine Society. All rights reserved.", size=8)]
    title, used = choose_title(None, cover)
    assert title == "Guideline for the Management of Back Pain" and len(used) == 2
    assert choose_title("Microsoft Word - draft3.docx", cover)[0] == title
    assert real_title("untitled") is None and real_title("Back pain care in adults") is not None
    assert find_publisher_year({}, title, cover) == ("Example Spine Society", 2021)
    authors = [_line("© The Author(s) 2018"), _line("European Spine Journal (2018) 27:2791–2803")]
    assert find_publisher_year({}, None, authors) == ("European Spine Journal", 2018)
    assert find_publisher_year({}, None, []) == (None, None)


def test_text_repairs() -> None:
    assert normalise_text("speci\ufb01c \ufb02ow") == "specific flow"
    lines = [_line("Mul/g415disciplinary care."), _line("A multidisciplinary team.")]
    assert repair_glyph_names(lines)[0].text == "Multidisciplinary care."
    lines = [_line("The commi\u201cee met."), _line("A committee \u201cquoted\u201d.")]
    assert [ln.text for ln in repair_glyph_names(lines)] == [
        "The committee met.", "A committee \u201cquoted\u201d."]
    caps = join_drop_caps([_line("L", size=26), _line("ow back pain is common.")], body=10)
    assert [ln.text for ln in caps] == ["Low back pain is common."]
    lines = [_line("the treat-"), _line("ment of back-"), _line("specific pain; back-specific")]
    texts = mark_hyphens(lines, {"back-specific": 1})
    assert join_hyphens(" ".join(texts)) == "the treatment of back-specific pain; back-specific"
    # a hyphen set after a space (Oliveira 2018, NASS 2020): a word when the joined word is the
    # document's own or common English; otherwise a dash
    lines = [_line("assessment of psy -"), _line("chosocial factors; similar out -"),
             _line("comes; education -"), _line("reassurance for all")]
    texts = mark_hyphens(lines, {"psychosocial": 1})
    assert join_hyphens(" ".join(texts)) == (
        "assessment of psychosocial factors; similar outcomes; education - reassurance for all")
    # ... and across the lines of a wrapped heading (NASS 2020's bold recommendations)
    assert _join_wrapped("a simple handout at 6-12 months' fol -", "low-up for chronic LBP") == (
        "a simple handout at 6-12 months' follow-up for chronic LBP")
    assert _join_wrapped("Education -", "reassurance") == "Education - reassurance"


def test_a_compound_hyphen_at_a_line_end_stays_when_the_document_writes_it() -> None:
    """NASS 2020 writes "return-to-work" mid-line 40 times, and breaks it as "return-" /
    "to-work" at line ends; one heading glues it as "returnto work"."""
    body = [_line("improving return-to-work status and fluoroscopically-guided blocks"),
            _line("a returnto work rate?")]
    vocabulary = word_vocabulary([*body, body[0]])
    assert vocabulary["return-to"] == 2 and vocabulary["returnto"] == 1
    texts = mark_hyphens([_line("functional outcomes and return-"), _line("to-work status")],
                         vocabulary)
    assert join_hyphens(" ".join(texts)) == "functional outcomes and return-to-work status"
    assert _join_wrapped("do fluoroscopically-", "guided epidural injections", vocabulary) == (
        "do fluoroscopically-guided epidural injections")
    # a word the document writes joined is still joined
    texts = mark_hyphens([_line("the treat-"), _line("ment")], vocabulary)
    assert join_hyphens(" ".join(texts)) == "the treatment"
