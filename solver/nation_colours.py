"""One colour per nation, the same on every output: the briefing's figures draw a nation's
tours, bars and series in its colour, and the Timeline sheet fills its cells with a light
shade of that colour.

A nation's colour is its place among the output's contributors sorted by code, in `PALETTE`
(54 colours, then repeated): matplotlib's tab20 dark ten, tab20b's and tab20c's darkest five
each, then their lighter shades in the same order, so that nations next to each other in code
order get different hues; the reds and pinks are left out, because red marks a short line on
every output (tests/test_nation_colours.py derives the list from matplotlib's colour maps).
The list is data, not derived at run time, so that writing a workbook does not import
matplotlib.
"""

from __future__ import annotations

from collections.abc import Sequence

PALETTE = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2",
    "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31",
    "#7b4173", "#3182bd", "#e6550d", "#31a354", "#756bb1", "#636363",
    "#aec7e8", "#ffbb78", "#98df8a", "#c5b0d5", "#c49c94", "#f7b6d2",
    "#c7c7c7", "#dbdb8d", "#9edae5", "#5254a3", "#8ca252", "#bd9e39",
    "#a55194", "#6b6ecf", "#b5cf6b", "#e7ba52", "#ce6dbd", "#9c9ede",
    "#cedb9c", "#e7cb94", "#de9ed6", "#6baed6", "#fd8d3c", "#74c476",
    "#9e9ac8", "#969696", "#9ecae1", "#fdae6b", "#a1d99b", "#bcbddc",
    "#bdbdbd", "#c6dbef", "#fdd0a2", "#c7e9c0", "#dadaeb", "#d9d9d9",
]  # fmt: skip

# a cell's fill is its nation's colour mixed half and half with white: black text stays
# readable on the darkest (#393b79 -> #9c9dbc) and the shades keep their order of lightness
LIGHT_SHARE = 0.5


def colours(nations: Sequence[str]) -> dict[str, str]:
    """Nation -> `#rrggbb`: the nation's place in `nations` sorted, in the palette."""
    return {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(sorted(nations))}


def light(colour: str) -> str:
    """`#rrggbb` -> `RRGGBB` (openpyxl's form): each channel c becomes
    share * c + (1 - share) * 255, rounded half up."""
    channels = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    mixed = (int(LIGHT_SHARE * c + (1 - LIGHT_SHARE) * 255 + 0.5) for c in channels)
    return "".join(f"{m:02X}" for m in mixed)
