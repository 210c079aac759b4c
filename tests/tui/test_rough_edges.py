"""The console's rough edges (#20), each as an operator met it: where the cursor goes after an
action, pasted text, the save-view dialog, the intake form's notice, bulk confirmations, times
and words in the operator's own zone and language, quitting mid-keystroke, huge descriptions,
and a form sent while the store is away."""

from __future__ import annotations

from textual import events
from textual.widgets import Input, Static

from console.app import GridcallApp
from console.domain.actions import Action
from console.domain.enums import Status
from console.domain.errors import StoreError
from console.domain.sla import SlaClock
from console.i18n import t, when
from console.queries import cases as q
from console.queries import views as qv
from console.services.cases import act
from console.services.views import delete_view
from console.views.screens.action_forms import Confirm
from console.views.screens.intake import IntakeScreen
from console.views.widgets.queue import QueueView
from tests.people import add_trainer
from tests.tui.conftest import OPERATOR, AppFactory, report, screen_text
from tests.tui.quiet import until_quiet
from tests.tui.test_actions import select

SIZE = (100, 30)


def queue_of(app: GridcallApp) -> QueueView:
    return app.screen_stack[1].query_one(QueueView)


def toasts(app: GridcallApp) -> list[str]:
    return [n.message for n in app._notifications]


# --- 1. the cursor after an action ---------------------------------------------------------------


