"""Strings of the console's actions screens: key → (Simplified Chinese, English)."""

ACTIONS: dict[str, tuple[str, str]] = {}
