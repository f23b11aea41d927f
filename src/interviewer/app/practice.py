"""The practice session controller, shared by the TUI and plain mode: one place for the session's rules.

A front end asks it to start a session, shows `current`, and hands back what the person typed. The rules it
owns, so no front end can get them wrong:
- the answer is committed (Store.add_attempt, status pending) *before* any grader sees it, and the draft it
  came from is removed in the same transaction;
- grading goes through grading.service.grade_attempt (the one path that stores a grade or 'ungraded');
- a follow-up answer is its own attempt linked to the first one by parent_id, graded the same way;
- drafts are autosaved under a stable key so the next start can offer them back.
No Textual, no printing: front ends render `Practice` state and `SessionSummary` however they like.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ..core.models import Attempt, AttemptKind, AttemptStatus, PracticeSession, Question, Rubric, StoredGrade
from ..core.selection import Order, Overview, Selection, overview, select_questions, stats_from_rows
from ..core.transcript import SpokenTake
from ..termsafe import clean_text
from .practice_items import Answer, Item, SessionOptions, draft_key
from .practice_summary import SessionSummary, SummaryRow, summarise

if TYPE_CHECKING:
    from ..core.errors import DatabaseError
    from ..grading.base import Grader
    from .services import Services

__all__ = ["Answer", "Item", "Practice", "SessionOptions", "SessionSummary", "SummaryRow", "draft_key"]

Clock = Callable[[], datetime]


def utcnow() -> datetime:
    return datetime.now(UTC)


class Practice:
    """A running practice session. Create with `Practice.start(...)`."""

    def __init__(self, services: Services, options: SessionOptions, session: PracticeSession,
                 questions: list[Question], note: str = "", *, clock: Clock = utcnow,
                 grader: Grader | None = None) -> None:
        self.services = services
        self.options = options
        self.session = session
        self.items = [Item(q) for q in questions]
        self.note = note
        self.index = 0
        self.clock = clock
        self._grader = grader
        self.draft_error: DatabaseError | None = None
        """Why the last autosave failed (a DatabaseError), None when it succeeded."""
        self._takes: dict[str, list[SpokenTake]] = {}
        """Takes recorded for answers not submitted yet, by draft key (stage_voice)."""

    # ------------------------------------------------------------------ starting

    @classmethod
    def start(cls, services: Services, options: SessionOptions, *, clock: Clock = utcnow,
              grader: Grader | None = None, questions: list[Question] | None = None, session_id: int | None = None) -> Practice:
        """Choose the questions (unless given) and open a session row in the store."""
        bank = services.bank(options.bank_id or None)
        options.bank_id = bank.id
        note = ""
        if questions is None:
            sel = choose(services, options, clock())
            questions, note = sel.questions, sel.note
        if not questions:
            from ..core.errors import InterviewerError

            raise InterviewerError(note or "no questions to practise",
                                   hint="choose other topics or difficulties")
        store = services.store
        session = store.get_session(session_id) if session_id is not None else None
        if session is None:
            session = store.start_session(bank.id, options.to_dict())
        return cls(services, options, session, questions, note, clock=clock, grader=grader)

    # ------------------------------------------------------------------ navigation

    @property
    def current(self) -> Item | None:
        return self.items[self.index] if self.index < len(self.items) else None

    @property
    def done(self) -> bool:
        return self.index >= len(self.items)

    @property
    def position(self) -> str:
        return f"{min(self.index + 1, len(self.items))}/{len(self.items)}"

    def advance(self) -> Item | None:
        self.index += 1
        return self.current

    # ------------------------------------------------------------------ grading setup

    @property
    def grader(self) -> Grader:
        if self._grader is None:
            o = self.options
            self._grader = (self.services.make_grader(o.backend, o.model) if (o.backend or o.model)
                            else self.services.grader)
        return self._grader

    @grader.setter
    def grader(self, value: Grader | None) -> None:
        self._grader = value

    def rubric_for(self, question: Question) -> Rubric:
        return self.services.rubric_for(question)

    # ------------------------------------------------------------------ drafts

    def save_draft(self, question: Question, text: str, *, started_at: datetime | None = None,
                   parent: Attempt | None = None, prompt: str | None = None,
                   takes: list[SpokenTake] | None = None) -> str | None:
        """Autosave the text typed so far, with the takes recorded for it (so a restored draft keeps its
        recording). A draft the database will not take (disk full, read-only) is not an error on its own (the
        text is still on screen): it is kept in `draft_error` for the front end, which rescues the text if the
        session ends before it could be saved. Returns the draft's key, None then."""
        from ..core.errors import DatabaseError

        key = draft_key(self.session.bank_id, question.id, parent.id if parent else None)
        try:
            self.services.store.save_draft(key, bank_id=self.session.bank_id, question_id=question.id,
                                           text=clean_text(text),
                                           prompt=prompt or question.question, session_id=self.session.id,
                                           started_at=started_at, takes=takes_json(takes or []))
        except DatabaseError as e:
            self.draft_error = e
            return None
        self.draft_error = None
        return key

    def discard_draft(self, question: Question, parent: Attempt | None = None) -> None:
        self.services.store.delete_draft(draft_key(self.session.bank_id, question.id, parent.id if parent else None))

    # ------------------------------------------------------------------ answering

    def submit(self, question: Question, text: str, *, kind: AttemptKind = AttemptKind.answer,
               started_at: datetime | None = None, parent: Attempt | None = None,
               prompt: str | None = None) -> Answer:
        """Commit the answer (before any grading) and record it in the session. Empty text counts as a skip.
        The text is stored as typed minus what cannot be shown safely (termsafe.clean_text, the rule every
        front end shares)."""
        text = clean_text(text)
        if kind is AttemptKind.answer and not text.strip():
            kind = AttemptKind.skipped
        now = self.clock()
        duration = max(0.0, (now - started_at).total_seconds()) if started_at else None
        key = draft_key(self.session.bank_id, question.id, parent.id if parent else None)
        attempt = self.services.store.add_attempt(
            bank_id=self.session.bank_id, question_id=question.id, prompt=prompt or question.question,
            answer=text, kind=kind, session_id=self.session.id, parent_id=parent.id if parent else None,
            started_at=started_at, duration_s=duration, draft_key=key,
        )
        ans = Answer(attempt)
        takes = self._takes.pop(key, [])
        if takes:
            self._keep_voice(ans, takes)
        item = self._item_for(question)
        if item is not None:
            if parent is None:
                item.answer = ans
            else:
                item.follow_ups.append(ans)
        return ans

    # ------------------------------------------------------------------ spoken answers

    def stage_voice(self, question: Question, takes: list[SpokenTake], *, parent: Attempt | None = None) -> None:
        """The takes recorded for the answer being written (app.voice_capture). `submit` stores them with the
        attempt and measures the delivery; until then they stay here, so an answer the database refused once
        keeps its recording when it is submitted again."""
        key = draft_key(self.session.bank_id, question.id, parent.id if parent else None)
        if takes:
            self._takes[key] = list(takes)
        else:
            self._takes.pop(key, None)

    def staged_voice(self, question: Question, parent: Attempt | None = None) -> list[SpokenTake]:
        return list(self._takes.get(draft_key(self.session.bank_id, question.id, parent.id if parent else None), []))

    def _keep_voice(self, ans: Answer, takes: list[SpokenTake]) -> None:
        """After the answer is committed: its takes and delivery, or for a skip their audio deleted. A failure
        here does not undo the answer (it is saved); the takes stay in the audio folder and it is said why."""
        from ..core.errors import InterviewerError

        voice = self.services.voice
        if ans.attempt.kind is not AttemptKind.answer:
            voice.forget(takes)
            return
        try:
            ans.delivery = voice.keep(self.services.store, ans.attempt.id, takes)
        except InterviewerError as e:
            ans.voice_error = f"your answer is saved, but its recording's figures could not be: {e.message}"

    async def grade(self, answer: Answer, grader: Grader | None = None) -> StoredGrade:
        """Grade a saved answer (raises GradingError after storing the reason; cancelling leaves it pending)."""
        return await grade_saved(self.services, answer, grader or self.grader)

    def needs_grading(self) -> list[Answer]:
        """Answers of this session that were saved but have no grade (mock mode, cancelled, failed)."""
        out = []
        for it in self.items:
            for a in ([it.answer] if it.answer else []) + it.follow_ups:
                if a.attempt.kind is AttemptKind.answer and a.grade is None:
                    out.append(a)
        return out

    def _item_for(self, question: Question) -> Item | None:
        cur = self.current
        if cur is not None and cur.question.id == question.id:
            return cur
        return next((it for it in self.items if it.question.id == question.id), None)

    # ------------------------------------------------------------------ the end

    def finish(self) -> SessionSummary:
        self.services.store.end_session(self.session.id)
        return self.summary()

    def summary(self) -> SessionSummary:
        return summarise(self.items, pending=len(self.needs_grading()), untried_topics=self.untried_topics())

    def untried_topics(self) -> list[str]:
        """The bank's topics without a single answer yet, in the bank's order (for 'what to practise next')."""
        try:
            bank = self.services.bank(self.session.bank_id)
            answered = set(self.services.store.question_stats())
        except Exception:  # noqa: BLE001 - a suggestion is not worth failing the summary for
            return []
        tried = {q.topic for q in bank.questions if q.id in answered}
        return [t for t in bank.topics() if t not in tried]


