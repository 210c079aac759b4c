"""Strings of the console's modals and screens: key → (Simplified Chinese, English)."""

CONSOLE: dict[str, tuple[str, str]] = {}
