"""Words that keep what follows them from being asserted, beyond negation (offline.scope) and the blockers of
offline.said: an open question ("I'm not sure whether ...") and what used to be so ("tasks that used to need ...").
"""

from __future__ import annotations

from .analyse import Analysis
from .contrast import BE

UNSURE = frozenset("sure know remember recall wonder unclear certain idea".split())
"""Words before "whether" that make what follows an open question ("I'm not sure whether ..."), not the choice a
definition names ("the 'domain' refers to whether the documents are open to the model")."""
PASSIVE = BE | {"been", "being", "get", "gets", "got", "getting"}
"""Words before "used to" that make it a purpose ("is used to generate", "are then used to fine-tune", "get used
to"), not the past."""


def unsure(a: Analysis, k: int) -> bool:
    """The sentence of token k says, before it, that the speaker does not know (UNSURE)."""
    return any(a.tokens[j].low in UNSURE for j in range(k) if a.tokens[j].sentence == a.tokens[k].sentence)


def used_to(a: Analysis, k: int) -> bool:
    """ "used to" at token k of what was so and is no longer ("tasks that used to need separate systems"), not of a
    purpose (PASSIVE) nor at the start of a sentence ("Used to plan long-context models": a purpose with its subject
    left out)."""
    t = a.tokens
    return (t[k].low == "used" and k + 1 < len(t) and t[k + 1].low == "to" and k > 0
            and t[k - 1].sentence == t[k].sentence
            and not any(t[j].low in PASSIVE for j in range(max(0, k - 2), k)))
