"""citewise: cited answers from clinical guideline articles, offline."""

__version__ = "0.1.0"
