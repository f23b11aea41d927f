"""A follow-up question that tests a known misconception ("Some candidates say: ... Is that right?"), and the
question its answer is graded against.

The offline grader asks it when an answer covers every key point and says nothing wrong it knows
(feedback.follow_up). A follow-up answer is otherwise graded against the bank question, and a right answer to this
one ("No: self-attention is where tokens exchange information...") covers few of that question's key points: it
would read "needs work", as if rejecting the misconception were the mistake. So its answer is graded against the
misconception itself: what is right instead is what it must say, and saying the claim (or any other known
misconception of the question) is wrong.
"""

from __future__ import annotations

import re

from ...core.models import KeyPoint, Misconception, Question

FIX = "fix"
"""The id of the probe question's one key point: what is right instead."""
_NEGATIVE = re.compile(r"(?:\b(?:not|no|never|cannot|without|neither|nor)\b|\w+n't\b)[^,;:.]*", re.I)
"""A negation and the rest of its phrase: what the correction says is not so."""


_HANGING = frozenset("and but or so do does did is are was were it that which who the a an of to".split())


def _trimmed(clause: str) -> str:
    """A clause with its negated phrase taken out, less the words left hanging at its end ("... and does")."""
    words = clause.replace(" ,", ",").split()
    while words and (words[-1].strip(",:.").lower() in _HANGING or not words[-1].strip(",:.")):
        words.pop()
    return " ".join(words).strip(" ,:.")


def _point(question: Question, m: Misconception) -> KeyPoint:
    """What a right answer to the probe says, as one key point: what the correction says is so, less what it says
    is not ("..., not programmed with rules", "does not connect tokens": a point with a negation is matched only
    when said negated, and a rejection need not repeat it), said in those words or in any way the bank knows of
    saying a key point the claim contradicts."""
    kept = (_trimmed(_NEGATIVE.sub(" ", c)) for c in re.split(r";|\.\s", m.correction))
    said = "; ".join(c for c in kept if len(c.split()) >= 4) or m.correction
    others = [kp for kp in question.key_points if kp.id in m.contradicts]
    ways = list(dict.fromkeys(w for kp in others for w in [kp.text, *kp.alternatives] if len(w) <= 120))
    return KeyPoint(id=FIX, text=said[:300], alternatives=ways)


def probe_text(claim: str) -> str:
    return f"Good. Some candidates say: \"{claim.rstrip('.')}.\" Is that right? Say why or why not."


def probed(question: Question, prompt: str | None) -> Question | None:
    """The question a follow-up answer to a misconception probe is graded against, or None when `prompt` is not
    one of `question`'s probes."""
    if not prompt:
        return None
    asked = " ".join(prompt.split())
    m = next((m for m in question.misconceptions if probe_text(m.claim) == asked), None)
    if m is None:
        return None
    return question.model_copy(update={
        "question": f"Some candidates say: \"{m.claim.rstrip('.')}.\" Is that right?",
        "reference": m.correction,
        "key_points": [_point(question, m)],
        "misconceptions": [o.model_copy(update={"contradicts": [FIX] if o.id == m.id else []})
                           for o in question.misconceptions],
    })


def stronger(probe: Question) -> str:
    """The stronger answer to a probe: the claim is not right, and the whole correction (its reference) says why."""
    return f"That is not right: {probe.reference}"
