"""Near-miss probe term sets for eval/sets/ngc-heldout.jsonl, by case id.

A page of ../shared/ngc-library containing every term of one set (lower case, tags stripped to a
space, entities decoded, whitespace collapsed) may answer the near miss and has to be read; tests/eval/
test_ngc_sets.py fails on such a hit. The sets were narrowed after reading the pages that name the topic
in passing (hidradenitis in the pilonidal guideline, haemochromatosis and Wilson disease in the varices
differential, giant cell arteritis in the headache guideline, Graves disease and methimazole in the
thyroid screening statement, age 45 in the 2016 colorectal modelling, MART among the NICE asthma
interventions, the 4 g magnesium bolus for fetal neuroprotection in preterm labour). Off-topic requests
have no terms: no page can answer them.
"""

from __future__ import annotations

HELDOUT_PROBES: dict[str, list[list[str]]] = {
    "h114": [["tirzepatide"], ["mounjaro"], ["gip/glp-1"], ["dual gip"]],  # newer
    "h115": [["dupilumab"], ["interleukin-4"], ["il-4 receptor"], ["il-13"]],  # newer
    "h116": [["finerenone"], ["kerendia"], ["nonsteroidal mineralocorticoid"]],  # newer
    "h117": [  # newer
        ["nirmatrelvir"],
        ["paxlovid"],
        ["covid-19"],
        ["sars-cov-2"],
        ["coronavirus disease 2019"],
    ],
    "h118": [  # newer
        ["aged 45 to 75"],
        ["adults aged 45"],
        ["45 to 49 years", "colorectal"],
        ["colorectal", "aged 45 to 49"],
    ],
    "h119": [  # newer
        ["biennial screening mammography for women aged 40 to 74"],
        ["start screening at age 40", "biennial"],
    ],
    "h120": [  # newer
        ["primary hpv"],
        ["hpv test every 5 years"],
        ["primary human papillomavirus"],
    ],
    "h121": [  # newer
        ["rsv vaccine"],
        ["respiratory syncytial virus vaccine"],
        ["arexvy"],
        ["abrysvo"],
        ["rsvpref3"],
    ],
    "h122": [  # developer
        ["as-needed", "formoterol"],
        ["as needed", "formoterol"],
        ["budesonide-formoterol"],
        ["ics-formoterol"],
        ["global initiative for asthma", "step 1"],
    ],
    "h123": [  # developer
        ["1.4 mmol"],
        ["55 mg/dl"],
        ["esc/eas"],
        ["european atherosclerosis society", "very high risk"],
    ],
    "h124": [  # developer
        ["american headache society"],
        ["erenumab"],
        ["galcanezumab"],
        ["fremanezumab"],
        ["eptinezumab"],
        ["cgrp"],
        ["calcitonin gene-related peptide"],
    ],
    "h125": [  # neighbour
        ["narcolepsy", "modafinil"],
        ["narcolepsy", "sodium oxybate"],
        ["narcolepsy", "methylphenidate"],
        ["narcolepsy", "pitolisant"],
        ["cataplexy", "oxybate"],
    ],
    "h126": [  # neighbour
        ["tamsulosin"],
        ["finasteride"],
        ["dutasteride"],
        ["5-alpha"],
        ["5α-reductase"],
        ["benign prostatic hyperplasia", "alpha-blocker"],
        ["benign prostatic hyperplasia", "alpha blocker"],
        ["benign prostatic hyperplasia", "α-blocker"],
    ],
    "h127": [  # neighbour
        ["isotretinoin"],
        ["acne vulgaris"],
        ["benzoyl peroxide"],
        ["acne", "topical retinoid"],
    ],
    "h128": [  # neighbour
        ["anal fissure"],
        ["fissure-in-ano"],
        ["lateral internal sphincterotomy"],
        ["glyceryl trinitrate", "fissure"],
    ],
    "h129": [  # neighbour
        ["community-acquired pneumonia", "amoxicillin"],
        ["community-acquired pneumonia", "doxycycline"],
        ["community-acquired pneumonia", "macrolide"],
        ["pneumonia", "amoxicillin"],
        ["pneumonia", "azithromycin"],
    ],
    "h130": [  # neighbour
        ["urinary tract infection", "cephalexin"],
        ["urinary tract infection", "cefixime"],
        ["urinary tract infection", "amoxicillin-clavulanate"],
        ["urinary tract infection", "days of antibiotic"],
    ],
    "h131": [  # neighbour
        ["hyperkalaemia", "calcium gluconate"],
        ["hyperkalemia", "calcium gluconate"],
        ["hyperkalaemia", "insulin and glucose"],
        ["hyperkalemia", "insulin and glucose"],
        ["hyperkalemia", "glucose and insulin"],
        ["patiromer"],
        ["sodium zirconium"],
    ],
    "h132": [  # passing
        ["hidradenitis", "adalimumab"],
        ["hidradenitis", "clindamycin"],
        ["hidradenitis", "rifampicin"],
        ["hidradenitis", "antibiotic therapy"],
    ],
    "h133": [  # passing
        ["hemochromatosis", "phlebotomy"],
        ["haemochromatosis", "venesection"],
        ["hemochromatosis", "ferritin"],
        ["haemochromatosis", "ferritin"],
    ],
    "h134": [["wilson", "penicillamine"], ["trientine"], ["wilson", "zinc"]],  # passing
    "h135": [  # passing
        ["giant cell arteritis", "prednisone"],
        ["giant cell arteritis", "tocilizumab"],
        ["temporal arteritis", "prednisone"],
        ["giant cell arteritis", "glucocorticoid"],
        ["giant cell arteritis", "temporal artery biopsy"],
    ],
    "h136": [  # passing
        ["methimazole", "mg/d"],
        ["methimazole", "mg daily"],
        ["propylthiouracil"],
        ["graves", "131i"],
        ["graves", "mci"],
    ],
    "h137": [  # dose
        ["adrenaline", "0.01 mg"],
        ["epinephrine", "0.01 mg"],
        ["anaphylaxis", "epinephrine", "0.3 mg"],
        ["adrenaline", "0.3 mg"],
        ["adrenaline", "0.5 mg"],
        ["epinephrine", "0.5 mg"],
        ["auto-injector", "0.15 mg"],
    ],
    "h138": [  # dose
        ["eclampsia", "magnesium sulfate", "4 g"],
        ["eclampsia", "magnesium sulphate", "4 g"],
        ["eclampsia", "loading dose"],
        ["eclampsia", "g/hour"],
        ["eclampsia", "g per hour"],
        ["eclampsia", "1 g/h"],
    ],
    "h139": [  # dose
        ["vancomycin", "trough"],
        ["vancomycin", "loading dose"],
        ["vancomycin", "25 mg/kg"],
        ["vancomycin", "auc/mic"],
    ],
    "h140": [  # dose
        ["asthma", "prednisolone", "mg/kg"],
        ["acute asthma", "oral corticosteroid"],
        ["asthma exacerbation", "prednisolone"],
        ["asthma", "dexamethasone"],
    ],
    "h141": [  # population
        ["insomnia", "melatonin", "children"],
        ["pediatric insomnia"],
        ["insomnia in children"],
        ["insomnia", "adolescents", "hypnotic"],
    ],
    "h142": [  # population
        ["adenotonsillectomy"],
        ["tonsillectomy", "sleep apnea"],
        ["pediatric obstructive sleep apnea"],
        ["obstructive sleep apnea in children"],
        ["children with obstructive sleep apnea"],
    ],
    "h143": [["restless legs", "children"], ["restless legs", "pediatric"]],  # population
    "h144": [],  # offtopic
    "h145": [],  # offtopic
    "h146": [],  # offtopic
    "h147": [],  # offtopic
}
