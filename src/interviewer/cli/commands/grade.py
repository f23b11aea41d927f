"""`interviewer grade` (grade one answer from a file) and `interviewer doctor` (is grading set up right?).

`grade` stores the attempt *before* any byte goes to a backend, then grades it through
`grading.service.grade_attempt` (the one path every front end uses), so a failed or interrupted grading
leaves the answer saved as ungraded with the reason, never a zero. `doctor` prints the effective config and
whether the key variable is set (never its value), then checks the backend for real.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer

from ...core.errors import DatabaseError, InterviewerError

BackendOpt = Annotated[str | None, typer.Option("--backend", "--grader",
                                                help="offline | openai | ollama | litellm (or name:model)")]
ModelOpt = Annotated[str | None, typer.Option(help="Model name, e.g. gpt-4o-mini, llama3.1:8b, anthropic/...")]
BaseUrlOpt = Annotated[str | None, typer.Option(help="API base URL (OpenAI-compatible server, LiteLLM proxy, Ollama).")]
KeyEnvOpt = Annotated[str | None, typer.Option(help="NAME of the environment variable holding the API key.")]


def register(app: typer.Typer) -> None:
    app.command("grade")(grade)
    app.command("doctor")(doctor)


def _services(backend: str | None, model: str | None, base_url: str | None, api_key_env: str | None):
    from ...backends.registry import split_spec
    from ..context import services

    if backend and ":" in backend:
        backend, spec_model = split_spec(backend)
        model = model or spec_model
    return services(backend=backend, model=model, base_url=base_url, api_key_env=api_key_env)


def _read_answer(answer_file: Path | None, answer: str | None) -> str:
    if answer is not None and answer_file is not None:
        raise InterviewerError("give the answer once: --answer TEXT or --answer-file FILE, not both")
    if answer is None and answer_file is None:
        raise InterviewerError("no answer given", hint="pass --answer-file a.txt (or - for stdin), or --answer TEXT")
    if answer_file is not None:
        if str(answer_file) == "-":
            answer = sys.stdin.read()
        else:
            try:
                answer = answer_file.read_text(encoding="utf-8-sig")
            except FileNotFoundError:
                raise InterviewerError(f"{answer_file}: no such file",
                                       hint="check the path given to --answer-file") from None
            except UnicodeDecodeError:
                raise InterviewerError(f"{answer_file}: not UTF-8 text", hint="save the answer as UTF-8 text") from None
    assert answer is not None
    from ...app.rescue import answer_of
    from ...termsafe import clean_text

    # the rule the app and plain mode apply (stored as typed, minus escapes); a rescue file's header is not
    # part of the answer
    answer = clean_text(answer_of(answer))
    if not answer.strip():
        raise InterviewerError("the answer is empty", hint="write the answer in the file, then run grade again")
    return answer.strip()


def make_grader(svc: Any, *, cache: bool = True):
    """The grader for the effective config; LLM graders get the grade cache."""
    cfg = svc.config.grader
    if cfg.backend == "offline":
        return svc.make_grader()
    from ...backends.registry import make_backend
    from ...grading.llm.cache import GradeCache
    from ...grading.llm.grader import LLMGrader

    return LLMGrader(make_backend(cfg), cfg, cache=GradeCache(svc.store) if cache else None)


async def _grade(svc: Any, attempt: Any, grader: Any):
    from ...grading.service import grade_attempt

    try:
        return await grade_attempt(svc, attempt, grader)
    finally:
        await grader.aclose()


def grade(
    question: Annotated[str, typer.Option("--question", "-q", help="Question id, e.g. llm-q030")],
    answer_file: Annotated[Path | None, typer.Option("--answer-file", "-f",
                                                     help="File with the answer (- reads stdin)")] = None,
    answer: Annotated[str | None, typer.Option(help="The answer as text (instead of --answer-file)")] = None,
    audio_file: Annotated[Path | None, typer.Option("--audio-file", help="A WAV of the answer said out loud: "
                                                    "transcribed with the [voice] settings, graded, and its "
                                                    "delivery (pace, pauses, fillers) measured and stored")] = None,
    backend: BackendOpt = None,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    api_key_env: KeyEnvOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the grade as JSON.")] = False,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Grade again even if this exact answer was "
                                                             "graded before with the same settings.")] = False,
) -> None:
    """Grade one answer: store it, grade it, print a report (or the JSON grade)."""
    svc = _services(backend, model, base_url, api_key_env)
    try:
        bank, q = svc.find_question(question)
        svc.rubric_for(q)  # a missing rubric fails here, before anything is stored
        text, take = _answer_text(svc, audio_file, answer_file, answer)
        try:
            attempt = svc.store.add_attempt(bank_id=bank.id, question_id=q.id, prompt=q.question, answer=text)
            delivery = None
            if take is not None:
                from .voice import keep_spoken

                delivery = keep_spoken(svc, attempt.id, take)
        except DatabaseError as e:  # nothing was stored: say so, and keep the answer where it can be found
            raise _not_saved(svc, e, q, text, answer_file) from None
        stored = _grade_stored(svc, attempt, no_cache=no_cache, as_json=as_json)
        if as_json:
            _print_json(stored.grade, take, delivery)
        else:
            from .grade_report import print_report

            print_report(q, stored.grade, attempt.id, answer=text,
                         rubric=svc.rubrics.get(stored.grade.grader.rubric_id))
            if delivery is not None:
                from .voice import delivery_lines

                typer.echo()
                for line in delivery_lines(delivery):
                    typer.echo(line)
    finally:
        svc.close()


def _answer_text(svc: Any, audio_file: Path | None, answer_file: Path | None, answer: str | None) -> tuple[str, Any]:
    """The answer's text, and the spoken take it was transcribed from (None for a typed answer)."""
    if audio_file is None:
        return _read_answer(answer_file, answer), None
    from .voice import spoken_answer

    if answer is not None or answer_file is not None:
        raise InterviewerError("give the answer once: --audio-file, --answer-file or --answer")
    return spoken_answer(svc, audio_file)


