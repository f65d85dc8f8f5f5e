"""Web page chrome: the parts of a page that are the site's, not the article's.

Recognised by generic structure only: HTML5 landmark elements (<nav>, <aside>, <header>,
<footer>, <form>), ARIA landmark roles, and class/id names built on the words sites use for
furniture (sidebar, menu, breadcrumb, login, footer...). No one site's wording.
"""

from __future__ import annotations

import re

from bs4 import Tag

from ingest.account import NAVIGATION, PAGE_FURNITURE

# Elements that carry no readable text at all: removed before any word is counted.
NON_TEXT_TAGS = ["script", "style", "noscript", "template", "svg", "iframe", "object", "head"]
_CHROME_TAGS = {"nav": NAVIGATION, "aside": NAVIGATION, "form": NAVIGATION,
                "select": NAVIGATION, "button": NAVIGATION, "footer": PAGE_FURNITURE}
_CHROME_ROLES = {"navigation": NAVIGATION, "search": NAVIGATION, "complementary": NAVIGATION,
                 "menu": NAVIGATION, "menubar": NAVIGATION, "banner": PAGE_FURNITURE,
                 "contentinfo": PAGE_FURNITURE}
# A class or id is chrome when its first or last word (split at - and _) is one of these.
_CHROME_NAME_WORDS = {
    **dict.fromkeys(("sidebar", "aside", "nav", "navbar", "navigation", "menu", "menubar",
                     "breadcrumb", "breadcrumbs", "toolbar", "share", "sharing", "social",
                     "subscribe", "dropdown", "login", "signin", "logon", "pagination"),
                    NAVIGATION),
    **dict.fromkeys(("footer", "masthead", "cookie", "cookies", "skip"), PAGE_FURNITURE),
}
# Layout wrappers hold the article too ("aside-container"): never chrome by name.
_WRAPPER_WORDS = {"container", "wrapper", "wrap", "layout", "outer", "inner", "grid"}


def _name_reason(tag: Tag) -> str | None:
    names = [str(tag.get("id") or "")] + [str(c) for c in (tag.get("class") or [])]
    for name in names:
        parts = [p for p in re.split(r"[-_\s]+", name.lower()) if p]
        if not parts or _WRAPPER_WORDS.intersection(parts):
            continue
        for part in (parts[0], parts[-1]):
            if part in _CHROME_NAME_WORDS:
                return _CHROME_NAME_WORDS[part]
    return None


def chrome_reason(tag: Tag) -> str | None:
    """'navigation' or 'page furniture' when `tag` is site chrome, else None."""
    if tag.name in _CHROME_TAGS:
        return _CHROME_TAGS[tag.name]
    if tag.name == "header" and tag.find_parent(["article", "main"]) is None:
        return PAGE_FURNITURE  # a page header; an <article>'s own header holds its title
    role = str(tag.get("role") or "").lower()
    if role in _CHROME_ROLES:
        return _CHROME_ROLES[role]
    return _name_reason(tag)
