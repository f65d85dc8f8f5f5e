"""Offline evaluation of citewise answers against eval sets of expected facts and sources.

Every metric is computed from the eval set and the system's own `ask --json` records: no LLM
judge, no network, the same numbers on every run over the same index.
"""
