"""Scope checks on dose and amount questions, over sentences of the published guidelines in
../shared/real-guidelines (ACP 2017, the NGC knee OA synthesis) and of corpus/."""

from __future__ import annotations

from ingest.records import Chunk
from qa.records import Passage
from qa.scope import excluded_topic, scope_gap

ACP_NSAIDS = ("Clinicians should therefore assess renovascular and gastrointestinal risk factors "
              "before prescribing NSAIDs and recommend the lowest effective doses for the "
              "shortest periods necessary.")
NGC_WEIGHT = ("Ideally, patients should lose a minimum of five percent body weight and maintain "
              "this new level of weight, specifies VA/DoD.")
CT_DOSE = ("Lumbar radiography and lumbar CT without IV contrast share the same ACR relative "
           "radiation level, the band of 1-10 mSv adult effective dose.")
EPIDURAL = ("Epidural steroid injection may be considered for radicular pain that persists "
            "after 6 weeks of conservative care.")


def _passages(*texts: str) -> list[Passage]:
    title = "Guideline Synthesis: Nonsurgical Management of Osteoarthritis of the Knee"
    return [Passage(Chunk(f"c{i}", "a", title, "Recommendations", ("Recommendations",),
                          text, 0, len(text)), rank=i, score=1.0, dense_score=0.6)
            for i, text in enumerate(texts, start=1)]


def test_qualitative_dosing_advice_answers_a_dosing_question() -> None:
    question = ("Before prescribing NSAIDs, what should clinicians assess and how should they "
                "dose them?")
    assert scope_gap(question, _passages(ACP_NSAIDS)) is None
    # without a sentence on dosing the thing asked about, still out of scope
    assert scope_gap(question, _passages(EPIDURAL)).facet == "drug doses"


def test_how_much_of_something_else_is_answered_by_a_stated_quantity_of_it() -> None:
    question = "How much weight should an overweight patient with knee OA aim to lose?"
    assert scope_gap(question, _passages(NGC_WEIGHT)) is None
    # a quantity of something else is no answer: read as a dose question, and none is given
    assert scope_gap(question, _passages(EPIDURAL)).facet == "drug doses"


def test_how_much_of_a_drug_still_needs_a_drug_amount() -> None:
    question = "how much triamcinolone goes into a lumbar epidural steroid injection?"
    # a radiation dose and a duration are no drug amount
    assert scope_gap(question, _passages(CT_DOSE, EPIDURAL)).facet == "drug doses"


def test_how_much_an_effect_is_no_dose_question() -> None:
    question = "How much do NSAIDs reduce pain compared with placebo in chronic low back pain?"
    assert scope_gap(question, _passages(EPIDURAL)) is None


# Sentences of NASS 2020 and a table row of Alberta TOP 2011 (../shared/real-guidelines): a trial's methods name a drug and an
# amount, and another drug's dose sits beside them in the same passages.
NASS_NAPROXEN_ARM = ("Each participant was discharged with a one-week supply of naproxen (500 mg), "
                     "oxycodone 5 mg/acetaminophen 325 tablets, a detailed standardized "
                     "instruction sheet.")
NASS_DICLOFENAC = ("The authors concluded that the flexible multiple dosing regimen of "
                   "diclofenac-K 12.5 mg is an effective and safe treatment for acute LBP.")
NASS_RANDOMIZED = ("Patients aged 18-40 years with chronic LBP >3 months were randomized to "
                   "receive either 50,000 IU vitamin D or placebo once a week for 8 weeks.")
ALBERTA_ROW = ("Acute and subacute low back pain or flare-up of chronic low back/ spinal pain 1st "
               "line Acetaminophen Up to 1000 mg QID (max of 3000 mg/day)")


def test_a_trial_arm_or_another_drugs_amount_is_no_dose_of_the_drug_asked_about() -> None:
    question = "What dose of naproxen should I prescribe for acute low back pain?"
    # the amount is what a trial's participants were given; the other names "acute", not naproxen
    assert scope_gap(question, _passages(NASS_NAPROXEN_ARM, NASS_DICLOFENAC)).facet == "drug doses"
    assert scope_gap("What dose of vitamin D for chronic LBP?",
                     _passages(NASS_RANDOMIZED)).facet == "drug doses"


def test_a_stated_amount_of_the_drug_asked_about_answers_its_dose_question() -> None:
    question = "What is the maximum daily dose of acetaminophen for acute low back pain?"
    assert scope_gap(question, _passages(NASS_DICLOFENAC, ALBERTA_ROW)) is None


def test_how_many_milligrams_is_a_dose_question() -> None:
    question = "How many milligrams of methylprednisolone go into a lumbar epidural injection?"
    assert scope_gap(question, _passages(EPIDURAL)).facet == "drug doses"
    assert scope_gap("How many patients improved after an epidural injection?",
                     _passages(EPIDURAL)) is None


def test_a_question_wanting_an_amount_is_not_answered_by_qualitative_advice() -> None:
    # NGC 2016 (VA/DoD): dosing advice without an amount
    taper = "If tramadol is discontinued, the dose should be slowly tapered off to avoid withdrawal."
    assert scope_gap("What starting dose of tramadol for knee osteoarthritis?",
                     _passages(taper)).facet == "drug doses"
    assert scope_gap("How should the dose of tramadol be managed when it is stopped?",
                     _passages(taper)) is None


ACP_SCOPE = ("Children or adolescents with low back pain; pregnant women; and patients with low "
             "back pain from sources outside the back (nonspinal low back pain), fibromyalgia or "
             "other myofascial pain syndromes, and thoracic or cervical back pain are not "
             "included.")
NASS_DRY_NEEDLING = ("The authors concluded that the addition of dry needling to standard care "
                     "seems justified for the treatment of chronic LBP in patients with "
                     "myofascial pain.")


def test_a_topic_the_passages_only_exclude_is_out_of_scope() -> None:
    # ACP 2017 names fibromyalgia once, in its target population, to set it aside
    gap = excluded_topic("Which drugs help fibromyalgia?", _passages(ACP_SCOPE, EPIDURAL))
    assert gap is not None and gap.facet == "fibromyalgia"
    assert "only to exclude it" in gap.reason and "are not included" in gap.reason
    # a topic another passage discusses is in scope (NASS 2020 on myofascial pain)
    assert excluded_topic("How is myofascial pain treated?",
                          _passages(ACP_SCOPE, NASS_DRY_NEEDLING)) is None
    # a question about the scope itself is answered by the scope statement
    assert excluded_topic("Does the guideline cover fibromyalgia?", _passages(ACP_SCOPE)) is None
    # clinical exclusion is not scope
    assert excluded_topic("When can fracture be ruled out?", _passages(
        "Once a fracture has been excluded, reassure the patient and advise activity.")) is None
