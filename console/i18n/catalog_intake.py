"""Strings of the console's intake screens: key → (Simplified Chinese, English)."""

INTAKE: dict[str, tuple[str, str]] = {}