# --------------------------------------------------------------------------- outside a session


def choose(services: Services, options: SessionOptions, now: datetime) -> Selection:
    """Pick the session's questions. The weakest and due orders take their rankings from the review service:
    reviewing.weakest_questions (core.review's mastery, the one definition of weak) and
    reviewing.due_questions (the FSRS schedule, synced with the history first)."""
    from . import reviewing

    bank = services.bank(options.bank_id or None)
    order = Order(options.order)
    weakest: list[str] = []
    due: list[str] = []
    scheduled = 0
    if order in (Order.weakest, Order.due):
        weakest = [q.id for q in reviewing.weakest_questions(services, bank_id=bank.id)]
    if order is Order.due:
        due = [q.id for q in reviewing.due_questions(services, bank_id=bank.id, now=now)]
        scheduled = len(services.store.review_schedule(bank.id))
    return select_questions(bank, count=options.count, order=order, topics=options.topics,
                            difficulties=options.difficulties, weakest=weakest, due=due, scheduled=scheduled,
                            seed=options.seed)


def bank_overview(services: Services, bank_id: str | None = None, now: datetime | None = None, *,
                  sync: bool = True) -> Overview:
    """The home screen's figures, from the review service (reviewing.bank_figures: the average and each topic's
    mastery, the numbers the dashboard, `stats`, the report and the exports show). The due count is read from
    the FSRS schedule brought up to date first (reviewing.due_questions); with sync=False it is read as stored
    (a first paint that must not replay cards)."""
    from ..core.selection import TopicMastery
    from ..store import history
    from . import reviewing

    bank = services.bank(bank_id)
    store = services.store
    now = now or utcnow()
    if sync:
        due = [q.id for q in reviewing.due_questions(services, bank_id=bank.id, now=now)]
    else:
        due = [c.question_id for c in history.due_cards(store, now, bank_id=bank.id)]
    average, topics = reviewing.bank_figures(services, bank_id=bank.id)
    return overview(bank, stats_from_rows(store.question_stats()), average=average,
                    topics=[TopicMastery(m.key, m.mastery, m.weak) for m in topics], due=due,
                    scheduled=len(store.review_schedule(bank.id)))


