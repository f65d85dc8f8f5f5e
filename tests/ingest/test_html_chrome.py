"""HTML site chrome is recognised by generic structure (landmarks, roles, class names), whatever
the site: a page built like a typical CMS article, unlike the guideline.gov template."""

from __future__ import annotations

from pathlib import Path

from ingest import read_article

CMS_PAGE = """<!DOCTYPE html><html><head>
<title>Heel pain (plantar fasciitis) - Health A to Z - Example Health Service</title>
<meta property="og:site_name" content="Example Health Service">
<meta property="og:title" content="Heel pain (plantar fasciitis) | Example Health Service">
</head><body>
<div class="cookie-banner" role="dialog"><p>We use cookies to improve this website. Accept all
cookies or manage your preferences.</p></div>
<a class="skip-link" href="#maincontent">Skip to main content</a>
<header class="site-header" role="banner"><a href="/">Example Health Service home</a>
<form role="search"><input name="q"><button>Search this site</button></form></header>
<nav class="breadcrumb"><ol><li><a href="/">Home</a></li><li><a href="/az">Health A to Z</a></li>
</ol></nav>
<main id="maincontent"><div class="page-wrapper">
<article>
<header><h1>Heel pain (plantar fasciitis)</h1>
<p>Page last reviewed: <time datetime="2023-04-18">18 April 2023</time></p></header>
<h2>Things you can do to ease heel pain</h2>
<ul><li>rest and raise your foot on a stool when you can</li>
<li>put an ice pack in a towel on your heel for up to 20 minutes every 2 to 3 hours</li>
<li>wear wide comfortable shoes with a low heel and soft sole</li></ul>
<h2>See a GP if</h2>
<p>The pain is severe or stops you doing normal activities, or it has not improved after
treating it at home for 2 weeks.</p>
<div class="accordion"><details><summary>Causes of heel pain</summary>
<p>Heel pain is most often caused by plantar fasciitis, especially if the pain is worse when
you take your first steps after waking up.</p></details></div>
<div class="print-version"><p>Heel pain is most often caused by plantar fasciitis, especially if
the pain is worse when you take your first steps after waking up.</p></div>
</article>
<aside class="related-links"><h2>More in Health A to Z</h2><ul><li><a href="/a">Ankle pain
and swelling after a long walk</a></li><li><a href="/b">Foot pain when walking</a></li></ul>
</aside>
<div class="share-bar"><a>Share on Facebook</a><a>Share by email</a></div>
</div></main>
<footer class="site-footer"><ul><li>Accessibility statement</li><li>Terms and conditions</li>
</ul><p>© Crown copyright</p></footer>
</body></html>"""


def test_cms_page_keeps_the_article_and_drops_its_chrome(tmp_path: Path) -> None:
    path = tmp_path / "heel-pain.html"
    path.write_text(CMS_PAGE, encoding="utf-8")
    article = read_article(path)
    assert article.title == "Heel pain (plantar fasciitis)"
    assert article.publisher == "Example Health Service"
    assert article.last_updated == "2023-04-18" and article.year == 2023
    assert article.review_status == "Reviewed" and article.reviewed_on == "2023-04-18"
    assert [s.heading for s in article.sections] == ["Things you can do to ease heel pain",
                                                      "See a GP if", "Causes of heel pain"]
    text = article.text
    assert "ice pack" in text and "plantar fasciitis, especially" in text
    assert text.count("first steps after waking up") == 1, "a print copy must not repeat"
    for chrome in ("cookies", "Skip to", "Search this site", "Health A to Z", "More in",
                   "Share on", "Accessibility statement", "Crown copyright"):
        assert chrome not in text, f"site chrome {chrome!r} was indexed"
    account = article.account
    assert account is not None and account.unaccounted == 0, "every word is indexed or dropped"
    assert dict(account.dropped).keys() == {"navigation", "page furniture", "duplicate"}
    assert account.dropped_words("duplicate") == 24  # the print copy of the accordion text
