"""The header line: centre, user, clock, counts, the store and the live connection."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from rich.cells import cell_len
from textual.reactive import reactive
from textual.widgets import Static

from console import wallclock
from console.i18n import t, when
from console.queries.counts import Counts
from console.views.context import glyphs_of


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

    /* The terminal's own background, or none: the header stands out in reverse video. */
    CentreHeader:ansi, CentreHeader:nocolor {
        text-style: bold reverse;
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

    _line = ""  # the line last drawn
    reserve = 0  # cells at the line's right end another widget covers (the training banner)

    def on_mount(self) -> None:
        self._at_next_minute()

    def _at_next_minute(self) -> None:
        # On the minute, with the console's minute redraw: the clock is never late, and a
        # quiet console sends what it sends once a minute, together.
        self.set_timer(wallclock.to_next_minute(wallclock.now()), self._minute)

    def _minute(self) -> None:
        self._at_next_minute()
        if self._line_for((self.size.width or 80) - self.reserve) != self._line:
            self.refresh()

    def flash(self) -> None:
        self.add_class("-flash")
        self.set_timer(2.0, lambda: self.remove_class("-flash"))

    def render(self) -> str:
        self._line = line = self._line_for((self.size.width or 80) - self.reserve)
        return line

    def _line_for(self, width: int) -> str:
        lang = self.lang
        glyphs = glyphs_of(self)
        clock = when(wallclock.now(), self.tz)
        c = self.counts
        figures = (
            f"{t('ui.new', lang)} {c.new}  {t('ui.red', lang)} {c.red}  "
            f"{t('ui.mine', lang)} {c.mine}"
            if c
            else glyphs.ellipsis
        )
        live = (
            f"{glyphs.live} {t('ui.live_on', lang)}"
            if self.live
            else f"{glyphs.offline} {t('ui.live_off', lang)}"
        )
        # Names stay as they are; the role and the brackets around it follow the language.
        role = t(
            "ui.who",
            lang,
            name=self.user_name,
            role=self.user_role,
            open=glyphs.open,
            close=glyphs.close,
        )
        bar = glyphs.bar
        for centre, who, store in (
            (self.place + t("ui.centre", lang), role, self.store_kind),
            (self.place, role, self.store_kind),
            (self.place, self.user_name, self.store_kind),
            (self.place, self.user_name, ""),
        ):
            tail = f"{store} {live}".strip()
            text = f" {centre} {bar} {who} {bar} {clock} {bar} {figures} {bar} {tail}"
            if cell_len(text) <= width:
                return text
        return text
