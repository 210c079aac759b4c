"""The cyclic garbage collector, kept off the operator's keys.

A console holds some 200k objects for as long as it runs: the modules of Textual,
SQLAlchemy and pydantic, the styles and widgets of its screens, the reference data. Every
full collection walked all of them again, about 45 ms on the main thread each time, and
one came every few reloads: a key pressed then waited for it. `gc.freeze` moves the
objects alive at a moment out of the collector's reach for good; what is made afterwards
(pages of rows, rendered lines) is still collected as usual.
"""

from __future__ import annotations

import gc


def pause() -> None:
    """Before the imports: they make ~160k objects that all stay, and the collections run
    meanwhile (~45 ms of start-up) find next to nothing."""
    gc.disable()


def settle() -> None:
    """What is alive now stays for the life of the process: leave it out of every later
    collection, and let the collector run again."""
    gc.freeze()
    gc.enable()
