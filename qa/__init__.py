"""Question answering: hybrid retrieval, extractive composition, abstention."""
