"""Every seed article (published web pages, site furniture included) parses right."""

from __future__ import annotations

import pytest

from ingest import read_article
from tests.conftest import seed_dir_or_skip

EXPECTED = {
    "000_823a70ce5266c8a4": {
        "title": "What is the initial investigation for a patient presenting with radiculopathy "
                 "affecting the L1-L2 myotome?",
        "sections": [
            "Initial Investigation for L1-L2 Radiculopathy",
            "Clinical Context and Initial Approach",
            "When Imaging is NOT Appropriate (Most Cases)",
            "Red Flags Requiring Immediate Imaging",
            "MRI Lumbar Spine Without IV Contrast - First Choice",
            "MRI Lumbar Spine Without and With IV Contrast - When to Add Contrast",
            "Alternative Imaging Modalities",
            "Special Considerations for L1-L2 Level",
            "Critical Pitfalls to Avoid",
        ],
        "references": 3, "last_updated": "2025-11-06", "related": 11,
    },
    "001_53ae069ba093b5c3": {
        "title": "When is an MRI of the lumbosacral spine recommended for patients with lower "
                 "back pain?",
        "sections": [
            "MRI Lumbosacral Spine Recommendations for Lower Back Pain",
            "Urgent/Emergent Indications", "Non-Urgent Indications",
            "Contraindications and Alternatives", "MRI Protocol Considerations",
            "Clinical Relevance and Pitfalls", "Special Considerations",
        ],
        "references": 4, "last_updated": "2025-08-25", "related": 0,
    },
    "002_97de72378db096b7": {
        "title": "What is the management of thoracolumbar (thoracic and lumbar) nerve root "
                 "impingement?",
        "sections": [
            "From the Guidelines", "Initial Treatment", "Imaging", "Surgical Intervention",
            "Key Considerations", "Management of Thoracolumbar Nerve Root Impingement",
            "Non-Operative Treatment", "Evidence-Based Diagnosis and Management",
        ],
        "references": 0, "last_updated": "2025-03-28", "related": 0,
    },
    "003_f26ec3dbf0147160": {
        "title": "What is the best MRI approach for a patient with worsening low back pain and "
                 "sciatica unresponsive to anti-inflammatory medications and steroids?",
        "sections": ["From the Guidelines", "MRI Approach for Low Back Pain with Sciatica",
                     "Key Considerations"],
        "references": 3, "last_updated": "2025-06-24", "related": 0,
    },
}
FURNITURE = ["Personalize", "Help us tailor", "Which best describes you", "Have a follow-up",
             "Dr.Oracle assumes no liability", "Professional Medical Disclaimer",
             "Article Review Status", "View editorial policy", "Medical Advisory Board",
             "What are the Scarbossa criteria"]


@pytest.mark.parametrize("article_id", sorted(EXPECTED))
def test_seed_article_parses(article_id: str) -> None:
    path = seed_dir_or_skip() / f"{article_id}.txt"
    expected = EXPECTED[article_id]
    article = read_article(path)
    assert article.article_id == article_id
    assert article.title == expected["title"]
    assert [s.heading for s in article.sections] == expected["sections"]
    assert len(article.references) == expected["references"]
    assert article.last_updated == expected["last_updated"]
    # The page's banner says the content is pending human review.
    assert article.review_status == "Under review"
    assert len(article.related_questions) == expected["related"]
    for phrase in FURNITURE:
        assert phrase not in article.text, f"site furniture {phrase!r} was kept as content"


def test_seed_references_resolved_with_type_venue_year() -> None:
    article = read_article(seed_dir_or_skip() / "001_53ae069ba093b5c3.txt")
    ref3 = article.reference(3)
    assert ref3 is not None and ref3.type == "Research" and ref3.year == 2012
    assert ref3.title.startswith("Magnetic resonance imaging for diagnosing lumbar spinal")
    assert ref3.venue.startswith("European spine journal")
    assert article.reference(1).type == "Guideline"


def test_seed_trailing_number_markers_become_citations() -> None:
    article = read_article(seed_dir_or_skip() / "000_823a70ce5266c8a4.txt")
    red_flags = next(s for s in article.sections if s.heading.startswith("Red Flags"))
    assert "bilateral symptoms) [1, 3]" in red_flags.text
    # Content numbers are not mistaken for citations.
    assert "age >50 with new onset pain)" in red_flags.text
    assert "cites reference(s) 4, 5, 6 missing from its list" in article.warnings


def test_seed_nested_bullets_merge_into_parent() -> None:
    article = read_article(seed_dir_or_skip() / "001_53ae069ba093b5c3.txt")
    urgent = next(s for s in article.sections if s.heading == "Urgent/Emergent Indications")
    assert ("Cauda Equina Syndrome - Requires immediate MRI evaluation when symptoms include: "
            "Bladder/bowel dysfunction; Perianal or saddle numbness") in urgent.text
    assert "relative to age [1, 2]" in urgent.text