async def grade_saved(services: Services, answer: Answer, grader: Grader) -> StoredGrade:
    """Grade one saved answer through grading.service.grade_attempt and record the outcome on `answer`."""
    from ..grading.base import GradingError
    from ..grading.service import grade_attempt

    try:
        stored = await grade_attempt(services, answer.attempt, grader)
    except GradingError as e:
        answer.error = e.message
        answer.attempt = services.store.get_attempt(answer.attempt.id) or answer.attempt
        raise
    answer.grade, answer.error = stored, None
    answer.attempt = services.store.get_attempt(answer.attempt.id) or answer.attempt
    from .practice_schedule import update_schedule

    await update_schedule(services, answer.attempt)
    return stored


def ungraded_answers(services: Services) -> list[Attempt]:
    """Answers kept for later: saved, never graded (pending) or grading failed (ungraded). Skips excluded."""
    store = services.store
    out = store.attempts(status=AttemptStatus.pending) + store.attempts(status=AttemptStatus.ungraded)
    return sorted((a for a in out if a.kind is AttemptKind.answer), key=lambda a: a.id)


def restorable_drafts(services: Services) -> list[dict[str, Any]]:
    """Unfinished answers from an earlier run whose question still exists, newest first."""
    out = []
    for d in services.store.drafts():
        bank = services.banks.get(d["bank_id"])
        if bank is not None and bank.get(d["question_id"]) is not None:
            out.append(d)
    return out


