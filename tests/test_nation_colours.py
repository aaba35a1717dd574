"""One colour per nation on every output: the briefing's figures and the Timeline sheet's
fills (solver/nation_colours.py)."""

from __future__ import annotations

import colorsys
import io

import pandas as pd
from matplotlib import colormaps
from matplotlib.colors import to_hex, to_rgb
from openpyxl import load_workbook

from solver import nation_colours


def _hue_first(name: str, shades: int) -> list[str]:
    """matplotlib's palette `name`, whose hues come in runs of `shades`, reordered so that one
    shade of every hue comes before a second shade of any."""
    listed = [to_hex(c) for c in colormaps[name].colors]  # type: ignore[attr-defined]
    return [listed[i] for shade in range(shades) for i in range(shade, len(listed), shades)]


def _reddish(colour: str) -> bool:
    hue, _, saturation = colorsys.rgb_to_hls(*to_rgb(colour))
    return min(hue, 1 - hue) * 360 <= 15 and saturation > 0.35


def test_the_palette_is_matplotlibs_strong_shades_first_without_reds() -> None:
    """The data in the module is what its docstring says: tab20's dark ten, tab20b's and
    tab20c's darkest five each, then the lighter shades in the same order, reds and pinks
    left out."""
    tab20, tab20b, tab20c = _hue_first("tab20", 2), _hue_first("tab20b", 4), _hue_first("tab20c", 4)
    ordered = (*tab20[:10], *tab20b[:5], *tab20c[:5], *tab20[10:], *tab20b[5:], *tab20c[5:])
    assert [c for c in ordered if not _reddish(c)] == nation_colours.PALETTE


def _hls(rgb: str) -> tuple[float, float, float]:
    return colorsys.rgb_to_hls(*(int(rgb[i : i + 2], 16) / 255 for i in (0, 2, 4)))


def test_the_timeline_gives_each_of_30_nations_a_light_shade_of_its_briefing_colour() -> None:
    """Twelve fills repeated from the thirteenth nation on (a scale trial's 40 nations shared
    them three by three), in Contributors order where the briefing sorts by code. Now each of
    30 nations (listed out of code order) has its own fill, of the hue of its colour in the
    briefing, lighter than it."""
    from solver.results.timeline import timeline_sheet
    from solver.results.writer import build_workbook, workbook_bytes

    nations = [f"N{i:02d}" for i in reversed(range(30))]
    periods = pd.DataFrame({"period": ["P1"], "months": [1]})
    coverage = pd.DataFrame(
        {"site": "S1", "capability": "INF", "priority": 1, "period": ["P1"], "required": [1]}
        | {"allocated": [1], "shortfall": [0]}
    )
    allocation = pd.DataFrame(
        {"contributor": ["N00"], "capability": "INF", "site": "S1", "period": "P1", "units": 1}
    )
    sheet = timeline_sheet(coverage, allocation, periods, nations)
    ws = load_workbook(io.BytesIO(workbook_bytes(build_workbook([sheet]))))["Timeline"]
    fills = {}
    for cf in ws.conditional_formatting:
        for rule in cf.rules:
            if rule.formula[0].startswith("LEFT("):
                code = rule.formula[0].split('"')[1].strip()
                fills[code] = rule.dxf.fill.fgColor.rgb[-6:]
    assert sorted(fills) == sorted(nations) and len(set(fills.values())) == 30
    briefing = nation_colours.colours(nations)
    for code, fill in fills.items():
        hue, lightness, _ = _hls(fill)
        strong_hue, strong_lightness, saturation = _hls(briefing[code][1:])
        assert lightness > strong_lightness, code
        if saturation > 0.05:  # a grey has no hue to keep
            assert abs(hue - strong_hue) < 0.02, code
