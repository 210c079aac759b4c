"""`gridcall bench`: how the console feels at 10k, 100k and 1M cases, as a printed table.

It drives the real app headless: a key is posted (not pressed through Pilot, which idles
~40 ms per key by itself) and timed to the next frame the compositor produces — including the
terminal bytes a real driver would write — by the clock read as that frame is finished, not
when the bench's own coroutine wakes to see it (up to ~8 ms later while a worker thread
holds the interpreter). Start-up and memory are measured by running
`gridcall run` itself on a pseudo-terminal of 160×48 until the screen shows a case code, then
paging down 60 times, beside an empty Textual app started the same way in the same run (the
floor). Figures are medians and 95th percentiles in milliseconds; nothing here asserts a time.

Its modules: `figures` (what is measured, the targets, the printed table), `stores` (building
and reusing a store per size), `frames` (the app that counts its frames, and waiting for rest),
`drive` (keys, filters, searches and actions through the headless app), `counts` (the header's
queries timed alone), `terminal` (a program on a pseudo-terminal, its screen read by a terminal
emulator), `startup` (a fresh process on a pseudo-terminal), `search` (text search timed on a
terminal's screen, from the last keystroke to the rows and the count) with `terms` (the words
it types, found in the store), `ssh` (`gridcall serve ssh` reached by OpenSSH's client on a
pseudo-terminal) and `run` (the whole).
The CLI imports it only inside `gridcall bench`, so the console itself never loads it.
"""
