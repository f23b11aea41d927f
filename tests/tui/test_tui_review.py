"""Pilot tests of the review dashboard on a seeded history (three sessions at fixed times, test_review_service's
`seeded`): the weakest topics and the most-missed key points are shown as the core computes them, the trend is
plotted, and the due / weakest-first / one-topic sessions start with the right questions."""

from __future__ import annotations

from textual.widgets import OptionList

from interviewer.app import reviewing
from interviewer.core.review import WEAK_BELOW
from tui_helpers import screen_is, tui_app, until, visible_text


def loaded(app):
    return lambda: screen_is(app, "ReviewScreen")() and app.screen.report is not None


async def test_the_dashboard_shows_the_weakest_topics_and_the_key_points_most_missed(services, seeded):  # noqa: F811
    app = tui_app(services, start="review")
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, loaded(app), what="review figures")
        scr = app.screen
        rep = scr.report
        assert rep.now == app.clock()
        topics = visible_text(scr.query_one("#topics-panel"))
        lines = [ln for ln in topics.splitlines() if ln.strip()]
        order = [t for t in ("Attention Mechanisms", "Prompt Engineering", "Training & Fine-tuning")
                 if any(t in ln for ln in lines)]
        assert order == ["Attention Mechanisms", "Prompt Engineering", "Training & Fine-tuning"]
        idx = {t: next(i for i, ln in enumerate(lines) if t in ln) for t in order}
        assert idx["Attention Mechanisms"] < idx["Prompt Engineering"] < idx["Training & Fine-tuning"]
        att = lines[idx["Attention Mechanisms"]]
        assert "weak" in att and f"{rep.topics[0].mastery:.0f}" in att and "█" in att
        assert "weak" not in lines[idx["Training & Fine-tuning"]]
        assert "Fundamentals & Architecture" in topics and "new" in topics  # unpractised topics, as new
        # the definition of weak is on screen, from the core
        definition = " ".join(topics.split())
        assert f"mastery below {WEAK_BELOW:g}" in definition and "newest counting most" in definition
        # "you often leave out": A1's and A2's k2 first, in the bank's words
        bank = seeded["bank"]
        missed = visible_text(scr.query_one("#missed-panel"))
        k2_a1 = bank.get(seeded["A1"]).key_points[1].text
        k2_a2 = bank.get(seeded["A2"]).key_points[1].text
        assert k2_a1[:40] in missed and k2_a2[:40] in missed
        assert missed.index(k2_a1[:40]) < missed.index(k2_a2[:40])
        assert "missed 2/2" in missed
        assert scr.query_one("#missed-panel").border_title == "You often leave out"
        # the trend: one point per day practised, the daily averages
        trend = visible_text(scr.query_one("#trend-panel"))
        assert len(rep.daily) == 3 and "3 days practised" in trend and any(b in trend for b in "▁▂▃▄▅▆▇█")
        first, last = rep.daily[0][1], rep.daily[-1][1]
        assert f" {first:.0f} → " in trend and f" {last:.0f}" in trend
        # the questions due, as the schedule says
        due = reviewing.due_questions(services, now=app.clock())
        assert due and due[0].id == seeded["A1"]
        assert scr.query_one("#due-panel").border_title == f"Due for review ({len(due)})"
        assert due[0].question[:30] in visible_text(scr.query_one("#due-panel"))
        head = visible_text(scr.query_one("#review-headline"))
        # the seed has 9 answers and 1 skip: the skip is "not answered", not an answer
        assert "9 answers, 8 graded, 1 not answered" in head and "1 weak topic" in head and f"{len(due)} due" in head


