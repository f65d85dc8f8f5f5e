"""The vector index: embeddings in FAISS, the chunk table, the manifest."""