def resume_draft(services: Services, draft: dict[str, Any], *, clock: Clock = utcnow, options: SessionOptions | None = None
                 ) -> tuple[Practice, Attempt | None]:
    """A one-question session for a restored draft (joining the draft's own session when it still exists).
    Returns the session and, for a follow-up draft, the attempt it follows up."""
    bank = services.banks[draft["bank_id"]]
    question = bank.get(draft["question_id"])
    if question is None:
        from ..core.errors import InterviewerError

        raise InterviewerError(f"the draft's question {draft['question_id']!r} is no longer in bank {bank.id}",
                               hint="discard the draft")
    opts = options or SessionOptions(bank_id=bank.id, count=1, order=Order.in_order)
    opts.bank_id = bank.id
    practice = Practice.start(services, opts, clock=clock, questions=[question], session_id=draft.get("session_id"))
    parent = None
    key = str(draft["key"])
    if key.startswith("followup:"):
        parent = services.store.get_attempt(int(key.split(":", 1)[1]))
        if parent is not None:
            practice.items[0].answer = Answer(parent, services.store.latest_grade(parent.id))
    practice.stage_voice(question, draft_takes(draft), parent=parent)  # submitted with the answer, as before
    return practice, parent


def discard_stored_draft(services: Services, draft: dict[str, Any]) -> int:
    """Delete an unfinished answer the person chose to discard, and the recording it kept (its takes' audio and
    transcripts in our audio folder; a file named to `/voice FILE` stays where it is). The row goes first: a
    file that cannot be deleted is left, never the other way round. Returns how many takes were deleted."""
    takes = draft_takes(draft)
    services.store.delete_draft(str(draft["key"]))
    audio = [t.audio for t in takes if t.audio and t.recorder != "file"]
    return services.voice.delete_audio(audio) if audio else 0


def takes_json(takes: list[SpokenTake]) -> str:
    """A draft's takes as stored (store.repo.save_draft)."""
    return json.dumps([t.model_dump(mode="json") for t in takes])


def draft_takes(draft: dict[str, Any]) -> list[SpokenTake]:
    """The takes a stored draft kept. One that no longer reads (a hand-edited database) is left out: the words it
    put in the answer are in the draft's text, and its audio and transcript are still in the audio folder."""
    from pydantic import ValidationError

    try:
        raw = json.loads(draft.get("takes") or "[]")
    except ValueError:
        return []
    out = []
    for item in raw if isinstance(raw, list) else []:
        try:
            out.append(SpokenTake.model_validate(item))
        except ValidationError:
            continue
    return out
