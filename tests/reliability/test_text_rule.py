"""Text in = text stored = text shown: one rule (termsafe.clean_text) for what a person types or pastes, in the
app's answer editor, in plain mode and in a file given to `grade`.

The same hostile answer (a colour escape, an OSC 52 clipboard write, a right-to-left override, CR LF line
ends, a bell) goes in through each front end; each stores the same text, the one clean_text gives, and the
app's editor shows exactly that text before it is submitted.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from interviewer.app.practice import SessionOptions
from interviewer.cli.commands.practice import run_plain
from interviewer.termsafe import clean_text, safe
from tui_helpers import screen_is, tui_app, until

BIN = Path(sys.executable).with_name("interviewer")
HOSTILE = ("Attention \x1b[31mweighs\x1b[0m every token\x07 by \u202equery-key\u202c similarity.\r\n"
           "Scaled by \x1b]52;c;ZXZpbA==\x07sqrt(d_k);\ttabs stay.")
CLEAN = "Attention weighs every token by query-key similarity.\nScaled by sqrt(d_k);\ttabs stay."


@pytest.mark.parametrize(("raw", "want"), [
    (HOSTILE, CLEAN),
    ("plain text, unchanged\n\twith a tab", "plain text, unchanged\n\twith a tab"),
    ("hyperlink \x1b]8;;http://x\x1b\\here\x1b]8;;\x1b\\ done", "hyperlink here done"),
    ("8-bit CSI \x9b2J gone, C1 \x85 gone", "8-bit CSI  gone, C1  gone"),
    ("isolates \u2066a\u2069 and embeddings \u202ab\u202c go", "isolates a and embeddings b go"),
    ("cursor save \x1b7 and charset \x1b(B go", "cursor save  and charset  go"),
    ("lone CR\roverwrites nothing", "lone CR\noverwrites nothing"),
])
def test_clean_text_removes_whole_sequences_and_keeps_the_words(raw, want):
    assert clean_text(raw) == want
    assert safe(clean_text(raw)) == clean_text(raw)  # nothing left that could drive a terminal
    assert clean_text(want) == want  # cleaning twice changes nothing
    assert safe(want) == want  # what is stored is shown as it is


def test_grade_stores_the_file_cleaned(isolated_home, tmp_path):
    f = tmp_path / "answer.txt"
    f.write_bytes(HOSTILE.encode())
    r = subprocess.run([str(BIN), "grade", "-q", "llm-q021", "--answer-file", str(f), "--json"], capture_output=True,
                       text=True, env={**os.environ, "INTERVIEWER_HOME": str(isolated_home)}, timeout=60)
    assert r.returncode == 0, r.stderr
    from interviewer.app.services import Services

    svc = Services.create()
    assert [a.answer for a in svc.store.attempts()] == [CLEAN]
    svc.close()


def test_plain_mode_stores_the_lines_cleaned(services):
    out = io.StringIO()
    typed = HOSTILE.replace("\r\n", "\n") + "\n\n\n"  # the answer, the empty line that ends it, no follow-up
    run_plain(services, SessionOptions(order="in-order", count=1), io.StringIO(typed), out)
    assert [a.answer for a in services.store.attempts() if a.parent_id is None] == [CLEAN]
    assert safe(out.getvalue()) == out.getvalue()


async def test_a_paste_in_the_app_shows_and_stores_the_cleaned_text(services):
    """A bracketed paste arrives as one Paste event holding the raw bytes (the pasted text between the
    terminal's ESC [200~ and ESC [201~, escapes and all); the editor shows the cleaned text at
    once (no ^[31m, nothing reordered), the cursor stays at the end of what was pasted, and Ctrl+S stores
    exactly what was shown."""
    from textual import events
    from textual.widgets import TextArea

    app = tui_app(services, start=SessionOptions(count=1, order="in-order"))
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, screen_is(app, "QuestionScreen"))
        ta = app.screen.query_one("#answer", TextArea)
        app.post_message(events.Paste(HOSTILE))  # as the terminal driver delivers it: the app hands it on
        await until(pilot, lambda: ta.text == CLEAN, what="cleaned editor")
        assert ta.cursor_location == (1, len(CLEAN.split("\n")[1]))
        ta.insert(" More.")  # typing goes on where the paste ended
        await pilot.pause()
        await pilot.press("ctrl+s")
        await until(pilot, lambda: bool(services.store.attempts()), what="saved answer")
    assert [a.answer for a in services.store.attempts()] == [CLEAN + " More."]


@pytest.mark.parametrize("cut", ["whole", "in pieces", "a character at a time"])
def test_the_terminal_parser_keeps_a_bracketed_paste_whole(cut):
    """Textual's parser replays an ESC inside a paste as key presses ("^[31m" typed at the cursor) and sends
    the text before it last. tui.paste keeps the paste whole and in order, however the reads cut it."""
    from interviewer.tui.paste import PasteSafeParser

    raw = f"x\x1b[200~{HOSTILE}\x1b[201~y"
    chunks = {"whole": [raw], "in pieces": [raw[:5], raw[5:40], raw[40:-4], raw[-4:]],
              "a character at a time": list(raw)}[cut]
    parser = PasteSafeParser()
    events = [e for c in chunks for e in parser.feed(c)]
    kinds = [(type(e).__name__, getattr(e, "text", None) or getattr(e, "character", None)) for e in events]
    assert kinds == [("Key", "x"), ("Paste", HOSTILE), ("Key", "y")]


def test_escape_and_keys_are_not_held_back(monkeypatch):
    import time as _time

    from interviewer.tui.paste import HOLD, PasteSafeParser

    parser = PasteSafeParser()
    events = list(parser.feed("\x1b"))  # a lone Escape press: the beginning of a paste marker, or a key
    _time.sleep(HOLD + 0.01)
    events += list(parser.tick())
    _time.sleep(0.2)  # Textual's own escape delay
    events += list(parser.tick())
    assert [e.key for e in events] == ["escape"]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (.ci/run installs it)")
def test_a_bracketed_paste_in_a_real_terminal_is_shown_and_stored_cleaned(isolated_home, tmp_path):
    """The issue's case, in tmux: a bracketed paste (tmux paste-buffer -p) holding a colour escape, an OSC 52
    write and a right-to-left override. The editor shows the cleaned text in order (no ^[31m, nothing
    reordered) and exactly that is stored."""
    from faultkit import Terminal

    pasted = "A model \x1b[31mtrained\x1b[0m on \u202etext\u202c at scale.\x1b]52;c;ZXZpbA==\x07 Done."
    clean = "A model trained on text at scale. Done."
    buf = tmp_path / "paste.txt"
    buf.write_text(pasted)
    term = Terminal([str(BIN), "practice", "-n", "1", "--order", "in-order"],
                    {"INTERVIEWER_HOME": str(isolated_home), "TERM": "xterm-256color"})
    try:
        term.wait_for("Question 1/1", "Ctrl+S")
        term.tmux("load-buffer", str(buf))
        term.tmux("paste-buffer", "-p", "-t", "iv")
        screen = term.wait_for(clean)
        assert "^[" not in screen and "52;c" not in screen
        term.type(" More.")
        term.wait_for("Done. More.")
        term.keys("C-s")
        term.wait_for("/ 100", timeout=30)
    finally:
        term.close()
    from interviewer.app.services import Services

    svc = Services.create()
    assert [a.answer for a in svc.store.attempts()] == [clean + " More."]
    svc.close()
