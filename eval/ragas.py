"""Export an eval run as RAGAS columns: question, answer, contexts, ground_truth."""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

COLUMNS = ("question", "answer", "contexts", "ground_truth")


def ragas_rows(run: Mapping[str, Any], chunk_texts: Mapping[str, str] | None = None,
               n_contexts: int = 6) -> list[dict[str, Any]]:
    """One row per case. `contexts` are the texts of the top retrieved chunks when
    `chunk_texts` (chunk_id -> text) is given, else the cited passages."""
    rows = []
    for r in run.get("results", []):
        if chunk_texts:
            ids = [p["chunk_id"] for p in r.get("retrieved", [])[:n_contexts]]
            contexts = [chunk_texts[i] for i in ids if i in chunk_texts]
        else:
            contexts = [c["text"] for c in r.get("citations", [])]
        truth = "; ".join(f[0] for f in r.get("expected_facts", []) if f)
        rows.append({"question": r.get("question", ""), "answer": r.get("answer", ""),
                     "contexts": contexts, "ground_truth": truth})
    return rows


def write_ragas(run: Mapping[str, Any], path: Path | str,
                chunk_texts: Mapping[str, str] | None = None, n_contexts: int = 6) -> int:
    """Write JSONL (`.jsonl`/`.json`) or CSV (`.csv`, contexts as a JSON list); rows written."""
    path = Path(path)
    rows = ragas_rows(run, chunk_texts, n_contexts)
    suffix = path.suffix.lower()
    if suffix not in (".jsonl", ".json", ".csv"):
        raise ValueError(f"{path}: RAGAS export needs a .jsonl or .csv file name")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        if suffix == ".csv":
            writer = csv.DictWriter(fh, fieldnames=COLUMNS)
            writer.writeheader()
            for row in rows:
                writer.writerow(row | {"contexts": json.dumps(row["contexts"],
                                                              ensure_ascii=False)})
        else:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return len(rows)
