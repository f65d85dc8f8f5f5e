"""The ground floor: settings every layer reads (ingest, index, qa and their consumers)."""
