"""Text search as the operator sees it: `gridcall run` on a pseudo-terminal of 160×48, `/`,
a term typed in one burst, and the time from that last keystroke until the terminal's screen
shows the term's rows, then its count in the view bar. The console's typing pause (DEBOUNCE)
falls inside both: the operator waits it too."""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable

from console.bench.figures import SEARCH_COUNT, SEARCH_ROWS_DISTRICT, SEARCH_ROWS_STREET, Samples
from console.bench.terminal import Terminal, console
from console.bench.terms import Term

CASE_CODE = re.compile(r"[A-Z]20\d\d-\d{7}")
PANE = "▏"  # the border between the queue and the case pane
BAR = "│"
ESCAPE = b"\x1b"
WAIT = 60.0  # seconds a search may take before the bench gives up on it


class Queue:
    """The queue's part of a console's screen: its view bar and the codes of its rows."""

    def __init__(self, term: Terminal) -> None:
        self.term = term
        term.wait_for(lambda: bool(self.codes()), WAIT)
        lines = self._left()
        first = next(y for y, line in enumerate(lines) if CASE_CODE.search(line))
        self.bar_line = first - 2  # the view bar, above the column headings
        term.wait_for(self.counted, WAIT)
        term.settle(0.5)

    def _left(self) -> list[str]:
        return [line.split(PANE, 1)[0] for line in self.term.lines]

    def codes(self) -> list[str]:
        return [m.group() for line in self._left() if (m := CASE_CODE.search(line))]

    def bar(self) -> str:
        return self._left()[self.bar_line]

    def searched(self, text: str) -> bool:
        """The view bar says the queue is searched for `text`."""
        return f"/{text}" in self.bar()

    def counted(self) -> bool:
        """The view bar shows a count, not the ellipsis of one on its way."""
        return any(c.isdigit() for c in self.bar().rstrip().rsplit(BAR, 1)[-1])

    def time_search(self, text: str) -> tuple[float, float]:
        """`/`, then `text` in one burst: ms from it to the rows of the search on screen (the
        rows differ from the queue's; or, where the search's first rows are the queue's own,
        its count shown), and to the count shown; then Esc, and wait for the queue back."""
        term, queue = self.term, self.codes()
        foot = term.lines[-3:]
        term.type("/")
        term.wait_for(lambda: term.lines[-3:] != foot, WAIT)
        term.settle(0.1)  # the search line opened: the queue may have lost a row to it
        before = self.codes()
        typed = term.type(text)
        rows = term.wait_for(
            lambda: self.searched(text) and (self.codes() != before or self.counted()), WAIT
        )
        count = term.wait_for(lambda: self.searched(text) and self.counted(), WAIT)
        term.type(ESCAPE)
        term.wait_for(
            lambda: not self.searched(text) and self.counted() and self.codes() == queue, WAIT
        )
        return (rows - typed) * 1000, (count - typed) * 1000


def time_searches(
    url: str,
    logins: tuple[tuple[str, str], ...],
    terms: list[Term],
    runs: int,
    samples: Samples,
    say: Callable[[str], None],
) -> None:
    """Each term `runs` times in a console of each (login, scope); the figures into `samples`,
    a line per term and scope (medians) to `say`."""
    rows_figure = {"street": SEARCH_ROWS_STREET, "district": SEARCH_ROWS_DISTRICT}
    for login, scope in logins:
        with console(url, login) as term:
            queue = Queue(term)
            for found in terms:
                timed = [queue.time_search(found.text) for _ in range(runs)]
                for rows, count in timed:
                    samples.add(rows_figure[scope], rows)
                    samples.add(SEARCH_COUNT, count)
                rows_ms = statistics.median(r for r, _ in timed)
                count_ms = statistics.median(c for _, c in timed)
                say(
                    f"  {scope} ({login}), {found.kind} {found.text}: rows {rows_ms:.0f} ms, "
                    f"count {count_ms:.0f} ms (median of {runs})"
                )
