"""One settings object: defaults in code, overridden by CITEWISE_* env vars and CLI flags."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from dataclasses import dataclass, field, fields
from pathlib import Path

# Indexed words below this share of the text layer left after furniture and references warn
# (ingest.account).
MIN_INDEXED_SHARE = 0.80

DISCLAIMER = (
    "For healthcare professionals. citewise quotes the indexed guideline articles and does not "
    "replace clinical judgement: verify against the primary sources and current practice "
    "standards before applying anything to patient care."
)


# Settings that hold credentials: masked by `as_dict` (so by `citewise config`), left out of
# repr() and of the fingerprint stored with audited answers.
SECRET_FIELDS = ("milvus_token", "llm_api_key", "api_token")


@dataclass(frozen=True)
class Settings:
    """Every tunable of citewise; `citewise config` prints the values in force."""

    corpus_dir: Path = Path("corpus")
    index_dir: Path = Path(".citewise/index")
    # Chunking: MiniLM reads at most 256 word pieces; 120 words plus the title/section
    # prefix stays under that for clinical prose (a test checks with the real tokenizer).
    chunk_max_words: int = 120
    chunk_overlap_sentences: int = 1
    max_file_mb: float = 50.0
    # Ingest account: an article whose indexed words are below this share of its text layer
    # (after page furniture, reference lists and duplicates) is ingested with a warning naming the
    # largest dropped part. Real guidelines index 0.9+ (tests/ingest/test_real_html.py).
    min_indexed_share: float = MIN_INDEXED_SHARE
    # Retrieval: candidates taken from each retriever before reciprocal-rank fusion.
    retrieve_k: int = 20
    rrf_k: int = 60
    # Passages the candidate units come from, and supporting units after the bottom line at
    # most (which ones: qa/scorer.py's learned unit model and its selection, fitted by
    # `citewise eval --train-scorer`). Chosen on document-held-out folds over every shipped set
    # (`citewise eval --cv documents`, 358 cases: fact coverage 0.724 / 0.737 / 0.762 with 6
    # / 9 / 12 passages; 550 cases with 12 passages: 0.712 / 0.729 / 0.741 with 4 / 6 / 8
    # supporting units, citation precision 0.871 / 0.849 / 0.837, source hit 0.953 / 0.960 /
    # 0.962): 12 and 6, past which answers lengthen for less.
    passages_for_answer: int = 12
    max_statements: int = 6
    # A question naming its source ("per ACP") may take this many of those passages from the
    # named documents first, the rest by rank from every document (a preference, never a
    # filter), and a comparison may give each named guideline its own passages. On the same
    # document-held-out folds (550 cases) neither wins: fact coverage / source hit / abstention
    # F1 0.736 / 0.957 / 0.718 with neither (the named source a feature of the scorer only),
    # 0.698 / 0.912 / 0.629 with comparisons balanced, 0.688 / 0.905 / 0.619 with 6 named
    # passages first, 0.664 / 0.863 / 0.660 with the old filter.
    named_passages: int = 0
    balance_comparisons: bool = False
    # Reference items (the works the articles cite) are ranked apart from passages; this many
    # are listed after the passages in an answer's `retrieved`.
    reference_k: int = 5
    # A question is about a cited work when the best reference item holds this IDF-weighted
    # share of its terms (a year counts), and its cosine beats the best passage's by this
    # margin or it holds this share of terms the top passages lack (qa/cited_work.py).
    # Chosen so that none of the 82 ordinary questions of core.jsonl + seed-articles.jsonl
    # matches a work (closest: margin 0.052, novel 0.32 at coverage 0.43) while 9 questions
    # naming works of the corpus/seed lists do; held out: questions on two real PDFs
    # (Oliveira 2018: STarT Back 2011, paracetamol 2014) match the right work.
    reference_min_coverage: float = 0.5
    reference_min_margin: float = 0.06
    reference_min_novel: float = 0.4
    # A unit holding more than this share of a chosen unit's words (or of whose words a
    # chosen unit holds this share) repeats it, and is left out (a list repeats its items).
    duplicate_overlap: float = 0.8
    index_type: str = "auto"  # auto | flat | hnsw
    hnsw_threshold: int = 200_000  # auto: exact search below this many chunks, HNSW above
    # Where the vectors of new index versions live (index/backends): "faiss" (embedded file in
    # the index folder) or "milvus" (Milvus Lite file or cluster, docs/scale-out.md). The URI is
    # a ".db" path for Milvus Lite ("" = <index_dir>/milvus.db) or http://host:19530; the token
    # is never printed nor stored. Read from the same env vars by index.backends.BackendConfig.
    backend: str = "faiss"
    milvus_uri: str = ""
    milvus_token: str = field(default="", repr=False)
    # Optional generative composer ("" = extractive, no LLM): "openai" (any OpenAI-compatible
    # server, e.g. llama-cpp-python or vLLM; the URL ends in /v1) or "ollama" (the same client
    # against Ollama's OpenAI-compatible endpoint, default http://127.0.0.1:11434/v1).
    llm_provider: str = ""
    llm_model: str = ""
    llm_base_url: str = ""
    # Sent as the bearer token; local servers ignore it. Never printed, logged nor fingerprinted.
    llm_api_key: str = field(default="", repr=False)
    # Seconds to wait for the server (connect, and between streamed chunks). A 1.5B model on 2
    # CPU cores took 20-44 s per answer (../shared/llm-recordings); past this the answer falls
    # back to the extractive composer.
    llm_timeout: float = 120.0
    # A generated sentence is dropped unless its cited passage holds at least this share of
    # its own topic words (a majority; words the question states are given). On the six real
    # answers in ../shared/llm-recordings every correctly cited sentence holds >= 0.73; the
    # same sentences set against the five passages they do not cite: 46 of 50 fall below.
    llm_min_grounding: float = 0.5
    # Top passages the language model reads (of passages_for_answer): a 1.5B model on 2 CPU
    # cores reads ~50 prompt tokens/s, so each passage more costs it ~3 s.
    llm_passages: int = 6
    # Every answer is appended to this SQLite file (questions may hold patient data; the file
    # never leaves this machine). CITEWISE_AUDIT_LOG=false turns it off.
    audit_log: bool = True
    audit_path: Path = Path(".citewise/audit.sqlite3")
    disclaimer: str = DISCLAIMER
    # Encoder of the sentence vectors embedded at ingest for the composer (index/
    # sentence_vectors.py): "onnx" = a float32 ONNX copy of the model (cosine to torch > 0.9999,
    # ~1.8x faster than torch on sentences, batches of 4 sorted by length: measured on the real
    # guidelines), "torch", or "onnx-int8" (~5x faster, cosine to torch ~0.99: reorders
    # near-ties; on the core corpus's questions the same closest answer unit for 50 of 59 and
    # 92.5% of the closest five, tests/index/test_onnx_encoder.py). The export goes into
    # onnx_cache_dir at first use.
    sentence_encoder: str = "onnx"
    # Encoder of the chunk vectors (the index) at ingest: "onnx" = the same float32 ONNX copy
    # (cosine to torch >= 0.99999 on every chunk of the real guidelines; ~1.6x faster than
    # torch's calls of 64 on one-thread sessions side by side) or "torch".
    passage_encoder: str = "onnx"
    onnx_cache_dir: str = ".citewise/onnx"
    # Encoder of the question at answer time: "onnx" = the float32 ONNX export of the same
    # model (cosine >= 0.999 to torch, no torch import: cold `ask` in ~1 s instead of ~5 s),
    # exported into onnx_cache_dir by `citewise ingest` or `make onnx`; without the export, or
    # with "torch", the torch model.
    query_encoder: str = "onnx"

    # `citewise serve`: editors send this as `Authorization: Bearer <token>` to ingest over the
    # API ("" = ingest over the API is off). Never printed, logged nor fingerprinted.
    api_token: str = field(default="", repr=False)
    # Seconds between two checks of INDEX_DIR/CURRENT by each API worker: a version published
    # by an ingest is served within this (plus its load) without a restart.
    api_reload_s: float = 1.0

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Defaults, then CITEWISE_<FIELD> env vars, then explicit overrides (CLI flags)."""
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = os.environ.get(f"CITEWISE_{f.name.upper()}")
            if raw is not None:
                values[f.name] = _coerce(f.name, raw, f.default)
        values.update({k: v for k, v in overrides.items() if v is not None})
        for key in ("corpus_dir", "index_dir", "audit_path"):
            if key in values:
                values[key] = Path(str(values[key]))
        return cls(**values)  # type: ignore[arg-type]

    def replace(self, **changes: object) -> Settings:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]

    def as_dict(self) -> dict[str, object]:
        data = {f.name: _plain(getattr(self, f.name)) for f in fields(self)}
        for key in SECRET_FIELDS:
            if data[key]:
                data[key] = "***"
        return data

    def as_env(self) -> dict[str, str]:
        """The CITEWISE_* variables that give these settings to another process (a worker of
        `citewise serve`, an ingest job): every field, paths made absolute, secrets included."""
        env = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, Path) or f.name == "onnx_cache_dir":
                value = Path(value).resolve()
            env[f"CITEWISE_{f.name.upper()}"] = str(value)
        return env

    def fingerprint(self) -> str:
        """Short hash of the answer-shaping settings, recorded with each audited answer."""
        data = {k: v for k, v in self.as_dict().items()
                if k not in ("corpus_dir", "index_dir", "audit_path", "audit_log",
                             "backend", "milvus_uri", "api_reload_s", *SECRET_FIELDS)}
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:12]


def _plain(value: object) -> object:
    return str(value) if isinstance(value, Path) else value


def _coerce(name: str, raw: str, default: object) -> object:
    try:
        if isinstance(default, bool):
            if raw.lower() not in ("1", "0", "true", "false", "yes", "no", "on", "off"):
                raise ValueError(raw)
            return raw.lower() in ("1", "true", "yes", "on")
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, float):
            return float(raw)
    except ValueError as exc:
        kind = type(default).__name__
        raise ValueError(f"CITEWISE_{name.upper()}={raw!r} is not a valid {kind}") from exc
    return raw