def _grade_stored(svc: Any, attempt: Any, *, no_cache: bool, as_json: bool) -> Any:
    """Grade the stored attempt; a failure is said (the answer is saved) and ends the command."""
    from ...grading.base import GradingError

    try:
        grader = make_grader(svc, cache=not no_cache)
        import asyncio

        return asyncio.run(_grade(svc, attempt, grader))
    except DatabaseError as e:  # the answer is in; the grade could not be written
        raise DatabaseError(f"your answer is saved (attempt {attempt.id}), but its grade could not be: "
                            f"{e.message}", hint=f"{e.hint}; then grade it with `interviewer regrade "
                            f"{attempt.id}`", kind=e.kind, path=e.path) from None
    except GradingError as e:
        _ungraded(attempt.id, e.message, e.hint, as_json)
        raise typer.Exit(1) from None
    except InterviewerError as e:  # configuration problems found while building the grader
        from ...backends.redact import redact

        svc.store.mark_ungraded(attempt.id, redact(e.message))
        _ungraded(attempt.id, redact(e.message), redact(e.hint), as_json)
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        typer.echo(f"interrupted: your answer is saved (attempt {attempt.id}, not graded yet)", err=True)
        raise typer.Exit(130) from None


def _print_json(grade: Any, take: Any, delivery: Any) -> None:
    from ...termsafe import json_safe

    if take is None:
        typer.echo(json_safe(grade.model_dump_json(indent=2)))
    else:  # a spoken answer: the grade, and what was heard and how it was said
        out = {**grade.model_dump(mode="json"), "transcript": take.transcript.text,
               "delivery": delivery.model_dump(mode="json") if delivery else None}
        typer.echo(json_safe(json.dumps(out, indent=2, ensure_ascii=False)))


def _not_saved(svc: Any, err: DatabaseError, question: Any, text: str, answer_file: Path | None) -> DatabaseError:
    """The error for an answer the database could not take, saying where the answer is now: still in the
    file it came from, or in a rescue file (app.rescue) when it came from stdin or --answer."""
    if answer_file is not None and str(answer_file) != "-":
        where = f"your answer is still in {answer_file}"
        again = f"`interviewer grade -q {question.id} --answer-file {answer_file}`"
    else:
        from ...app.rescue import rescue_answer

        kept = rescue_answer(svc.locations.data_dir, text, question_id=question.id, prompt=question.question,
                             reason=err.message)
        if kept is None:
            typer.echo(f"your answer, as typed:\n{text}", err=True)
            where, again = "your answer is printed above", "grade it again"
        else:
            where = f"your answer is in {kept}"
            again = f"`interviewer grade -q {question.id} --answer-file {kept}`"
    return DatabaseError(f"your answer was NOT saved: {err.message}", hint=f"{where}. To fix: {err.hint}; then run {again}",
                         kind=err.kind, path=err.path)


def _ungraded(attempt_id: int, message: str, hint: str, as_json: bool) -> None:
    from ...termsafe import safe

    if as_json:
        typer.echo(json.dumps({"attempt_id": attempt_id, "status": "ungraded", "error": message, "hint": hint}))
    typer.echo(f"ungraded: {safe(message)}" + (f"\n  -> {safe(hint)}" if hint else ""), err=True)
    typer.echo(f"your answer is saved (attempt {attempt_id}); grade it again later: interviewer regrade "
               f"{attempt_id}", err=True)


