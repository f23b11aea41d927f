"""What keeps starts fast (benchmarks/startup.py): the parsed-bank cache, counting kept answers in SQL, and the
FSRS package imported only when a card must be replayed. Each is checked for giving the same results."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib

import pytest

from _review_seed import add, day
from interviewer.app import reviewing
from interviewer.core.bank import load_bank
from interviewer.core.errors import BankError
from interviewer.core.models import AttemptKind

BANK = """[bank]
id = "mini"
title = "Mini"

[[questions]]
id = "q1"
number = 1
topic = "T"
question = "What is a token?"
reference = "A unit of text."
"""


def test_bank_cache_gives_the_same_bank_and_skips_the_toml_parser(tmp_path, monkeypatch):
    p = tmp_path / "mini.toml"
    p.write_text(BANK)
    cache = tmp_path / "cache"
    uncached = load_bank(p)
    assert load_bank(p, cache) == uncached
    assert len(list(cache.glob("toml-*.json"))) == 1
    monkeypatch.setattr(tomllib, "loads", lambda *_a, **_k: pytest.fail("parsed again"))
    assert load_bank(p, cache) == uncached


def test_bank_cache_follows_edits_and_survives_a_broken_cache(tmp_path):
    p = tmp_path / "mini.toml"
    p.write_text(BANK)
    cache = tmp_path / "cache"
    load_bank(p, cache)
    p.write_text(BANK.replace("What is a token?", "What is a tokenizer?"))
    assert load_bank(p, cache).questions[0].question == "What is a tokenizer?"
    [kept] = cache.glob("toml-*.json")
    assert json.loads(kept.read_text())["data"]["questions"][0]["question"] == "What is a tokenizer?"
    kept.write_text("{not json")
    assert load_bank(p, cache).questions[0].question == "What is a tokenizer?"
    p.write_text(BANK.replace('id = "q1"', 'id = "Q 1"'))
    with pytest.raises(BankError) as e:  # errors still name the file and line, cached or not
        load_bank(p, cache)
    assert e.value.line is not None and "mini.toml" in str(e.value)


def test_services_cache_banks_in_the_data_dir(services):
    assert services.bank().id == "llm-100"
    assert list(services.locations.cache_dir.glob("toml-*.json"))


def test_ungraded_count_is_the_number_of_answers_a_regrade_would_take(services):
    st = services.store
    q = services.bank().questions[0].id
    a = add(st, q, day(0), 70)
    add(st, q, day(1))                                  # grading failed
    add(st, q, day(2), kind=AttemptKind.skipped)        # nothing to grade
    add(st, q, day(3), parent_id=a)                     # a follow-up that failed
    st.add_attempt(bank_id="llm-100", question_id=q, prompt="p", answer="kept")  # pending
    assert reviewing.ungraded_count(services) == len(reviewing.regrade_targets(services, ungraded=True)) == 3


def test_reading_the_schedule_does_not_import_fsrs(services, isolated_home):
    add(services.store, services.bank().questions[0].id, day(0), 80)
    reviewing.report(services, now=day(1))  # replays the card (imports fsrs in this process)
    services.close()
    code = ("import sys\nfrom datetime import UTC, datetime\nfrom interviewer.app import reviewing\n"
            "from interviewer.app.services import Services\ns = Services.create()\n"
            "r = reviewing.report(s, now=datetime(2025, 3, 2, tzinfo=UTC))\n"
            "print(r.cards, 'fsrs' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"INTERVIEWER_HOME": str(isolated_home), "PATH": ""})
    assert out.stdout.split() == ["1", "False"]
