"""Evidence verification: a quote counts only if it occurs in the answer (after normalising case,
whitespace, punctuation and Unicode forms); a quote that does not is discarded and recorded."""

from __future__ import annotations

import pytest

from interviewer.core.models import KeyPointStatus
from interviewer.grading.llm.evidence import normalise, quote_in_answer, verify_key_points
from interviewer.grading.llm.schema import KeyPointVerdict

ANSWER = ("So, um, attention is basically softmax of Q times K-transpose, divided by the square root of d_k... "
          "and then you multiply by V. It's a weighted sum — “the values” weighted by relevance.")


@pytest.mark.parametrize("quote", [
    "softmax of Q times K-transpose",
    "SOFTMAX OF q TIMES k transpose",           # case and punctuation
    "softmax  of\nQ times   K transpose",       # whitespace
    "divided by the square root of d_k",
    "divided by the square root of d k",        # underscore is punctuation
    "its a weighted sum",                       # apostrophe dropped on both sides
    "It’s a weighted sum",                      # curly apostrophe
    '"the values" weighted by relevance',       # straight vs curly quotes
    "softmax ... multiply by V",                # ellipsis skips words, order kept
    "attention is … square root",               # Unicode ellipsis
])
def test_quotes_that_occur(quote):
    assert quote_in_answer(quote, ANSWER)


@pytest.mark.parametrize("quote", [
    "softmax of K times Q",                     # words changed
    "divided by the dimension",                 # paraphrase
    "multiply by V ... softmax",                # ellipsis parts out of order
    "soft",                                     # not on a word boundary ("softmax")
    "",
    "...",
    "!!",
    "a",                                        # too short to be evidence
    "attention is basically softmax of Q times K-transpose, divided by the square root of d_k and more",
])
def test_quotes_that_do_not(quote):
    assert not quote_in_answer(quote, ANSWER)


def test_normalise():
    assert normalise("  It’s  the QK^T / √d_k — scaled!  ") == "its the qk t d k scaled"
    assert normalise("ﬁne-tuning") == "fine tuning"  # NFKC ligature


def test_verify_key_points_discards_and_records():
    verdicts = [
        KeyPointVerdict(id="k1", status="covered", evidence="softmax of Q times K-transpose"),
        KeyPointVerdict(id="k2", status="covered", evidence="scaled by the square root of the dimension"),
        KeyPointVerdict(id="k3", status="partial", evidence=""),
        KeyPointVerdict(id="k4", status="missing", evidence="you multiply by V"),
        KeyPointVerdict(id="k5", status="partial", evidence="a weighted sum"),
    ]
    results, notes = verify_key_points(verdicts, ANSWER)
    by = {r.key_point_id: r for r in results}
    assert by["k1"].status is KeyPointStatus.covered and by["k1"].evidence == "softmax of Q times K-transpose"
    assert by["k2"].status is KeyPointStatus.missing and by["k2"].evidence is None
    assert by["k2"].discarded_evidence == "scaled by the square root of the dimension"
    assert by["k3"].status is KeyPointStatus.missing and by["k3"].discarded_evidence is None
    assert by["k4"].status is KeyPointStatus.missing and by["k4"].evidence is None  # missing keeps no quote
    assert by["k5"].status is KeyPointStatus.partial
    assert [r.key_point_id for r in results] == ["k1", "k2", "k3", "k4", "k5"]
    assert any("k2" in n and "does not occur" in n for n in notes)
    assert any("k3" in n and "without a quote" in n for n in notes)
