"""A known misconception said in its own words (offline.ownwords): every run of the claim's words is asked, so a run
the checks turn down does not hide another run of the same sentence that makes the claim."""

from __future__ import annotations

from dataclasses import replace

from interviewer.app.services import Services
from interviewer.grading.offline import OfflineGrader
from interviewer.grading.offline.analyse import analyse
from interviewer.grading.offline.ownwords import claim_in_own_words


def _red_teaming_after_launch():
    """q068 m1 ("red teaming is mainly done after launch, on production traffic"), with "mostly" among its words as
    a bank phrasing such as "mostly done once the model is live" would make it."""
    services = Services.create()
    cq = OfflineGrader().compiled(services.bank().get("llm-q068"))
    m = next(m for m in cq.misconceptions if m.id == "m1")
    return replace(m, vocabulary=m.vocabulary | {"most"})


def test_a_run_turned_down_by_its_first_word_does_not_hide_the_claim(tmp_path, monkeypatch):
    monkeypatch.setenv("INTERVIEWER_HOME", str(tmp_path))
    m = _red_teaming_after_launch()
    said = analyse("It's mostly done after release, though, since you need real user traffic, so the team "
                   "watches the production logs and user reports and patches the model.")
    hits = claim_in_own_words(m, said)
    assert hits is not None
    assert "most" not in {said.tokens[i].term for i in hits}  # the run after "though", not the one it turns down


def test_a_sentence_without_the_claim_s_core_word_still_makes_no_claim(tmp_path, monkeypatch):
    monkeypatch.setenv("INTERVIEWER_HOME", str(tmp_path))
    m = _red_teaming_after_launch()
    said = analyse("Red teaming happens mostly before release: experts attack the model, log what breaks and "
                   "report it, and the team patches it before users see it.")
    assert claim_in_own_words(m, said) is None


def test_a_run_said_of_the_thing_set_against_the_subject_stops_the_search(grade):
    # a later, smaller run of q050 m6's words ("crowd", "preferences", "ratings") sits past the contrast's window:
    # the sentence describes Chatbot Arena, set against HELM, and makes no claim about HELM
    g = grade("llm-q050", "HELM evaluates many models the same way across many scenarios and metrics, like "
                          "calibration, robustness and toxicity, and it publishes the prompts. As opposed to MMLU, "
                          "which is a single multiple-choice knowledge benchmark giving one accuracy number, or "
                          "Chatbot Arena, where people vote between two anonymous models' answers and you get "
                          "Elo-style ratings from crowd preferences rather than fixed test sets.")
    assert [m.id for m in g.misconceptions] == []
