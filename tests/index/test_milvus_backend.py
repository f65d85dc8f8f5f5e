"""The Milvus backend (real Milvus Lite engine) behaves like the FAISS one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.backends import BackendConfig
from index.backends.milvus_backend import collection_name, ensure_pkg_resources, milvus_client
from index.errors import IndexMismatchError
from index.store import current_version, load_index
from index.sync import sync_corpus
from tests.index.articles import ARTICLE

pytest.importorskip("pymilvus")

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def milvus(tmp_path: Path) -> BackendConfig:
    return BackendConfig(kind="milvus", milvus_uri=str(tmp_path / "m.db"))


def _collections(config: BackendConfig) -> set[str]:
    return set(milvus_client(config.milvus_uri).list_collections())


def test_incremental_unchanged_changed_deleted(small_corpus: Path, tmp_path: Path, embedder,
                                               milvus: BackendConfig) -> None:
    index_dir = tmp_path / "index"
    first = sync_corpus(small_corpus, index_dir, embedder=embedder, backend=milvus)
    assert sorted(first.added) == ["000_823a70ce5266c8a4", "001_53ae069ba093b5c3", "gout"]
    data = load_index(index_dir)
    assert data.backend.kind == "milvus" and data.manifest.versions["backend"] == "milvus"
    assert data.manifest.n_chunks == len(data.chunks) == data.backend.ntotal
    assert not (data.path / "faiss.index").exists(), "Milvus versions hold no FAISS file"

    again = sync_corpus(small_corpus, index_dir, embedder=embedder, backend=milvus)
    assert not again.changed and again.n_embedded == 0 and len(again.unchanged) == 3
    assert again.version_id == first.version_id, "an unchanged corpus must not write a version"

    (small_corpus / "gout.md").write_text(ARTICLE.replace("urate deposits", "monosodium urate "
                                                          "crystal deposits"), encoding="utf-8")
    (small_corpus / "001_53ae069ba093b5c3.txt").unlink()
    changed = sync_corpus(small_corpus, index_dir, embedder=embedder, backend=milvus)
    assert changed.updated == ["gout"] and changed.removed == ["001_53ae069ba093b5c3"]
    # its one passage and its one reference item
    assert changed.n_embedded == 2, "only the changed article is re-embedded"
    data = load_index(index_dir)
    assert {c.article_id for c in data.chunks} == {"000_823a70ce5266c8a4", "gout"}
    assert data.backend.ntotal == len(data.chunks)
    gout = [c for c in data.chunks if c.article_id == "gout"]
    assert "monosodium urate crystal" in gout[0].text
    # The row Milvus returns for the gout chunk's own vector is that chunk's row.
    row = data.chunks.index(gout[0])
    fresh = embedder.encode([gout[0].embed_text])[0]
    best_row, best_score = data.search(fresh, 1)[0]
    assert best_row == row and best_score > 0.999, (best_row, row, best_score)
    # Filter by article: only gout's rows come back.
    hits = data.search(fresh, 10, article_ids=["000_823a70ce5266c8a4"])
    assert hits and all(data.chunks[r].article_id == "000_823a70ce5266c8a4" for r, _ in hits)
    # The live and the previous version each keep their collection.
    assert _collections(milvus) == {collection_name(first.version_id),
                                    collection_name(changed.version_id)}


def test_pruned_versions_drop_their_collections(small_corpus: Path, tmp_path: Path, embedder,
                                                milvus: BackendConfig) -> None:
    index_dir = tmp_path / "index"
    versions = [sync_corpus(small_corpus, index_dir, embedder=embedder,
                            backend=milvus).version_id]
    for name in ("gout.md", "001_53ae069ba093b5c3.txt"):
        (small_corpus / name).unlink()
        versions.append(sync_corpus(small_corpus, index_dir, embedder=embedder,
                                    backend=milvus).version_id)
    assert current_version(index_dir) == versions[-1]
    assert _collections(milvus) == {collection_name(v) for v in versions[1:]}, \
        "only the live and the previous version keep a collection"


def test_filtered_search_on_faiss_matches_milvus(corpus_index: Path, milvus_corpus_index: Path,
                                                 embedder) -> None:
    faiss_data, milvus_data = load_index(corpus_index), load_index(milvus_corpus_index)
    query = embedder.encode_query("when is contrast added to a lumbar MRI?")
    wanted = ["mri-contrast-when-to-add"]
    f_hits = faiss_data.search(query, 5, article_ids=wanted)
    m_hits = milvus_data.search(query, 5, article_ids=wanted)
    assert f_hits and all(faiss_data.chunks[r].article_id in wanted for r, _ in f_hits)
    assert [faiss_data.chunks[r].chunk_id for r, _ in f_hits] == \
        [milvus_data.chunks[r].chunk_id for r, _ in m_hits]
    assert milvus_data.search(query, 5, article_ids=[]) == []


def test_index_from_another_model_is_refused(small_corpus: Path, tmp_path: Path, embedder,
                                             milvus: BackendConfig) -> None:
    from config.settings import Settings
    from qa.engine import QAEngine

    index_dir = tmp_path / "index"
    sync_corpus(small_corpus, index_dir, embedder=embedder, backend=milvus)
    manifest_path = index_dir / current_version(index_dir) / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["model"]["name"] = "bge-small-en-v1.5"
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(IndexMismatchError, match="re-ingest"):
        QAEngine.load(Settings.from_env(index_dir=index_dir), embedder=embedder)
    report = sync_corpus(small_corpus, index_dir, embedder=embedder, backend=milvus)
    assert report.rebuilt_reason and "bge-small" in report.rebuilt_reason
    QAEngine.load(Settings.from_env(index_dir=index_dir), embedder=embedder)
    with pytest.raises(IndexMismatchError, match="chunker"):
        QAEngine.load(Settings.from_env(index_dir=index_dir, chunk_max_words=60),
                      embedder=embedder)


def test_env_selects_milvus_and_answers_agree_with_faiss(corpus_engine, tmp_path: Path,
                                                          embedder, monkeypatch) -> None:
    """CITEWISE_BACKEND=milvus ingest of corpus/ then ask: the same top citation as FAISS on
    at least 95% of eval/sets/core.jsonl, and the same abstentions."""
    from config.settings import Settings
    from qa.engine import QAEngine

    monkeypatch.setenv("CITEWISE_BACKEND", "milvus")
    monkeypatch.setenv("CITEWISE_MILVUS_URI", str(tmp_path / "m.db"))
    index_dir = tmp_path / "index"
    sync_corpus(ROOT / "corpus", index_dir, embedder=embedder)
    engine = QAEngine.load(Settings.from_env(index_dir=index_dir), embedder=embedder)
    assert engine.data.backend.kind == "milvus"
    from eval.cases import load_cases  # the set has comment lines: read it as the harness does

    cases = [c.as_dict() for c in load_cases(ROOT / "eval" / "sets" / "core.jsonl")]
    agree, abstain_mismatch = 0, []
    for case in cases:
        a, b = corpus_engine.ask(case["question"]), engine.ask(case["question"])
        if a.abstained != b.abstained:
            abstain_mismatch.append(case["id"])
            continue
        top_a = a.citations[0].chunk_id if a.citations else None
        top_b = b.citations[0].chunk_id if b.citations else None
        same_set = {c.article_id for c in a.citations} == {c.article_id for c in b.citations}
        agree += top_a == top_b or same_set
    assert not abstain_mismatch, f"abstentions differ between backends: {abstain_mismatch}"
    share = agree / len(cases)
    print(f"FAISS-vs-Milvus agreement on core.jsonl: {agree}/{len(cases)} = {share:.3f}")
    assert share >= 0.95, f"only {agree}/{len(cases)} top citations agree"


def test_a_slow_starting_lite_server_is_waited_for(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """On a busy machine the Milvus Lite server may create its socket after pymilvus's first
    connect (CI failed so once). The real server, started 2 s late, must still connect."""
    ensure_pkg_resources()
    import milvus_lite.server

    real_bin = Path(milvus_lite.server.BIN_PATH)
    slow_bin = tmp_path / "bin"
    slow_bin.mkdir()
    launcher = slow_bin / "milvus"
    launcher.write_text(f'#!/bin/sh\nsleep 2\nLD_LIBRARY_PATH="{real_bin}:$LD_LIBRARY_PATH" '
                        f'exec "{real_bin}/milvus" "$@"\n')
    launcher.chmod(0o755)
    monkeypatch.setenv("BIN_PATH", str(slow_bin))
    client = milvus_client(str(tmp_path / "slow.db"))
    assert client.list_collections() == []
