"""Clinical abbreviations and lay words clinicians type, mapped to the words articles use.

Used in two places: BM25 query expansion and the evidence score's term coverage (a question
term counts as covered when it or one of its expansions occurs in the passages). Keep entries
to true equivalents: an over-broad entry makes out-of-scope questions look answerable.
"""

from __future__ import annotations

SYNONYMS: dict[str, tuple[str, ...]] = {
    "lbp": ("low", "back", "pain"),
    "ces": ("cauda", "equina"),
    "pt": ("physical", "therapy", "patient"),
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

# The shorthand of clinical notes (standard usage across specialties, as clinicians type it
# at the point of care): each maps to the words a guideline writes out. A word here is never
# "a word no article writes" when an article writes what it stands for.
CLINICAL_SHORTHAND: dict[str, tuple[str, ...]] = {
    "sx": ("symptom", "symptoms"), "tx": ("treatment", "therapy"), "hx": ("history",),
    "dx": ("diagnosis",), "ddx": ("differential", "diagnosis"), "rx": ("prescription", "treatment"),
    "fx": ("fracture",), "bx": ("biopsy",), "abx": ("antibiotic", "antibiotics"),
    "pts": ("patient", "patients"), "yo": ("year", "old"), "wk": ("week",), "wks": ("week",),
    "mo": ("month",), "mos": ("month",), "yr": ("year",), "yrs": ("year",), "hrs": ("hour",),
    "htn": ("hypertension",), "dm": ("diabetes",), "dm2": ("diabetes",), "t2dm": ("diabetes",),
    "t1dm": ("diabetes",), "cad": ("coronary", "artery", "disease"), "chf": ("heart", "failure"),
    "hf": ("heart", "failure"), "ckd": ("chronic", "kidney", "disease"),
    "copd": ("chronic", "obstructive", "pulmonary"), "mi": ("myocardial", "infarction"),
    "uti": ("urinary", "tract", "infection"), "uri": ("upper", "respiratory", "infection"),
    "dvt": ("deep", "vein", "thrombosis"), "vte": ("venous", "thromboembolism"),
    "afib": ("atrial", "fibrillation"), "sob": ("dyspnea", "breath"),
    "bp": ("blood", "pressure"), "sbp": ("systolic", "blood", "pressure"),
    "dbp": ("diastolic", "blood", "pressure"), "ecg": ("electrocardiogram", "ekg"),
    "ekg": ("electrocardiogram", "ecg"), "cxr": ("chest", "radiograph", "x-ray"),
    "iv": ("intravenous",), "po": ("oral",), "im": ("intramuscular",), "sq": ("subcutaneous",),
    "subq": ("subcutaneous",), "prn": ("needed",), "benzo": ("benzodiazepine",),
    "benzos": ("benzodiazepine",), "ssri": ("selective", "serotonin", "reuptake"),
    "ssris": ("selective", "serotonin", "reuptake"), "ppi": ("proton", "pump", "inhibitor"),
    "ppis": ("proton", "pump", "inhibitor"), "lmwh": ("low-molecular-weight", "heparin"),
    "vka": ("vitamin", "antagonist", "warfarin"), "doac": ("oral", "anticoagulant"),
    "doacs": ("oral", "anticoagulant"), "icu": ("intensive", "care"),
    "abd": ("abdominal", "abdomen"), "peds": ("pediatric", "children"),
    "preop": ("preoperative",), "postop": ("postoperative",), "labs": ("laboratory",),
    "ob": ("obstetric",), "pmhx": ("history",),
}
# A specialty's own abbreviations ("straight leg raise (SLR)") are not listed here: they are
# for the documents that define them to supply (ingest/abbreviations.py, not yet wired into
# ingest).
SYNONYMS |= {k: tuple(dict.fromkeys(SYNONYMS.get(k, ()) + v))
             for k, v in CLINICAL_SHORTHAND.items()}
