"""Strings of the console's find screens: key → (Simplified Chinese, English)."""

FIND: dict[str, tuple[str, str]] = {}
