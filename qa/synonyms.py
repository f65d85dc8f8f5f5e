"""Clinical abbreviations and lay words clinicians type, mapped to the words articles use.

Used in two places: BM25 query expansion and the evidence score's term coverage (a question
term counts as covered when it or one of its expansions occurs in the passages). Keep entries
to true equivalents: an over-broad entry makes out-of-scope questions look answerable.
"""

from __future__ import annotations

SYNONYMS: dict[str, tuple[str, ...]] = {
    "lbp": ("low", "back", "pain"),
    "ces": ("cauda", "equina"),
    "pt": ("physical", "therapy"),
    "physio": ("physical", "therapy"),
    "physiotherapy": ("physical", "therapy"),
    "meds": ("medication", "drug"),
    "medicine": ("medication", "drug"),
    "mets": ("metastatic", "metastasis"),
    "metastases": ("metastatic", "metastasis"),
    "x-ray": ("radiograph", "radiography"),
    "xray": ("radiograph", "radiography"),
    "x-rays": ("radiograph", "radiography"),
    "films": ("radiograph", "radiography"),
    "film": ("radiograph", "radiography"),
    "prednisone": ("steroid", "corticosteroid"),
    "prednisolone": ("steroid", "corticosteroid"),
    "dexamethasone": ("steroid", "corticosteroid"),
    "gadolinium": ("contrast",),
    "discectomy": ("surgery", "surgical"),
    "laminectomy": ("surgery", "decompression"),
    "workup": ("investigation", "evaluation", "imaging"),
    "work-up": ("investigation", "evaluation", "imaging"),
    "l4-5": ("l4-l5",),
    "l5-s1": ("l5-s1",),
    "nsaid": ("nonsteroidal", "anti-inflammatory"),
    "nsaids": ("nonsteroidal", "anti-inflammatory"),
    "scan": ("imaging",),
    "pet": ("fdg-pet",),
    "ct-myelogram": ("myelography",),
    "myelogram": ("myelography",),
    "incontinence": ("incontinence", "bladder", "bowel"),
    "elderly": ("older", "age"),
    "sciatica": ("radiculopathy", "sciatica"),
}
