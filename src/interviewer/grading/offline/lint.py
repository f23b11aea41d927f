"""What a bank author should hear about a question's misconceptions, as the offline grader will use them.

Owns the checks `interviewer bank lint` runs on misconceptions: a question with none (the offline grader then
cannot tell a confidently wrong answer from a right one), a misconception with no signal it can match, a signal
too short to be specific, and a signal that fires on the question's own reference answer or on a correction (it
would call a right answer wrong). Warnings, not errors: an imported bank starts with none.
"""

from __future__ import annotations

from ...core.models import Question
from .analyse import analyse
from .cues import strict_cue
from .said import said


def misconception_warnings(q: Question) -> list[str]:
    if not q.misconceptions:
        return [f"question {q.id}: no misconceptions, so the offline grader cannot tell a confidently wrong answer "
                "from a right one (add [[questions.misconceptions]])"]
    out: list[str] = []
    right = [("the reference answer", analyse(q.reference))] + [
        (f"the correction of {m.id}", analyse(m.correction)) for m in q.misconceptions]
    for m in q.misconceptions:
        usable = 0
        for sig in m.signals:
            cue = strict_cue(sig, ordered=True)
            if cue is None or len(cue.terms) < 2:
                out.append(f"question {q.id}: misconception {m.id}: signal {sig!r} has fewer than two content words, "
                           "too short to be specific; it is not used")
                continue
            usable += 1
            for where, a in right:
                if said(cue, a) is not None:
                    out.append(f"question {q.id}: misconception {m.id}: signal {sig!r} fires on {where}: it would "
                               "call a right answer wrong")
        if not usable:
            out.append(f"question {q.id}: misconception {m.id} has no usable signal, so the offline grader cannot "
                       "spot it (add phrasings a candidate would say)")
    return out
