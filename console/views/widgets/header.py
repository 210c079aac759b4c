"""The header line: centre, user, clock, counts, the store and the live connection."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from rich.cells import cell_len
from textual.reactive import reactive
from textual.widgets import Static

from console import wallclock
from console.i18n import t
from console.queries.counts import Counts


class CentreHeader(Static):
    """Centre, user and role, clock, counts, the store and the live connection's state.

    On a narrow terminal it drops, in turn, the centre's suffix, the role and the store kind,
    so the counts and the live state always show.
    """

    DEFAULT_CSS = """
    CentreHeader {
        height: 1;
        background: $primary-background;
        color: $text;
        text-style: bold;
    }

    CentreHeader.-flash {
        background: $error;
        color: $text;
    }
    """

    counts: reactive[Counts | None] = reactive(None)
    live: reactive[bool] = reactive(True)

    def __init__(
        self, place: str, name: str, role: str, store_kind: str, tz: ZoneInfo, lang: str
    ) -> None:
        super().__init__(id="header")
        self.lang = lang
        self.place = place
        self.user_name = name
        self.user_role = role
        self.store_kind = store_kind
        self.tz = tz

    def on_mount(self) -> None:
        self.set_interval(30, self.refresh)

    def flash(self) -> None:
        self.add_class("-flash")
        self.set_timer(2.0, lambda: self.remove_class("-flash"))

    def render(self) -> str:
        lang = self.lang
        clock = wallclock.now().astimezone(self.tz).strftime("%m-%d %H:%M")
        c = self.counts
        figures = (
            f"{t('ui.new', lang)} {c.new}  {t('ui.red', lang)} {c.red}  "
            f"{t('ui.mine', lang)} {c.mine}"
            if c
            else "…"
        )
        live = t("ui.live_on" if self.live else "ui.live_off", lang)
        width = self.size.width or 80
        for centre, who, store in (
            (
                self.place + t("ui.centre", lang),
                f"{self.user_name}（{self.user_role}）",
                self.store_kind,
            ),
            (self.place, f"{self.user_name}（{self.user_role}）", self.store_kind),
            (self.place, self.user_name, self.store_kind),
            (self.place, self.user_name, ""),
        ):
            tail = f"{store} {live}".strip()
            text = f" {centre} │ {who} │ {clock} │ {figures} │ {tail}"
            if cell_len(text) <= width:
                return text
        return text