# ------------------------------------------------------------------------------------------ doctor

ENV_SHOWN = ("INTERVIEWER_HOME", "INTERVIEWER_BACKEND", "INTERVIEWER_MODEL", "INTERVIEWER_BASE_URL",
             "INTERVIEWER_API_KEY_ENV", "INTERVIEWER_TIMEOUT", "OPENAI_BASE_URL", "OLLAMA_HOST")


def doctor(backend: BackendOpt = None, model: ModelOpt = None, base_url: BaseUrlOpt = None,
           api_key_env: KeyEnvOpt = None) -> None:
    """Check that everything is ready: the config, the bank and its rubrics, the database and its folder, then
    the grader for real (reachable, model, structured output). Any of them failing is "not ready" (exit 1)."""
    from ...backends.redact import redact
    from .doctor_setup import setup_checks

    svc, setup = setup_checks(lambda: _services(backend, model, base_url, api_key_env))
    if svc is None:  # the config cannot be read: nothing else can be checked
        typer.echo(f"Configuration\n  config file   {_locations_path()}")
        return _verdict(setup, "", setup)
    try:
        _doctor(svc, setup, redact)
    finally:
        svc.close()


def _locations_path() -> str:
    from ...locations import Locations

    return str(Locations.from_env().config_path)


def _doctor(svc: Any, setup: list[tuple[str, bool, str]], redact: Any) -> None:
    cfg = svc.config.grader
    loc = svc.locations
    out = typer.echo
    out("Configuration")
    out(f"  config file   {loc.config_path}{'' if loc.config_path.exists() else ' (not present: defaults)'}")
    out(f"  database      {loc.db_path}")
    for var in ENV_SHOWN:
        if os.environ.get(var):
            out(f"  env {var} = {redact(os.environ[var])}")
    out(f"  backend       {cfg.backend}")
    out(f"  timeout       {cfg.timeout:g}s per call, deadline {cfg.deadline:g}s per grading, "
        f"max_retries {cfg.max_retries}")
    from .voice import doctor_section  # voice is optional: reported before the checks, never a failed check

    if cfg.backend == "offline":
        out("  model         (none: the offline grader needs no model and no network)")
        doctor_section(svc, out)
        checks = _run_checks(svc.make_grader())
        return _verdict(setup + checks, "offline grading works", setup)
    from ...backends.base import BackendError
    from ...backends.registry import DEFAULT_MODELS, make_backend
    from ...grading.llm.grader import LLMGrader

    try:
        be = make_backend(cfg)
    except BackendError as e:
        out(f"  model         {cfg.model or '(not set)'}")
        return _verdict([*setup, ("grader configuration", False, f"{e.message} -> {e.hint}")], "", setup)
    d = be.describe()
    default = " (default)" if not cfg.model and DEFAULT_MODELS.get(cfg.backend) == be.model else ""
    out(f"  model         {be.model}{default}")
    out(f"  base_url      {d.get('base_url')}")
    key_line = d.get("key variable", "none needed")
    out(f"  API key       {key_line}")
    doctor_section(svc, out)
    checks = _run_checks(LLMGrader(be, cfg))
    _verdict(setup + checks, f"grading with {be.label} works", setup)


def _run_checks(grader: Any) -> list[tuple[str, bool, str]]:
    async def run() -> list[tuple[str, bool, str]]:
        try:
            return list(await grader.check())
        finally:
            await grader.aclose()

    import asyncio

    return asyncio.run(run())


def _verdict(checks: list[tuple[str, bool, str]], ready: str, setup: Sequence[tuple[str, bool, str]] = ()) -> None:
    """Print the checks and the verdict. A failed `setup` check (config, bank, database: doctor_setup) is
    always "not ready"; among the grader's, structured output decides and the others are warnings."""
    from ...termsafe import safe

    checks = [(n, ok, safe(d)) for n, ok, d in checks]  # details quote server replies
    typer.echo("\nChecks")
    for name, ok, detail in checks:
        typer.echo(f"  {'ok  ' if ok else 'FAIL'}  {name}: {detail}")
    structured = [ok for name, ok, _ in checks if name == "structured output"]
    failed = [(n, d) for n, ok, d in checks if not ok]
    blocking = [(n, safe(d)) for n, ok, d in setup if not ok]
    works = not blocking and (structured[-1] if structured else not failed)
    if blocking:
        failed = blocking + [f for f in failed if f not in blocking]
    if works and ready:
        extra = f" ({len(failed)} warning(s) above)" if failed else ""
        typer.echo(f"\nready: {ready}{extra}")
        return
    first = failed[0] if failed else ("check", "no check passed")
    typer.echo(f"\nnot ready: {first[0]}: {first[1]}")
    raise typer.Exit(1)