async def test_an_action_leaves_the_cursor_on_the_case_it_acted_on(
    busy, console_app: AppFactory
) -> None:
    (code,) = report(busy)
    app = console_app(busy, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await until_quiet(pilot)
        await select(app, pilot, code)  # view 1: every open case, accepted ones too
        await pilot.press("a")
        await until_quiet(pilot)
        assert q.detail(busy, q.DISTRICT_WIDE, code).row.status is Status.ACCEPTED
        queue = queue_of(app)
        assert queue.current_row is not None and queue.current_row.code == code
        assert "left this view" not in " ".join(toasts(app))


async def test_a_case_that_leaves_the_view_says_where_the_cursor_went(
    busy, console_app: AppFactory
) -> None:
    codes = report(busy, 2)
    app = console_app(busy, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await until_quiet(pilot)
        await pilot.press("2")  # new from 12345: an accepted case is no longer in it
        await until_quiet(pilot)
        await select(app, pilot, codes[0])
        await pilot.press("a")
        await until_quiet(pilot)
        queue = queue_of(app)
        landed = queue.current_row
        assert landed is not None and landed.code != codes[0]
        said = t("act.left_view", "en", code=codes[0], action="accept", landed=landed.code)
        assert said in toasts(app)
        assert f"{codes[0]}: accept done, and it left this view; cursor on {landed.code}" == said


# --- 10. q then a key at once --------------------------------------------------------------------


async def test_a_key_right_after_quit_is_ignored(busy, console_app: AppFactory) -> None:
    (code,) = report(busy, accepted=True)
    app = console_app(busy, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await until_quiet(pilot)
        await select(app, pilot, code)
        # As a terminal sends them, both in before the first is handled.
        for key in ("q", "d"):
            app.post_message(events.Key(key, key))
        await pilot.pause()
    assert app.return_code in (0, None)
    assert app._exception is None


# --- 2, 4, 12. the intake form -------------------------------------------------------------------


async def test_pasted_control_characters_are_dropped_and_focus_stays(
    busy, console_app: AppFactory
) -> None:
    app = console_app(busy)
    async with app.run_test(size=(80, 24)) as pilot:
        await until_quiet(pilot)
        await pilot.press("n")
        await until_quiet(pilot)
        title = app.screen.query_one("#title", Input)
        assert app.focused is title
        app.post_message(events.Paste("A\x1bB\x07"))
        await pilot.pause()
        await pilot.press("x")
        assert title.value == "ABx"
        assert app.focused is title
        await pilot.press("tab")  # the description
        app.post_message(events.Paste("one\x1b[31m\r\ntwo\x00"))
        await pilot.pause()
        assert app.screen.query_one("#description").text == "one[31m\ntwo"  # type: ignore[attr-defined]


async def test_the_notice_of_missing_fields_clears_as_they_are_filled(
    busy, console_app: AppFactory
) -> None:
    app = console_app(busy, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await until_quiet(pilot)
        await pilot.press("n")
        await until_quiet(pilot)
        await pilot.press("ctrl+s")  # nothing typed: every required field is named
        await until_quiet(pilot)
        notice = app.screen.query_one("#intake-problems", Static)
        assert "Title: required" in screen_text(notice)
        await pilot.press(*"Broken manhole")
        await pilot.pause()
        assert "Title" not in screen_text(notice)
        assert "Address: required" in screen_text(notice)
        assert not app.screen.query_one("#row-title").has_class("-invalid")


async def test_a_form_sent_while_the_store_is_away_keeps_its_text(
    busy, console_app: AppFactory, monkeypatch
) -> None:
    app = console_app(busy, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await until_quiet(pilot)

        def away(*_: object) -> None:
            raise StoreError()

        monkeypatch.setattr(app.session, "report", away)
        await pilot.press("n")
        await until_quiet(pilot)
        await pilot.press(*"Lamp out", "enter", "tab")
        await pilot.press(*"010102", "enter")  # a category by its code
        await until_quiet(pilot)
        await pilot.press("enter", *"LJ010101", "enter")
        await until_quiet(pilot)
        await pilot.press(*"1 Riverside Road")
        await pilot.press("ctrl+s")
        await until_quiet(pilot)
        assert isinstance(app.screen, IntakeScreen)
        assert app.screen.query_one("#title", Input).value == "Lamp out"
        assert app.screen.query_one("#address", Input).value == "1 Riverside Road"
        notice = screen_text(app.screen.query_one("#intake-problems", Static))
        said = t("form.kept", "en", reason=t("error.store", "en"))
        assert said == "the store is unavailable; your text is kept, try again"
        assert said in notice


# --- 6. times in the centre's zone -------------------------------------------------------------


async def test_a_conflict_gives_the_time_in_the_centres_zone(busy, console_app: AppFactory) -> None:
    from console.domain.workflow import Params
    from console.views.screens.action_forms import ConflictNotice

    (code,) = report(busy)
    app = console_app(busy, lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await until_quiet(pilot)
        await select(app, pilot, code)
        act(busy, SlaClock(), "op.jiangbin2", code, Action.NOTE, Params(text="又来电"))
        await pilot.press("a")
        await until_quiet(pilot)
        notice = app.screen
        assert isinstance(notice, ConflictNotice)
        said = screen_text(notice.query_one("#conflict-message"))
        last = q.detail(busy, q.DISTRICT_WIDE, code).timeline[0].at
        assert when(last, app.session.tz, seconds=True) in said
        assert "UTC" not in said


# --- 7. the header and the palette in the operator's language ----------------------------------


async def test_the_english_header_words_the_role_in_english(busy, console_app: AppFactory) -> None:
    trainer = add_trainer(busy)  # by hand: the demo makes one only in a training store
    app = console_app(busy, login=trainer, lang="en")
    async with app.run_test(size=(160, 30)) as pilot:
        await until_quiet(pilot)
        line = app.header._line
        name = app.session.user.name
        assert f"{name} (trainer)" in line
        assert "（" not in line and "）" not in line
    app = console_app(busy, login=trainer, lang="zh")
    async with app.run_test(size=(160, 30)) as pilot:
        await until_quiet(pilot)
        assert f"{name}（培训师）" in app.header._line


async def test_the_chinese_palette_says_nothing_matches_in_chinese(
    busy, console_app: AppFactory
) -> None:
    app = console_app(busy, lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await until_quiet(pilot)
        await pilot.press("ctrl+p", *"qqqqzzzz")
        await until_quiet(pilot, 1.0)
        shown = " ".join(
            str(o.prompt)
            for o in app.screen.query_one("CommandList").options  # type: ignore[attr-defined]
        )
        assert "No matches found" not in shown
        assert t("ui.palette_none", "zh") in shown


# --- 5. a bulk confirmation counts what it can do ----------------------------------------------


async def test_a_bulk_confirmation_counts_the_cases_it_can_act_on(
    busy, console_app: AppFactory
) -> None:
    codes = report(busy, 4)
    act(busy, SlaClock(), OPERATOR, codes[3], Action.ACCEPT)  # no longer acceptable
    app = console_app(busy, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await until_quiet(pilot)
        for code in codes:
            await select(app, pilot, code)
            await pilot.press("space")
        await until_quiet(pilot)
        assert len(queue_of(app).marked) == 4
        await pilot.press("a")
        await until_quiet(pilot)
        confirm = app.screen
        assert isinstance(confirm, Confirm)
        assert confirm.question.startswith("accept 3 of 4 marked cases? (1 cannot be done: ")
        assert codes[3] in confirm.question
        await pilot.press("y")
        await until_quiet(pilot)
        statuses = {q.detail(busy, q.DISTRICT_WIDE, c).row.status for c in codes}
        assert statuses == {Status.ACCEPTED}


# --- 3. the save-view dialog keeps the typed name ----------------------------------------------


async def test_the_typed_view_name_is_the_saved_name_whatever_the_focus(
    busy, console_app: AppFactory
) -> None:
    login = "sup.district2"  # one whose saved views no other test here touches
    app = console_app(busy, login=login, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await until_quiet(pilot)
        await pilot.press("S")
        await pilot.pause()
        name = app.screen.query_one("#save-name", Input)
        await pilot.press("8")  # a slot, from the slot list
        assert app.focused is name
        await pilot.press(*"night 1")  # the suggested name makes way for the typed one
        await pilot.press("tab")  # back to the slots
        await pilot.press(*"8b")  # typed on the list: a name, after the slot's digit
        await pilot.press("enter")
        await until_quiet(pilot)
    try:
        [saved] = qv.saved_views(busy, login)
        assert (saved.slot, saved.name) == (8, "night 1b")
    finally:
        delete_view(busy, login, 8)


async def test_a_name_typed_in_one_burst_keeps_its_digits(busy, console_app: AppFactory) -> None:
    # Keys typed faster than focus moves (a burst over SSH, tmux send-keys) reached the slot
    # list after the first had sent focus to the name: `ab18` was saved as `ab`, in slot 8.
    login = "sup.district2"
    app = console_app(busy, login=login, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await until_quiet(pilot)
        await pilot.press("S")
        await pilot.pause()
        for key in "3ab18":  # one burst on the list: slot 3, then the name
            app.post_message(events.Key(key, key))
        await pilot.pause()
        assert app.screen.query_one("#save-name", Input).value == "ab18"
        await pilot.press("enter")
        await until_quiet(pilot)
    try:
        [saved] = qv.saved_views(busy, login)
        assert (saved.slot, saved.name) == (3, "ab18")
    finally:
        delete_view(busy, login, 3)


# --- 8. the grid browser and the help at 80×24 -------------------------------------------------


async def test_the_grid_card_shows_every_recent_category_at_80x24(
    busy, console_app: AppFactory
) -> None:
    from console.queries.reference import name_in
    from console.views.screens.grid_browser import REST

    app = console_app(busy, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await until_quiet(pilot)
        await pilot.press("b")
        await until_quiet(pilot, REST)
        grid = app.screen.query_one("Tree").cursor_node.data  # type: ignore[attr-defined]
        card = app.session.grid_card(grid.id)
        assert len(card.recent) >= 1
        body = screen_text(app.screen.query_one("#browser-card-body"))
        for category, _ in card.recent:
            assert name_in(category, "en").replace(" ", "\u00a0") in body
        assert app.screen.query_one("#browser-card").max_scroll_y == 0  # nothing scrolled away


# --- 11. a huge description ---------------------------------------------------------------------


async def test_a_huge_description_shows_a_bounded_prefix_and_says_so(
    busy, console_app: AppFactory
) -> None:
    from sqlalchemy import text

    from console.services.cases import create_case
    from console.views.widgets.case_pane import DESCRIPTION_SHOWN, CasePane
    from tests.tui.conftest import manhole

    huge = "积水" * 500_000 + "末尾"  # a million characters, from an old import
    code = create_case(busy, SlaClock(), OPERATOR, manhole(busy)).code
    # Typed in, it is refused (console.domain.limits); an import or an older release kept it.
    busy.write(
        lambda s: s.execute(
            text("UPDATE cases SET description = :d WHERE code = :code"), {"d": huge, "code": code}
        )
    )
    app = console_app(busy, lang="en")
    async with app.run_test(size=(160, 48)) as pilot:
        await until_quiet(pilot)
        await select(app, pilot, code)
        await until_quiet(pilot)
        text = " ".join(app.screen.query_one(CasePane).text.split())  # unwrapped
        more = len(huge) - DESCRIPTION_SHOWN
        assert t("ui.description_more", "en", n=f"{more:,}", code=code) in text
        assert "末尾" not in text
        assert text.replace(" ", "").count("积水") == DESCRIPTION_SHOWN // 2


async def test_an_action_form_sent_while_the_store_is_away_comes_back_with_its_text(
    busy, console_app: AppFactory, monkeypatch
) -> None:
    from console.views.screens.action_forms import ActionForm

    (code,) = report(busy)
    app = console_app(busy, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await until_quiet(pilot)
        await select(app, pilot, code)

        def away(*_: object, **__: object) -> None:
            raise StoreError()

        monkeypatch.setattr(app.session, "act", away)
        await pilot.press("x")  # reject: a reason, then y
        await until_quiet(pilot)
        await pilot.press(*"prank call", "enter")
        await until_quiet(pilot)
        if isinstance(app.screen, Confirm):
            await pilot.press("y")
        await until_quiet(pilot)
        form = app.screen
        assert isinstance(form, ActionForm)
        assert form.query_one("#field-reason", Input).value == "prank call"
        hint = screen_text(form.query_one(".form-hint", Static))
        assert t("form.kept", "en", reason=t("error.store", "en")) in hint
        assert q.detail(busy, q.DISTRICT_WIDE, code).row.status is Status.REPORTED
