"""Tokens for lexical scoring: lower-case words, English stop words out, Snowball stems."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer
from wordfreq import zipf_frequency

from qa.synonyms import SYNONYMS

_WORD_RE = re.compile(r"(?u)\b\w[\w\-]*\w\b|\b\w\b")
# Words a clinician's question carries that say nothing about the topic.
QUESTION_WORDS = frozenset(
    """a an and are as at be been being but by can could do does did for from has have how i if
    in into is it its may might me my of on or our should shall so than that the their them then
    there these they this those to was we were what when where which while who whom why will
    with would you your patient patients person people best recommended recommend recommendation
    approach indicated indication use used using need needed needs get getting consider
    considered order ordered appropriate appropriateness first initial next please tell explain
    about any there s t doesn isn aren don won shouldn wasn weren hasn haven didn couldn wouldn
    ll ve re d m prescribe prescribed prescribing give given giving start started try
    tried""".split()
)
_stemmer = Stemmer.Stemmer("english")


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    return _stemmer.stemWord(word)


def fold_accents(text: str) -> str:
    """Letters without their diacritics ("Lasègue" -> "Lasegue", "naïve" -> "naive"): a
    clinician types the name either way."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD_RE.findall(fold_accents(text))]


def content_terms(text: str) -> list[str]:
    """Stemmed topic words of a question, in order, without repeats."""
    out = [stem(w) for w in words(text) if w not in QUESTION_WORDS and not w.isdigit()]
    return list(dict.fromkeys(t for t in out if len(t) > 1))


def stems(text: str) -> set[str]:
    return {stem(w) for w in words(text)}


@lru_cache(maxsize=16_384)
def text_stems(text: str) -> frozenset[str]:
    """`stems` of a text the index holds (a chunk, a heading, a title), kept: the same
    passages come back question after question."""
    return frozenset(stems(text))


@lru_cache(maxsize=50_000)
def variants(word: str) -> frozenset[str]:
    """Stems that count as the word: its own and those of its clinical synonyms."""
    return frozenset({stem(word), *(stem(w) for w in SYNONYMS.get(word, ()))})


@lru_cache(maxsize=50_000)
def specificity(word: str) -> float:
    """1.0 for specialised words, down to 0.2 for everyday English ("old", "now", "day").

    From the word's Zipf frequency in general English (wordfreq): <= 4.5 counts fully,
    >= 5.3 counts a fifth, linear between.
    """
    return min(1.0, max(0.2, 1.0 - (zipf_frequency(word, "en") - 4.5) / 1.0))


@lru_cache(maxsize=16_384)
def written_stems(text: str) -> frozenset[str]:
    """`stems` of a text plus those of what its abbreviations and lay words stand for
    (SYNONYMS, read from the text's side): "90% of LBP episodes" holds "low back pain"."""
    return frozenset(s for w in words(text) for s in variants(w))


def question_terms(text: str) -> list[tuple[str, str, frozenset[str]]]:
    """(stem, word, variant stems) for each topic word of a question, first occurrence only."""
    out: dict[str, tuple[str, str, frozenset[str]]] = {}
    for w in words(text):
        if w in QUESTION_WORDS or w.isdigit():
            continue
        s = stem(w)
        if len(s) > 1 and s not in out:
            out[s] = (s, w, variants(w))
    return list(out.values())
