"""Sentence form: statements are kept; questions, vignettes, headings, pointers and reference
entries (all taken from the published guidelines in ../shared/real-guidelines) are not."""

from __future__ import annotations

import pytest

from qa.sentence_form import (
    AGENDA,
    DIRECTIVE,
    HEADING,
    NARRATION,
    NAVIGATION,
    QUESTION,
    REFERENCE,
    TABLE,
    VIGNETTE,
    answer_form,
    research_agenda,
    scope_exclusion,
    sentence_form,
    trial_methods,
)

STATEMENTS = [
    "Do not use traction.",
    "Refer workers with low back pain beyond 6 weeks to a comprehensive return-to-work "
    "rehabilitation program.",
    "Whole-body FDG-PET/CT has an RRL of ☢☢☢☢.",
    "Recommendation 3: In patients with chronic low back pain who have had an inadequate "
    "response to nonpharmacologic therapy, clinicians and patients should consider NSAIDs.",
    "Antidepressants are not recommended for the treatment of low back pain.",
    "First choice acetaminophen; second choice NSAIDs.",
    "AAOS and VA/DoD agree that overweight or obese patients should attempt weight loss.",
    "Most 65-year-old patients with acute pain improve within weeks.",
    "Clinicians should refer for physical therapist services early on. [B]",
    "Acetaminophen \u2013 the first choice \u2013 or NSAIDs \u2013 the second \u2013 may help.",
    "Type X collagen and X-ray findings were not associated with pain on 18 May 2013.",
    "Figure 2 patients improved more with exercise than with usual care.",
    "Acetaminophen is given as needed, up to 3000 mg a day.",
    "Relief is provided for at least six months.",
]


@pytest.mark.parametrize("text", STATEMENTS)
def test_statements_are_statements(text: str) -> None:
    assert sentence_form(text) is None, f"{text!r} read as {sentence_form(text)}"


@pytest.mark.parametrize(("text", "form"), [
    ("Diagnosis Question 2. In patients with low back pain, are there history or physical "
     "examination findings that would serve as predictors for the recurrence of low back pain?",
     QUESTION),
    ("What should clinicians make of this new guideline?", QUESTION),
    ('He asked: "is it safe?"', QUESTION),
    ("A 45-year-old man presents with 3 weeks of low back pain after lifting.", VIGNETTE),
    ("Mrs. K, a 62 year old teacher, reports numbness in both legs.", VIGNETTE),
    ("Chou R, Hoyt-Huffman L. Medications for Acute and Chronic Low Back Pain.", REFERENCE),
    ("15. Kendall NAS, Linton SJ, Main CJ. Guide to Assessing Psycho-social Yellow Flags.",
     REFERENCE),
    ("2017;166:514-530. doi:10.7326/M16-2367 Annals.org", REFERENCE),
    ("(See Medication Table in Appendix B.)", NAVIGATION),
    ("See Appendix D for Glossary and Appendix E for Evidence Source", NAVIGATION),
    ("Box 1 describes the red flags endorsed by most clinical practice guidelines.", NAVIGATION),
    ("Appendix Table 1(available at Annals.org) summarizes the findings for all therapies for "
     "acute or subacute low back pain", NAVIGATION),
    ("A direct comparison of recommendations presented in the above guidelines for nonsurgical "
     "management of osteoarthritis (OA) of the knee is provided.", NAVIGATION),
    ("The findings for all therapies are summarized in Appendix Table 1.", NAVIGATION),
    # Oliveira 2018's comparison matrix, one row per recommendation
    ("X X - 2 out of 6 (33%) Against the prescription of muscle relaxants X- XX -X-X - 5 out "
     "of 11 (45%)", TABLE),
    # NGC's catalogue entries of the guidelines a synthesis compares
    ("Department of Veterans Affairs (VA) VA/DoD clinical practice guideline for the "
     "non-surgical management of hip and knee osteoarthritis. 2014 Jan 01 View Summary",
     REFERENCE),
    ("Section Co-Chairs: Charles H. Cho, MD, MBA Gary Ghiselli, MD Authors: Sean D. Christie",
     HEADING),
    ("Referral for Surgical Opinion on Spinal Fusion", HEADING),
])
def test_non_statements_are_recognised(text: str, form: str) -> None:
    assert sentence_form(text) == form


def test_empty_text_is_no_statement() -> None:
    assert sentence_form("   ") == HEADING


