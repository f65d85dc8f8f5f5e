"""The HTML report's side-by-side view: each case's answer now next to the previous run's."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

ORDER = {"worse": 0, "better": 1, "new": 2, "gone": 3, "same": 4}


def _answer_cell(result: Mapping[str, Any] | None) -> str:
    if result is None:
        return "<td class=muted>(not in this run)</td>"
    s = result.get("scores", {})
    verdict = "<span class=pass>pass</span>" if s.get("passed") else "<span class=fail>fail</span>"
    if s.get("abstained"):
        text = f"<i>abstained: {escape(str(result.get('abstain_reason') or ''))}</i>"
    else:
        text = escape(str(result.get("answer") or "")).replace("\n", "<br>")
    cited = ", ".join(escape(a) for a in s.get("cited_articles", [])) or "–"
    facts = s.get("facts_covered") or []
    covered = f" · facts {sum(facts)}/{len(facts)}" if facts else ""
    return (f"<td>{verdict}{covered}<div class=answer>{text}</div>"
            f"<span class=muted>cited: {cited}</span></td>")


def side_by_side_html(run: Mapping[str, Any], baseline: Mapping[str, Any],
                      changes: list[dict[str, Any]]) -> str:
    """A table with one row per case: the previous answer beside this run's answer.

    Cases whose grade changed come first (worse, then better, new, gone); a case whose grade
    stayed the same but whose wording changed is marked "text changed" so QA staff can read it.
    """
    before = {r["id"]: r for r in baseline.get("results", [])}
    after = {r["id"]: r for r in run.get("results", [])}
    rows = []
    for change in sorted(changes, key=lambda c: ORDER.get(c["status"], 9)):
        case_id, status = change["id"], change["status"]
        old, new = before.get(case_id), after.get(case_id)
        reworded = (status == "same" and old is not None and new is not None
                    and old.get("answer") != new.get("answer"))
        label = "text changed" if reworded else status
        cls = status if status != "same" else ("reworded" if reworded else "")
        question = escape(str((new or old or {}).get("question", "")))
        rows.append(f"<tr class='{cls}'><td><b>{escape(case_id)}</b><br>{escape(label)}<br>"
                    f"<span class=muted>{question}</span></td>"
                    f"{_answer_cell(old)}{_answer_cell(new)}</tr>")
    moved = sum(1 for c in changes if c["status"] != "same")
    reworded_n = sum(1 for r in rows if "text changed" in r)
    return ("<h2>Answers side by side with the previous run</h2>"
            f"<p>{moved} cases changed grade, {reworded_n} changed wording only.</p>"
            "<table class=sbs><tr><th style='width:18%'>case</th><th>previous run</th>"
            f"<th>this run</th></tr>{''.join(rows)}</table>")
