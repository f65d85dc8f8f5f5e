"""`citewise serve`: the HTTP API (FastAPI on uvicorn), one more consumer of qa/ beside the CLI,
the app and eval. Every worker serves the live index version and picks up a new one without a
restart (api.live); ingest runs as a job in its own process (api.jobs)."""
