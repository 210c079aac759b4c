"""Strings of the roads an address names: key → (Simplified Chinese, English)."""

ROADS: dict[str, tuple[str, str]] = {
    # a grid found by the road an address names: the stretch of it lying in the grid
    "road.segment": ("{road} {first}–{last}号", "{road} nos. {first}–{last}"),
}
