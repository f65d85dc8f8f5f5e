"""The question's encoder: the ONNX export of the index's model, so answering imports no torch.

Importing torch and sentence-transformers took ~3.5-6 s of every cold `citewise ask`; the ONNX
graph gives the same vectors (cosine >= 0.999 to torch on the real guidelines, checked by
tests/index/test_query_encoder.py) at ~2 ms a query. The graph is exported from the bundled
weights by `citewise ingest` or `make onnx`, never downloaded; without it, questions go through
the torch model as before.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

from index.embedder import Embedder, ModelInfo, load_embedder, model_dir, model_info
from index.onnx_encoder import OnnxEncoder, export_onnx, onnx_model_path

QUERY_ENCODERS = ("onnx", "torch")


class TextEncoder(Protocol):
    """What answering needs of an encoder (Embedder and OnnxQueryEncoder both are one)."""

    info: ModelInfo

    def encode_query(self, text: str) -> np.ndarray: ...

    def encode_sentences(self, texts: list[str]) -> np.ndarray: ...


def query_onnx_path(cache_dir: str | Path) -> Path:
    info = model_info()
    return onnx_model_path(Path(cache_dir), info.name, info.package_version, quantized=False)


def ensure_onnx_export(cache_dir: str | Path) -> Path:
    """Export the float32 graph into `cache_dir` unless it is there (needs torch; seconds)."""
    target = query_onnx_path(cache_dir)
    if not target.is_file():
        export_onnx(model_dir(), target, model_info().max_tokens, quantized=False)
    return target


class OnnxQueryEncoder:
    """Questions, and any sentence the index does not hold, through the float32 ONNX graph."""

    sentence_encoder = "onnx"

    def __init__(self, onnx_path: Path) -> None:
        self.info = model_info()
        self.onnx = OnnxEncoder(model_dir(), onnx_path, self.info.max_tokens)

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.info.dimension), dtype=np.float32)
        return self.onnx.encode(texts, batch_size=batch_size)

    def encode_query(self, text: str) -> np.ndarray:
        return self.onnx.encode([text], batch_size=1)[0]

    def encode_sentences(self, texts: list[str]) -> np.ndarray:
        return self.encode(texts, batch_size=4)

    def count_tokens(self, text: str) -> int:
        return len(self.onnx.tokenizer.encode(text).ids)


def load_query_encoder(query_encoder: str | None = None,
                       onnx_cache_dir: str | None = None) -> TextEncoder:
    """The encoder `QAEngine` asks with: ONNX when chosen and exported, else the torch model.

    Defaults come from the settings in force (CITEWISE_QUERY_ENCODER, CITEWISE_ONNX_CACHE_DIR).
    """
    if query_encoder is None or onnx_cache_dir is None:
        from config.settings import Settings

        settings = Settings.from_env()
        query_encoder = query_encoder or settings.query_encoder
        onnx_cache_dir = onnx_cache_dir or settings.onnx_cache_dir
    if query_encoder not in QUERY_ENCODERS:
        raise ValueError(f"query_encoder must be one of {QUERY_ENCODERS}, not {query_encoder!r}")
    if query_encoder == "onnx":
        path = query_onnx_path(onnx_cache_dir)
        if path.is_file():
            return _cached_onnx(str(path.resolve()))
    embedder: Embedder = load_embedder()
    return embedder


@lru_cache(maxsize=4)
def _cached_onnx(path: str) -> OnnxQueryEncoder:
    return OnnxQueryEncoder(Path(path))
