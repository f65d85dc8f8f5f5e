"""Streamlit front end helpers: cached resources, HTML rendering, corpus and eval file handling.

Nothing here retrieves or ranks: the app calls the same functions as the CLI (ingest, index,
qa, eval) and only presents what they return.
"""
