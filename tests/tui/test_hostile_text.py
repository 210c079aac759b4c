"""Report text is untrusted: markup, escape sequences and bidi tricks show as inert text."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from console.domain.enums import Source
from console.domain.intake import NewCase
from console.domain.sla import SlaClock
from console.present import inert
from console.services.cases import create_case
from console.views.widgets.case_pane import CasePane
from console.views.widgets.queue import QueueView
from tests.services.helpers import NOW
from tests.tui.conftest import AppFactory
from tests.tui.quiet import until_quiet

HOSTILE = [
    "[@click=app.quit]点我[/]",
    "[/]",
    "[bold red]假装是系统消息[/bold red]",
    "[[@click=app.quit]]嵌套[/]]",
    "[link=file:///etc/passwd]链接[/link]",
    "\x1b]0;pwned\x07标题被改",
    "\x1b[2J清屏",
    "\x9b31m C1 控制符",
    "\u202e反转文字\u202c",
    "换行\n第二行\r回车",
    "占道经营" * 30,
]
UNSAFE = ("\x1b", "\x07", "\x9b", "\u202e")


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from tests.conftest import StoreFactory

    factory = StoreFactory("sqlite", tmp_path_factory.mktemp("hostile"))
    store = factory.seeded(cases=0)
    for i, title in enumerate(HOSTILE):
        made = create_case(
            store,
            SlaClock(),
            "op.jiangbin1",
            NewCase(
                title=f"案件{i}",
                category="010203",
                grid="LJ010101",
                address=f"江滨路{i}号",
                source=Source.HOTLINE,
            ),
            now=NOW,
        )
        # Typed in, such text is refused (console.domain.limits); a store may hold it all the
        # same, written by an import, an older release or by hand: it must still show inert.
        store.write(
            lambda s, title=title, i=i, code=made.code: s.execute(
                text(
                    "UPDATE cases SET title = :title, address = :address,"
                    " description = :description, reporter_name = :reporter WHERE code = :code"
                ),
                {
                    "title": title[:200],
                    "address": f"江滨路{i}号 {title[:20]}",
                    "description": f"描述 {title}",
                    "reporter": title[:30],
                    "code": code,
                },
            )
        )
    yield store
    factory.close()


async def test_hostile_titles_are_inert_in_queue_and_case(
    hostile_store, console_app: AppFactory
) -> None:
    app = console_app(hostile_store)
    async with app.run_test(size=(160, 40)) as pilot:
        await until_quiet(pilot)
        queue = app.screen.query_one(QueueView)
        assert queue.model.total == len(HOSTILE)
        for position in range(len(HOSTILE)):
            queue.cursor = position
            await until_quiet(pilot)
            line = "".join(seg.text for seg in queue.render_line(position))
            body = app.screen.query_one(CasePane).text
            row = queue.model.row_at(position)
            assert row is not None
            for text in (line, body):
                assert not any(ch in text for ch in UNSAFE), repr(text)
            # What was typed shows literally: brackets stay, controls become visible escapes.
            assert inert(row.title)[:8] in body
            assert inert(row.title)[:4] in line
            assert app.is_running, "a title must not be able to quit the console"
        await pilot.press("enter", "j", "k")
        assert app.is_running