# What statements do, from the guidelines of ../shared/real-guidelines (NASS 2020, Alberta TOP
# 2011, ACP 2017, NGC 2015): directives answer "what should I do"; a study's narration and a
# research agenda only share its words.
@pytest.mark.parametrize(("text", "form"), [
    ("Prolonged bed rest for more than 4 days is not recommended for acute low back problems.",
     DIRECTIVE),
    ("Clinicians should select nonpharmacologic treatment with superficial heat.", DIRECTIVE),
    ("Do not use traction.", DIRECTIVE),
    ("Consider referral for MRI if radiculopathy persists after 6 weeks.", DIRECTIVE),
    ("Pauza et al 1 conducted a randomized controlled trial to investigate the effectiveness of "
     "intradiscal electrothermal therapy (IDET) for the treatment of discogenic low back pain.",
     NARRATION),
    ("Chakraverty et al 1 reported hospital audit results on the outcomes of patients who "
     "underwent spinal injection for presumed facet joint or sacroiliac joint pain.", NARRATION),
    ("Vallejo et al 1 investigated the effectiveness of spinal cord stimulation for relieving "
     "discogenic pain in a prospective observational study.", NARRATION),
    ("Patients aged 18-40 years with chronic LBP >3 months were randomized to receive either "
     "vitamin D or placebo once a week for 8 weeks.", NARRATION),
    ("The work group recommends studies to evaluate the value of imaging (x-ray, CT or MRI) for "
     "patients with acute or chronic LBP in the absence of red flags.", AGENDA),
    ("Further high-quality research is needed on the long-term effects of opioids.", AGENDA),
    ("In a randomized controlled trial, Morone et al 4 evaluated the effects of a "
     "multidisciplinary back school program in patients with chronic LBP.", NARRATION),
    # one study's result told as that study's: evidence the guideline weighs, not its answer
    ("The authors concluded that both treatments were safe and effective.", NARRATION),
    ("This study provides Level I therapeutic evidence that a back school program can improve "
     "quality of life, disability and pain in nonspecific chronic LBP.", NARRATION),
    ("One study showed a small improvement in pain at 26 and 52 weeks.", NARRATION),
    # a finding of the body of evidence is neither
    ("Moderate-quality evidence showed that massage improved short-term pain relief.", 0),
    ("Evidence is insufficient or lacking to determine treatments for radicular low back pain.",
     0),
])
def test_answer_form_reads_what_a_statement_does(text: str, form: int) -> None:
    assert answer_form(text) == form


def test_a_research_agenda_is_no_answer_unless_research_is_asked_about() -> None:
    # Alberta TOP 2011's "Future Directions for Research", ACP 2017's discussion, NGC 2008
    agenda = ["The work group recommends studies to evaluate the value of imaging (x-ray, CT or "
              "MRI) for patients with acute or chronic LBP in the absence of red flags.",
              "Use of opioids for chronic pain is an important area that requires further "
              "research to compare benefits and harms of therapy.",
              "In order to assess a specific imaging protocol, the work group recommends a "
              "prospective study evaluating patients with and without nonspecific low back pain.",
              "The work group recommends future randomized controlled trials of facet joint "
              "interventions in patients diagnosed with dual diagnostic blocks."]
    for text in agenda:
        assert research_agenda(text, "Is imaging indicated for acute LBP without red flags?")
        assert not research_agenda(text, "What further studies does the guideline call for?")
    # care, not research: a trial of a therapy, an evaluation of the patient
    for text in ["Clinicians may recommend a trial of NSAIDs before opioids.",
                 "The guideline recommends evaluation of red flags at every visit."]:
        assert not research_agenda(text, "Is imaging indicated?")


def test_a_trials_methods_are_no_answer_unless_research_is_asked_about() -> None:
    # NASS 2020's study summaries: how each trial was run, then what it found
    methods = ["Participants were randomized to receive an exercise program with back school "
               "(n=61) or exercise alone (n=60) 3 days a week for 3 months.",
               "Patients with chronic LBP in consideration for surgery (n=52) underwent magnetic "
               "resonance imaging followed by provocative discography.",
               "Participants were interviewed weekly to determine side effects.",
               "All participants were instructed to apply the plaster to the site of pain for "
               "4-8 hours once daily for 21 days."]
    for text in methods:
        assert trial_methods(text, "Is back school effective for chronic low back pain?"), text
        assert not trial_methods(text, "How was the back school study designed?"), text
    # what was found, or what to do, is an answer even when it names the sample
    for text in ["Patients randomized to exercise (n=61) reported significantly less pain at "
                 "3 months than controls.",
                 "There was a 69% reduction in opioid consumption in the stimulation group.",
                 "Patients who underwent surgery should be imaged with CT when hardware is present.",
                 "Clinicians should treat patients with acute low back pain with heat."]:
        assert not trial_methods(text, "Is back school effective?"), text


def test_a_scope_statement_answers_only_a_question_about_the_scope() -> None:
    # ACP 2017 and NASS 2020 say what they leave out
    for text in ["This guideline does not address topical pharmacologic therapies or epidural "
                 "injection therapies.",
                 "Pregnant women and patients with fibromyalgia are not included.",
                 "Additional literature comparing surgical treatment to medical treatment were "
                 "not included in our systematic review."]:
        assert scope_exclusion(text, "Which drugs help fibromyalgia?"), text
        assert not scope_exclusion(text, "Does the guideline cover fibromyalgia?"), text
    for text in ["Once a fracture has been excluded, reassure the patient.",
                 "Imaging is needed to exclude cauda equina syndrome."]:
        assert not scope_exclusion(text, "When is imaging needed?"), text
