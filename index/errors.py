"""Errors raised by the index layer."""

from __future__ import annotations


class IndexMissingError(Exception):
    """No index at the given folder."""


class IndexMismatchError(Exception):
    """The saved index was built with another model or chunker than this install uses."""


class IndexCorruptError(Exception):
    """The saved index folder is incomplete or unreadable."""
