"""How long what people type may be: one set of limits, checked before anything is written,
and the same on both stores (the columns are made to fit them)."""

TITLE_MAX = 200
VIEW_NAME_MAX = 32  # a view bar has little more room anyway
