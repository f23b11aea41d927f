"""The offline grader's text layer: stems and synonyms, multi-word terms, negation scope, invisible characters,
key points derived from a reference, and the grader on a question that has no curated key points."""

from __future__ import annotations

from interviewer.core.models import KeyPointStatus, Question
from interviewer.grading.base import GradeRequest
from interviewer.grading.offline.analyse import analyse, term
from interviewer.grading.offline.cues import derive_key_points
from interviewer.grading.offline.grader import OfflineGrader
from interviewer.grading.offline.match import near


def test_stems_synonyms_and_british_spelling():
    assert term("behaviour") == term("behavior")
    assert term("smallest") == term("minimum") == term("lowest")
    assert term("children") == term("child")
    assert term("utilise") == term("utilizes") == term("use")
    assert term("encoder") != term("usually")  # no accidental folding


def test_a_decimal_point_does_not_end_a_sentence():
    """"p is 0.9" and "GPT-3.5" are one sentence each: a claim said across the number stays one claim."""
    a = analyse("If p is 0.9 you keep the smallest set of tokens whose probabilities add up to it. GPT-3.5 uses it.")
    sentences = [t.sentence for t in a.tokens]
    assert sentences == sorted(sentences) and len(set(sentences)) == 2
    assert [t.low for t in a.tokens if t.low[0].isdigit()] == ["0.9", "3.5"]
    assert term("1.0") == term("1") == term("one") and term("0.9") != term("9") and term("2.50") == term("2.5")


def test_a_number_with_thousands_separators_is_one_number():
    """"4,000 tokens" is 4K tokens, not "four" and a comma: "a 4,000-token window means 4,000 words" says nothing
    about "four words per token", and "about 50,000" is the bank's "50K"."""
    a = analyse("A 4,000-token window means 4,000 words, and GPT has 50,257 tokens, so 1,000,000 is a lot.")
    assert [t.low for t in a.tokens if t.low[0].isdigit()] == ["4,000", "4,000", "50,257", "1,000,000"]
    assert term("4,000") == term("4k") and term("50,000") == term("50K".lower()) and term("1,000,000") == "1m"
    assert term("50,257") == term("50257") and term("4,000") != term("four")
    assert term("1,000,000,000,000,000") == "1000000000000000"  # past trillions: the digits, not a crash
    assert len({t.sentence for t in a.tokens}) == 1


def test_multiword_phrases_become_one_term():
    a = analyse("You can have as many as you want, it's a large language model.")
    assert term("unlimited") in a.positions
    assert term("llm") in a.positions


def test_compounds_written_apart_match_joined_forms():
    a = analyse("it uses multi head attention on the data set")
    assert term("multihead") in a.joined and term("dataset") in a.positions


def test_negation_scope_stops_at_a_clause_or_comma():
    a = analyse("It is not bidirectional, it reads left to right. BERT is bidirectional.")
    bi = [a.tokens[i] for i in a.positions[term("bidirectional")]]
    assert [t.negated for t in bi] == [True, False]
    reads = a.tokens[a.positions[term("reads")][0]]
    assert not reads.negated
    assert analyse("the model doesn't update its weights").tokens[3].negated  # n't negates


def test_what_the_speaker_does_not_remember_is_neither_said_nor_denied():
    a = analyse("I don't remember the details of how it routes the tokens.")
    routes = a.tokens[a.positions[term("routes")][0]]
    assert routes.unsure and not routes.negated and not a.negated_clauses
    b = analyse("I'm really not sure whether the weights change. I really don't know how.")
    assert all(t.unsure and not t.negated for t in b.tokens if t.term in (term("weights"), term("change")))
    # said of anything else, not knowing is content, and a denial
    c = analyse("Self-attention doesn't know about order, and the tokenizer doesn't remember the text.")
    assert a.tokens and all(not t.unsure for t in c.tokens)
    assert c.tokens[c.positions[term("order")][0]].negated


def test_near_matches_typos_and_word_forms_but_not_short_words():
    assert near(term("precision"), term("precison"))
    assert near(term("reusable"), term("reuse"))
    assert not near("cat", "car")


def test_invisible_characters_are_removed_and_evidence_maps_back():
    text = "soft\u200bmax turns scores into probabilities \u202eden\u202c ok"
    a = analyse(text)
    assert a.hidden and a.text.startswith("softmax turns")
    assert [t.low for t in a.tokens][:2] == ["softmax", "turns"]
    assert a.span(0, 1) in text  # verbatim from the original, zero-width space included
    assert "ned" not in [t.low for t in a.tokens] and "den" not in [t.low for t in a.tokens]


def test_derived_key_points_cut_a_short_reference_into_units():
    kps = derive_key_points("To simulate the behaviour of portions of the desired software product.")
    assert 1 <= len(kps) <= 3 and all(kp.drafted for kp in kps)
    kps = derive_key_points("- **Encoder**: reads input\n- **Decoder**: writes output\n- **Attention**: mixes tokens")
    assert [kp.text for kp in kps] == ["Encoder: reads input", "Decoder: writes output", "Attention: mixes tokens"]
    long_ref = " ".join(f"Sentence number {i} talks about topic {i} in detail." for i in range(10))
    assert len(derive_key_points(long_ref)) <= 6


def test_grading_a_question_without_key_points(services):
    q = Question(id="t-leaf", number=1, topic="trees", question="What is a leaf?",
                 reference="A node that has no children.")
    rubric = services.rubric("default")
    g = OfflineGrader()
    good = g.grade_sync(GradeRequest(q, rubric, "It's a node with no kids, like at the bottom of the tree."))
    bad = g.grade_sync(GradeRequest(q, rubric, "It's the root of the tree, the node at the top."))
    assert good.score > bad.score
    assert good.key_points and all(kp.status is not KeyPointStatus.missing for kp in good.key_points)
    assert any("derived automatically" in n for n in good.notes)
    assert good.better_answer.startswith("A node that has no children")


def test_an_analysis_without_compounds_has_the_same_tokens():
    """offline.neighbours builds its profiles from the tokens only and skips the joined compounds for speed."""
    text = "Multi head attention splits the data set into heads; it doesn't use a look up table."
    full, light = analyse(text), analyse(text, compounds=False)
    assert full.joined and not light.joined
    assert [(t.term, t.negated, t.function) for t in full.tokens] == [(t.term, t.negated, t.function)
                                                                    for t in light.tokens]
    assert full.positions == light.positions