async def test_a_due_session_from_the_dashboard_takes_the_due_questions_first(services, seeded):  # noqa: F811
    app = tui_app(services, start="review")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, loaded(app))
        due = [q.id for q in reviewing.due_questions(services, now=app.clock())]
        await pilot.press("d")
        await until(pilot, screen_is(app, "QuestionScreen"), what="the first due question")
        items = [it.question.id for it in app.practice.items]
        n = services.config.practice.questions
        assert items[:min(n, len(due))] == due[:n]
        assert items[0] == seeded["A1"] and app.practice.options.order == "due"
        if len(due) < n:  # the rest are the weakest, and the note says so
            assert f"{len(due)} question" in app.practice.note
            rest = [q.id for q in reviewing.weakest_questions(services) if q.id not in due]
            assert items[len(due):len(due) + len(rest)] == rest[:n - len(due)]
        await pilot.press("escape")  # end the session at once
        await until(pilot, lambda: app.practice is None and screen_is(app, "ReviewScreen")(), what="back")
        assert app.screen.report is not None


async def test_weakest_first_and_drilling_one_topic(services, seeded):  # noqa: F811
    app = tui_app(services, start="review")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, loaded(app))
        await pilot.press("w")
        await until(pilot, screen_is(app, "QuestionScreen"))
        weakest = [q.id for q in reviewing.weakest_questions(services)]
        assert [it.question.id for it in app.practice.items] == weakest[:services.config.practice.questions]
        await pilot.press("escape")
        await until(pilot, lambda: app.practice is None and screen_is(app, "ReviewScreen")())
        await pilot.press("t")
        await until(pilot, screen_is(app, "TopicPicker"))
        options = app.screen.query_one(OptionList)
        labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert labels[0].startswith("Attention Mechanisms") and "weak" in labels[0]
        pe = next(i for i, label in enumerate(labels) if label.startswith("Prompt Engineering"))
        options.highlighted = pe
        await pilot.press("enter")
        await until(pilot, screen_is(app, "QuestionScreen"), what="a Prompt Engineering session")
        items = [it.question for it in app.practice.items]
        assert all(q.topic == "Prompt Engineering" for q in items)
        assert items[0].id == seeded["P1"]  # the only scored question of the topic comes first


async def test_an_empty_history_says_what_to_do(services):
    app = tui_app(services, start="review")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, loaded(app))
        scr = app.screen
        assert "No graded answers yet" in visible_text(scr.query_one("#topics-panel"))
        trend = visible_text(scr.query_one("#trend-panel"))
        assert "No graded answers yet" in trend and not any(b in trend for b in "▁▂▃▄▅▆▇█")
        assert "Nothing scheduled yet" in visible_text(scr.query_one("#due-panel"))
        assert "0 answers" in visible_text(scr.query_one("#review-headline"))


async def test_home_offers_review_and_history(services, seeded):  # noqa: F811
    app = tui_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, screen_is(app, "HomeScreen"))
        assert app.screen.query_one("#review").display and app.screen.query_one("#history").display
        await pilot.press("r")
        await until(pilot, loaded(app))
        await pilot.press("h")
        await until(pilot, screen_is(app, "HistoryScreen"))
        await pilot.press("escape")
        await until(pilot, screen_is(app, "ReviewScreen"))
        await pilot.press("escape")
        await until(pilot, screen_is(app, "HomeScreen"))
        assert "Due for review: " in visible_text(app.screen.query_one("#overview"))


async def test_home_due_count_comes_from_the_schedule_brought_up_to_date(services, seeded):  # noqa: F811
    """The seed wrote grades without any schedule sync (review_state is empty, the cards are marked for
    replay): home shows the due count of the FSRS cards those grades imply, once its worker has synced."""
    bank = seeded["bank"]
    assert services.store.review_schedule(bank.id) == {}
    app = tui_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, screen_is(app, "HomeScreen"))
        n = len(reviewing.due_questions(services, now=app.clock()))
        assert n > 0
        await until(pilot, lambda: f"Due for review: {n}" in visible_text(app.screen.query_one("#overview")),
                    what="the synced due count")
        weakest = visible_text(app.screen.query_one("#overview")).split("Weakest: ", 1)[1]
        assert weakest.startswith("Attention Mechanisms")  # core.review mastery, as on the dashboard
