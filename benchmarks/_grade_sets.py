"""Child of offline_grader.py: grade labelled JSONL files with the OfflineGrader of whatever `interviewer` is on
PYTHONPATH (this tree, or an older one from `git archive`), print one JSON object: file -> [[group, level, label,
score, wrong claims found, flagged as a keyword list], ...]. Bank questions are graded with that tree's own bank (key points, misconceptions); other records
with key points derived from their reference, as `interviewer eval` does.

usage: python _grade_sets.py FILE.jsonl [FILE.jsonl ...]   (INTERVIEWER_HOME should be a scratch folder)
"""

from __future__ import annotations

import json
import sys

try:  # this tree
    from interviewer.app.services import Services
except ImportError:  # a tree from before the application package existed
    from interviewer.services import Services  # type: ignore[no-redef]
from interviewer.grading.base import GradeRequest
from interviewer.grading.evaluate import load_records
from interviewer.grading.offline import OfflineGrader


def main(paths: list[str]) -> None:
    svc = Services.create()
    grader = OfflineGrader()
    out: dict[str, list] = {}
    for path in paths:
        records, _ = load_records(path, services=svc)
        rows = []
        for r in records:
            bank = {"bank": r.bank} if hasattr(r, "bank") else {}  # an older tree has no neighbour rule
            g = grader.grade_sync(GradeRequest(question=r.question, rubric=r.rubric, answer=r.answer, **bank))
            listed = any(f.startswith("keyword list") for f in getattr(g, "flags", None) or [])
            rows.append([r.group, r.level, r.label, g.score, len(getattr(g, "misconceptions", None) or []), int(listed)])
        out[path] = rows
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1:])
