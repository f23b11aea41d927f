"""The offline grader's words to the candidate: summary, follow-up question, stronger answer, notes.

Owns the templates. They are filled from the key points and the reference, not written by a model, and the
notes say so: the offline grader can tell *what* is missing, not *why* an explanation is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ...core.models import FoundMisconception, KeyPointStatus, Question
from .match import KeyPointMatch
from .probe import probe_text
from .score import mostly_wrong

NOTE_SCOPE = ("The offline grader judges key-point coverage, and correctness only as far as it can check: it "
              "looks for this question's known misconceptions and for key points said the other way round. It "
              "cannot judge reasoning, numbers or wrong claims nobody anticipated, nor clarity and depth. Grade "
              "with an LLM backend (e.g. --backend openai or ollama) for full rubric feedback.")
NOTE_TEMPLATES = "The summary, follow-up question and stronger answer are built from templates and the key points."


def check_yourself(closest: list[tuple[str, str]]) -> str:
    """The note for an answer in which no known misconception was found: the ones closest to what it said
    (claims.closest_misconceptions), each with what is right, for the candidate to check against."""
    said = " ".join(f"{i}) “{c.rstrip('.')}.” Right: {r.rstrip('.')}." for i, (c, r) in enumerate(closest, 1))
    return ("No known misconception of this question was found in your words, but one said in other words than "
            f"the grader knows is not found. The closest to what you said, to check yourself against: {said}")
NOTE_DERIVED = ("This question has no curated key points: they were derived automatically from the reference "
                "answer, so coverage is approximate.")
NOT_ASSESSED = "not assessed by the offline grader"


def correctness_rationale(wrong: int, known: int, coverage: int, covered: int, partly: int) -> str:
    checked = (f"checked against {known} known misconception{'s' if known != 1 else ''} of this question and "
               "the key points said the other way round" if known else
               "checked against the key points said the other way round (no known misconceptions for this question)")
    if wrong == 0:
        return (f"No wrong claim found ({checked}); the level follows what the answer verifiably got right "
                f"(coverage {coverage}/4).")
    if mostly_wrong(wrong, covered + 0.5 * partly):
        got = ("no key point" if not covered + partly else
               f"{partly} key point{'s' if partly != 1 else ''}, partly" if not covered else
               f"{covered} key point{'s' if covered != 1 else ''}" + (f" and {partly} partly" if partly else ""))
        mostly = f" Mostly wrong: it got no more right ({got}) than wrong."
    else:
        mostly = ""
    return (f"{wrong} wrong claim{'s' if wrong != 1 else ''} found ({checked}): see Misconceptions."
            + mostly + " " + ("One stated misconception keeps the verdict below solid." if wrong == 1 else
                              "Two or more keep the verdict at needs work."))


def _lower_first(s: str) -> str:
    """Lower-case the first letter unless the first word is an acronym or a name with capitals inside it
    (LLM, LLMs, RAG's, GPT-4, FlashAttention): "LLMs are static" must not become "lLMs are static"."""
    s = s.strip().rstrip(".")
    first = s.split(" ", 1)[0]
    if sum(c.isupper() for c in first) >= 2 or first == "I" or first.startswith("I'"):
        return s
    return s[:1].lower() + s[1:]


def _covered(cov: int, n: int, part: int) -> str:
    """'Covered all 4 key points', 'Covered the one key point', 'Covered none of the 3 key points', 'Covered 2
    of 5 key points, 1 partly'."""
    if n == 1:
        return ("Covered the one key point." if cov else "Covered the one key point partly." if part else
                "Did not cover the one key point.")
    if cov == n:
        text = f"Covered all {n} key points"
    elif cov == 0:
        text = f"Covered none of the {n} key points"
    else:
        text = f"Covered {cov} of {n} key points"
    return text + (f", {part} partly" if part else "") + "."


def _sentence(s: str) -> str:
    s = re.sub(r"\s+", " ", s.strip()).rstrip(".;:,")
    return (s[:1].upper() + s[1:] + ".") if s else ""


SWAP_CLAIM = "This says of "
"""How a comparison's swapped sides are named in a misconception (claims.found_misconceptions)."""


def summary(results: list[tuple[KeyPointMatch, KeyPointStatus]], flags: list[str], empty: bool,
            wrong: Sequence[FoundMisconception] = ()) -> str:
    if empty:
        return "No answer was given, so no key point could be found."
    n = len(results)
    lead = ""
    if wrong:
        first = wrong[0]
        what = (first.claim if first.source == "bank" else
                "it says of " + first.claim[len(SWAP_CLAIM):].rstrip(".") if first.claim.startswith(SWAP_CLAIM) else
                f"the opposite of: {_lower_first(first.correction)}")
        lead = (f"Careful: the answer says something wrong ({_lower_first(what)}). "
                if len(wrong) == 1 else
                f"Careful: the answer says {len(wrong)} wrong things, starting with {_lower_first(what)}. ")
    cov = [m.kp.text for m, s in results if s is KeyPointStatus.covered]
    part = [m.kp.text for m, s in results if s is KeyPointStatus.partial]
    miss = [m.kp.text for m, s in results if s is KeyPointStatus.missing]
    parts = [_covered(len(cov), n, len(part))]
    if miss:
        shown = "; ".join(_lower_first(t) for t in miss[:2])
        parts.append(f"Missing: {shown}" + (f" (and {len(miss) - 2} more)" if len(miss) > 2 else "") + ".")
    elif part:
        parts.append(f"Say more clearly: {_lower_first(part[0])}.")
    else:
        parts.append("Every key point is there.")
    if flags:
        parts.append("Flagged: " + "; ".join(f.split(":", 1)[0] for f in flags) + ".")
    return lead + " ".join(parts)


def follow_up(question: Question, results: list[tuple[KeyPointMatch, KeyPointStatus]],
              wrong: Sequence[FoundMisconception] = (), closest: Sequence[tuple[str, str]] = ()) -> str:
    """One interviewer-style question probing a wrong claim first, else the weakest key point (missing first,
    then partial); with every point covered, the known misconception closest to what was said (`closest`,
    claims.closest_misconceptions), as an interviewer tests whether a right-sounding answer hides a confusion:
    a candidate who holds it says so in the follow-up answer, in words the grader may know."""
    if wrong:
        said = wrong[0].evidence
        return (f"You said \"{' '.join(said.split())}\". Are you sure? Walk me through why that is right."
                if said else "Are you sure about that claim? Walk me through why it is right.")
    order = {KeyPointStatus.missing: 0, KeyPointStatus.partial: 1, KeyPointStatus.covered: 2}
    weak = sorted(results, key=lambda r: (order[r[1]], r[0].score))
    if not weak or weak[0][1] is KeyPointStatus.covered:
        if closest:
            return probe_text(closest[0][0])
        asked = _lower_first(question.question).rstrip(" ?.!")
        return f"Good. Can you give a concrete example, or a trade-off, for this: {asked}?"
    m, status = weak[0]
    point = _lower_first(m.kp.text)
    if status is KeyPointStatus.partial:
        return f"You touched on this briefly: {point}. Can you explain it more precisely?"
    return f"What about this point: {point}? How does it fit into your answer?"


def better_answer(question: Question, results: list[tuple[KeyPointMatch, KeyPointStatus]], derived: bool) -> str:
    """A stronger answer as the candidate could say it, built from the key points (or the reference)."""
    if derived or not results:
        ref = re.sub(r"\*\*|__|`", "", question.reference)
        ref = re.sub(r"^\s*[-*+]\s+", "", ref, flags=re.M)
        return re.sub(r"\s+", " ", ref).strip()
    points = [_sentence(m.kp.text) for m, _ in results]
    return "A complete answer makes each of these points, in your own words: " + " ".join(points)
