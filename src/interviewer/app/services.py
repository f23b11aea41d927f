"""The services object every front end (TUI, CLI, tests) talks to: config, banks, rubrics, store, graders.

Built by `Services.create(...)` with everything injectable (habit 3: inject, don't reach). Nothing is opened
or imported until first used, so `interviewer --help` and `bank list` stay fast and never touch the network.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ..config import Config, load_config
from ..core.bank import BankProblem, InstalledBank, discover_banks
from ..core.errors import InterviewerError
from ..core.models import Bank, Question, Rubric
from ..core.rubric import discover_rubrics
from ..locations import Locations

if TYPE_CHECKING:  # imported where first used: `--help` and `bank list` load neither the store nor a grader
    from ..grading.base import Grader
    from ..store.repo import Store
    from .voice_capture import VoiceCapture


class Services:
    def __init__(self, config: Config, locations: Locations, store: Store | None = None,
                 grader: Grader | None = None) -> None:
        self.config = config
        self.locations = locations
        self._store = store
        self._grader = grader
        self._voice: VoiceCapture | None = None

    @classmethod
    def create(cls, *, env: Mapping[str, str] | None = None, overrides: Mapping[str, Any] | None = None,
               locations: Locations | None = None, store: Store | None = None,
               grader: Grader | None = None) -> Services:
        loc = locations or Locations.from_env(env)
        cfg = load_config(loc.config_path, env, overrides)
        return cls(cfg, loc, store, grader)

    # ------------------------------------------------------------------ banks and rubrics

    @cached_property
    def _banks(self) -> tuple[list[InstalledBank], list[BankProblem]]:
        return discover_banks(self.locations.builtin_banks_dir, self.locations.user_banks_dir,
                              cache_dir=self.locations.cache_dir)

    @property
    def installed_banks(self) -> list[InstalledBank]:
        return self._banks[0]

    @property
    def bank_problems(self) -> list[BankProblem]:
        return self._banks[1]

    @property
    def banks(self) -> dict[str, Bank]:
        return {ib.bank.id: ib.bank for ib in self.installed_banks}

    def bank(self, bank_id: str | None = None) -> Bank:
        bank_id = bank_id or self.config.practice.bank
        banks = self.banks
        if bank_id in banks:
            return banks[bank_id]
        if not bank_id or bank_id == "llm-100":
            if banks:
                return next(iter(banks.values()))
        known = ", ".join(sorted(banks)) or "none"
        broken = "".join(f"\n  not loaded: {p.error}" for p in self.bank_problems)
        where = ("INTERVIEWER_BANK" if os.environ.get("INTERVIEWER_BANK") == bank_id
                 else f"practice.bank in {self.locations.config_path}")
        raise InterviewerError(f"no bank with id {bank_id!r} (installed: {known}){broken}",
                               hint=f"fix {where} (run `interviewer bank list` to see the banks)"
                                    + ("; fix the file that was not loaded (`interviewer bank lint FILE`)"
                                       if broken else ""))

    def find_question(self, question_id: str) -> tuple[Bank, Question]:
        for b in self.banks.values():
            q = b.get(question_id)
            if q is not None:
                return b, q
        raise InterviewerError(f"no question with id {question_id!r}",
                               hint="run `interviewer bank list` and `interviewer bank show ID`")

    @cached_property
    def _rubrics(self) -> tuple[dict[str, Rubric], list[str]]:
        return discover_rubrics([self.locations.builtin_rubrics_dir, self.locations.user_rubrics_dir])

    @property
    def rubrics(self) -> dict[str, Rubric]:
        return self._rubrics[0]

    def rubric(self, rubric_id: str) -> Rubric:
        try:
            return self.rubrics[rubric_id]
        except KeyError:
            known = ", ".join(sorted(self.rubrics)) or "none"
            broken = "".join(f"\n  not loaded: {p}" for p in self._rubrics[1])
            raise InterviewerError(f"no rubric with id {rubric_id!r} (installed: {known}){broken}",
                                   hint="run `interviewer rubric list`; set practice.rubric in config.toml to one "
                                        "of them (or empty for each question's own)") from None

    def rubric_for(self, question: Question) -> Rubric:
        """The config's rubric override if set, else the question's own rubric."""
        return self.rubric(self.config.practice.rubric or question.rubric)

    def check_practice(self, bank_id: str | None = None) -> Bank:
        """What a practice session needs before anything is typed: the bank, and a rubric for every question
        in it (the config's override, or each question's own). Raises InterviewerError naming what is missing
        and where it is set; returns the bank."""
        bank = self.bank(bank_id)
        if self.config.practice.rubric:
            self.rubric(self.config.practice.rubric)
            return bank
        missing: dict[str, list[str]] = {}
        for q in bank.questions:
            if q.rubric not in self.rubrics:
                missing.setdefault(q.rubric, []).append(q.id)
        if missing:
            rid, qids = next(iter(missing.items()))
            more = f" and {len(qids) - 3} more" if len(qids) > 3 else ""
            try:
                self.rubric(rid)
            except InterviewerError as e:
                raise InterviewerError(f"{e.message}; bank {bank.id} needs it for {', '.join(qids[:3])}{more}",
                                       hint="install the rubric (a .toml file in "
                                            f"{self.locations.user_rubrics_dir}), or set practice.rubric in "
                                            "config.toml to an installed one") from None
        return bank

    # ------------------------------------------------------------------ grading

    @property
    def grader(self) -> Grader:
        """The configured grader (built on first use; LLM clients are imported only then)."""
        if self._grader is None:
            self._grader = self.make_grader()
        return self._grader

    @grader.setter
    def grader(self, grader: Grader | None) -> None:
        """Grade with this grader from now on (a test's fake, say); None: the configured one, built on next use."""
        self._grader = grader

    def set_config(self, config: Config) -> None:
        """Swap in a new effective config (e.g. saved from the settings screen); the grader is rebuilt on
        next use."""
        self.config = config
        self.grader = None
        self.voice = None

    def make_grader(self, backend: str | None = None, model: str | None = None) -> Grader:
        """A grader for the config, or for another backend/model (e.g. re-grading, 'grade offline')."""
        from ..config import with_backend
        from ..grading.factory import make_grader

        # another backend starts from its own defaults: the configured base_url belongs to the configured one
        return make_grader(with_backend(self.config.grader, backend, model))

    @property
    def voice(self) -> VoiceCapture:
        """Answering out loud (app.voice_capture.VoiceCapture), built on first use: one per app, so the speech
        model is loaded once. Nothing heavy is imported until a take is transcribed."""
        if self._voice is None:
            from .voice_capture import VoiceCapture

            self._voice = VoiceCapture(self.config.voice, self.locations)
        return self._voice

    @voice.setter
    def voice(self, voice: VoiceCapture | None) -> None:
        """Answer out loud through this VoiceCapture (a test's, with its own transcriber); None: the config's."""
        self._voice = voice

    # ------------------------------------------------------------------ storage

    @property
    def store(self) -> Store:
        """The database, opened on first use. Every start-up fault (damaged, newer than this code, locked,
        read-only, disk full, the folder not creatable) raises a DatabaseError saying what and where
        (store.faults), before anything is typed."""
        if self._store is None:
            from ..store import faults
            from ..store.repo import Store

            loc = self.locations
            try:
                loc.ensure()
            except OSError as e:
                raise (faults.translate(e, loc.db_path, loc.backups_dir) or e) from None
            self._store = Store.open(loc.db_path, loc.backups_dir)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
