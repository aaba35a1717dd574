"""The Dashboard sheet (charts, their ranges), conditional formats, sheet order, and the HTML
briefing of `forcegen report`: self-contained, escaped, deterministic, and rendered by a real
headless browser; the site map."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

os.environ.setdefault("MPLCONFIGDIR", tempfile.mkdtemp(prefix="forcegen-mpl-"))

from solver import api
from solver.cli import main
from solver.report.command import write_report

from .conftest import EXAMPLE
from .report_case import EXTERNAL, HOSTILE, MAP, browse, cells
from .workbooks import simple_case


def test_sheet_order(example_briefing) -> None:
    _, out, _ = example_briefing
    names = load_workbook(out).sheetnames
    assert names[:5] == ["Dashboard", "Summary", "Coverage", "Gaps", "Allocation"]
    assert set(names[5:]) == {"Contributors", "Caveats", "Matrix"}


def test_dashboard_charts_point_at_their_data(example_briefing) -> None:
    result, out, _ = example_briefing
    ws = load_workbook(out)["Dashboard"]
    charts = ws._charts
    assert [c.title.tx.rich.p[0].r[0].t for c in charts] == [
        "Coverage per site (units)",
        "Deployed personnel per contributor",
        "Burden share: personnel vs gdp",
    ]
    site, deployed, burden = charts
    # coverage per site: stacked allocated + shortfall, categories = the sites
    assert site.grouping == "stacked" and site.overlap == 100
    refs = [(s.tx.strRef.f, s.cat.strRef.f, s.val.numRef.f) for s in site.series]
    assert refs == [
        ("'Dashboard'!B25", "'Dashboard'!$A$26:$A$36", "'Dashboard'!$B$26:$B$36"),
        ("'Dashboard'!C25", "'Dashboard'!$A$26:$A$36", "'Dashboard'!$C$26:$C$36"),
    ]
    cov = result.tables.coverage.groupby("site", sort=False)[["allocated", "shortfall"]].sum()
    assert cells(ws, refs[0][1]) == list(cov.index)
    assert cells(ws, refs[0][2]) == list(cov["allocated"])
    assert cells(ws, refs[1][2]) == list(cov["shortfall"])
    assert [cells(ws, r[0])[0] for r in refs] == ["allocated", "shortfall"]
    # deployed personnel per contributor (available ones, most first)
    (series,) = deployed.series
    names, personnel = cells(ws, series.cat.strRef.f), cells(ws, series.val.numRef.f)
    con = result.tables.contributors.set_index("contributor")
    assert len(names) == 30 and "USA" not in names  # unavailable in the base case
    assert personnel == [int(con.at[c, "deployed_personnel"]) for c in names]
    assert personnel == sorted(personnel, reverse=True)
    # burden share: personnel share beside gdp share, same categories
    assert [s.cat.strRef.f for s in burden.series] == [series.cat.strRef.f] * 2
    shares = [cells(ws, s.val.numRef.f) for s in burden.series]
    assert [cells(ws, s.tx.strRef.f)[0] for s in burden.series] == [
        "personnel share",
        "gdp share",
    ]
    assert sum(shares[0]) == pytest.approx(1.0) and sum(shares[1]) == pytest.approx(1.0)
    assert shares[1][names.index("DEU")] == pytest.approx(4600 / con.loc[names, "gdp"].sum())


def test_dashboard_headline(example_briefing) -> None:
    result, out, _ = example_briefing
    ws = load_workbook(out)["Dashboard"]
    figures = {row[0]: row[1] for row in ws.iter_rows(min_row=2, max_row=23, values_only=True)}
    summary = result.summary
    assert figures["status"] == "optimal"
    assert figures["coverage, all priorities"] == pytest.approx(summary["coverage_pct"] / 100, 1e-4)
    assert figures["units unmet p1"] == summary["shortfall_units.p1"] == 3
    assert figures["personnel deployed"] == summary["deployed_personnel"]
    assert figures["contributors engaged"] == summary["contributors_engaged"]
    assert ws["B7"].number_format == "0.0%"


def test_conditional_formats(example_briefing) -> None:
    _, out, _ = example_briefing
    wb = load_workbook(out)
    rules = {
        name: {
            str(cf.sqref): [r.formula[0] for r in cf.rules]
            for cf in wb[name].conditional_formatting
        }
        for name in ("Coverage", "Matrix")
    }
    assert rules["Coverage"] == {"A2:J69": ["$D2<$C2", '$G2="yes"']}
    ((area, formulas),) = rules["Matrix"].items()
    assert area == "B2:N12"
    assert formulas[0].startswith('IFERROR(VALUE(LEFT(B2,SEARCH("/",B2)-1))<')
    assert formulas[1] == 'COUNTIFS(Coverage!$A:$A,$A2,Coverage!$B:$B,B$1,Coverage!$G:$G,"yes")>0'
    red = wb["Coverage"].conditional_formatting
    assert next(iter(red)).rules[0].dxf.fill.fgColor.rgb.endswith("FFC7CE")
    # the grid's sites stay in view as its capabilities scroll (a scale trial: 30 columns)
    assert wb["Matrix"].freeze_panes == "B2" and wb["Coverage"].freeze_panes == "A2"


def test_output_bytes_stay_deterministic(example_briefing, tmp_path: Path) -> None:
    result, out, _ = example_briefing
    again = api.write(result, tmp_path / "again.xlsx")
    assert again.read_bytes() == out.read_bytes()


def test_html_is_self_contained_with_the_figures(example_briefing) -> None:
    result, _, html_path = example_briefing
    text = html_path.read_text(encoding="utf-8")
    assert not EXTERNAL.search(text), EXTERNAL.search(text)
    assert "<script" not in text.lower() and "@import" not in text
    assert not re.search(r"url\((?!#)", text)  # only the SVGs' own clip paths
    assert "Optimal: the best plan at every stage" in text
    assert f"{result.summary['coverage_pct']:.1f}%" in text  # 91.5%
    assert "19,150" in text and "30 of 30" in text
    assert MAP in text and "Lines leave the frame towards" in text
    assert text.count("<svg") == 4  # map, heat map, contributions, burden share
    assert "kept out by caveat C8" in text and "min_contingent" in text  # gaps, binding caveats
    ids = re.findall(r'\bid="([^"]+)"', text)
    assert len(ids) > 100 and len(ids) == len(set(ids))  # matplotlib repeated ~200 of them
    for figure in re.findall(r"<svg\b.*?</svg>", text, re.S):
        own = set(re.findall(r'\bid="([^"]+)"', figure))
        assert set(re.findall(r'(?:href="|url\()#([^")]+)', figure)) <= own


def test_each_figures_ids_are_its_own() -> None:
    """Two figures naming their elements alike (as matplotlib does): the n-th figure's shared
    ids and its references to them get the prefix `fn-`; an id of one figure only (`only`), a
    colour, the page's own ids and a text that reads like markup stay."""
    from solver.report.render import unique_ids

    figure = '<svg><g id="axes_1" fill="#C00000"><path clip-path="url(#p1)"/></g>'
    figure += '<text>A id="p1" href="#p1"</text>'  # a nation's name, as matplotlib leaves it
    figure += '<clipPath id="p1"/><use xlink:href="#p1"/></svg>'
    page = f'<a href="#gaps">gaps</a>{figure}<h2 id="gaps"/>{figure}<svg><g id="only"/></svg>'
    assert unique_ids(page) == (
        '<a href="#gaps">gaps</a>'
        '<svg><g id="f1-axes_1" fill="#C00000"><path clip-path="url(#f1-p1)"/></g>'
        '<text>A id="p1" href="#p1"</text>'
        '<clipPath id="f1-p1"/><use xlink:href="#f1-p1"/></svg>'
        '<h2 id="gaps"/>'
        '<svg><g id="f2-axes_1" fill="#C00000"><path clip-path="url(#f2-p1)"/></g>'
        '<text>A id="p1" href="#p1"</text>'
        '<clipPath id="f2-p1"/><use xlink:href="#f2-p1"/></svg>'
        '<svg><g id="only"/></svg>'
    )


def test_hostile_names_are_escaped(tmp_path: Path) -> None:
    path = simple_case(
        tmp_path / "hostile.xlsx",
        contributors=[
            {"contributor": HOSTILE, "name": "<b>x</b>", "lat": 0, "lon": 0, "gdp": 10},
            {"contributor": "B$x$", "lat": 0, "lon": 1, "gdp": 5},
        ],
        pledges=[
            {"contributor": HOSTILE, "capability": "INF", "units": 2, "cost_per_unit": 1},
            {"contributor": "B$x$", "capability": "INF", "units": 1, "cost_per_unit": 1},
        ],
        caveats=[{"contributor": HOSTILE, "caveat": "max_units", "value": 2, "note": HOSTILE}],
    )
    out = api.write(api.solve(path), tmp_path / "out.xlsx", [path])
    text = write_report([out]).read_text(encoding="utf-8")
    assert HOSTILE not in text and "<script" not in text.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "B$x$" in text  # a '$' is a character, not matplotlib mathtext
    # the comparison's headers and labels too: a file name is text from the planner's disk
    other = tmp_path / "<img src=x onerror=alert(1)>.xlsx"
    shutil.copy(out, other)
    both = write_report([out, other], tmp_path / "both.html").read_text(encoding="utf-8")
    assert "<img" not in both and "&lt;img src=x onerror=alert(1)&gt;.xlsx (base)" in both
    assert HOSTILE not in both and "<script" not in both.lower()


def test_report_is_deterministic(example_briefing, tmp_path: Path) -> None:
    _, out, html_path = example_briefing
    again = write_report([out], tmp_path / "again.html", EXAMPLE)
    assert again.read_bytes() == html_path.read_bytes()


def test_report_modules_import_one_way() -> None:
    """compare.py sits beside html.py, not above it: the shared helpers live in view.py."""
    code = (
        "import sys, solver.report.compare, solver.report.view; "
        "assert 'solver.report.html' not in sys.modules, 'compare imports html'"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr[-2000:]


def test_without_input_the_map_is_left_out(example_briefing, tmp_path: Path, monkeypatch) -> None:
    _, out, _ = example_briefing
    alone = tmp_path / "coalition.xlsx"
    shutil.copy(out, alone)
    monkeypatch.chdir(tmp_path)
    text = write_report([alone], tmp_path / "r.html").read_text(encoding="utf-8")
    assert "input workbook coalition.xlsx not found (use --input): no map drawn" in text
    assert "Coverage per site" in text and text.count("<svg") == 4 and MAP not in text


def test_report_refuses_what_is_not_an_output(tmp_path: Path) -> None:
    """An input workbook, and a comparison workbook forcegen wrote, are said as what they are
    (a briefing trial: `comparison.xlsx is not a forcegen output workbook`, though forcegen
    wrote it); a workbook of neither kind is no output."""
    result = CliRunner().invoke(main, ["report", str(EXAMPLE), "-o", str(tmp_path / "x.html")])
    assert result.exit_code == 2
    assert "coalition.xlsx is an input workbook, not an output of `forcegen solve`" in result.output
    assert not (tmp_path / "x.html").exists()
    comparison = Workbook()
    for title in ("Scenarios", "Changes"):
        comparison.create_sheet(title)
    comparison.save(tmp_path / "comparison.xlsx")
    result = CliRunner().invoke(
        main, ["report", str(tmp_path / "comparison.xlsx"), "-o", str(tmp_path / "x.html")]
    )
    assert result.exit_code == 2
    assert "comparison.xlsx is a comparison workbook (written by forcegen compare -o" in (
        result.output
    )
    other = Workbook()
    other.save(tmp_path / "other.xlsx")
    result = CliRunner().invoke(
        main, ["report", str(tmp_path / "other.xlsx"), "-o", str(tmp_path / "x.html")]
    )
    assert result.exit_code == 2 and "is not a forcegen output workbook" in result.output


def test_report_refuses_a_page_under_a_file_before_reading(tmp_path: Path) -> None:
    """`-o plan.xlsx/x.html` (a file where a folder should be): refused before any output is
    read, as `solve` refuses its output (a briefing trial: `cannot write to folder ...: File
    exists`, after the outputs and their inputs were read). The output named need not exist."""
    (tmp_path / "plan.xlsx").write_bytes(b"")
    page = tmp_path / "plan.xlsx" / "x.html"
    result = CliRunner().invoke(main, ["report", str(tmp_path / "none.xlsx"), "-o", str(page)])
    assert result.exit_code == 2
    assert "is a file, not a folder" in result.output and "none.xlsx" not in result.output


def test_browser_renders_the_briefing(example_briefing, tmp_path: Path) -> None:
    _, _, html_path = example_briefing
    dom = browse(html_path, "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert "Force generation briefing" in dom.stdout and "Optimal" in dom.stdout
    assert dom.stdout.count("<svg") == 4
    console = [line for line in dom.stderr.splitlines() if ":CONSOLE" in line]
    assert not console, console  # no script errors, no failed loads
    shot = tmp_path / "shot.png"
    run = browse(html_path, f"--screenshot={shot}", "--window-size=1280,2400")
    assert run.returncode == 0, run.stderr[-2000:]
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 50_000
    from PIL import Image

    with Image.open(shot) as im:
        assert im.size == (1280, 2400)
        colours = im.convert("RGB").resize((64, 120)).getcolors(maxcolors=64 * 120)
        assert len(colours) > 20  # not a blank page


def test_the_site_map_colours_a_site_by_its_lines_filled_up_to_their_requirement() -> None:
    """S1: INF 3 of 2 required (an edited plan), AD 0 of 2: 2 of 4 covered (50%), not 3 of 4;
    S2: 1 of 2. The summed allocated units stay as they are."""
    import pandas as pd

    from solver.report.figures import site_coverage

    cov = pd.DataFrame(
        {
            "site": ["S1", "S1", "S2"],
            "allocated": [3, 0, 1],
            "required": [2, 2, 2],
            "shortfall": [0, 2, 1],
        }
    )
    sites = site_coverage(cov).set_index("site")
    assert sites["coverage"].tolist() == [0.5, 0.5]
    assert sites["allocated"].tolist() == [3, 1]
    assert sites["covered"].tolist() == [2, 1]
    # and the map's label counts so too: `S1 2/4`, not `S1 3/4` (a trial's `Kyiv 24/24` hid
    # Kyiv SIGINT_TM's gap)
    from solver.report.figures_map import site_map

    places = pd.DataFrame({"site": ["S1", "S2"], "lat": [50.0, 49.0], "lon": [30.0, 24.0]})
    places["country"] = "UKR"
    alloc = pd.DataFrame({"site": ["S1", "S2"], "personnel": [300, 100]})
    homes = pd.DataFrame({"contributor": ["A"], "lat": [52.0], "lon": [21.0]})
    drawn = site_map(cov, alloc.assign(contributor="A"), places, homes).svg
    assert "S1 2/4" in drawn and "S1 3/4" not in drawn


def test_a_change_of_a_large_figure_reads_whole() -> None:
    """A cost's change of 14,931,845.3 read `+1.493e+07` in a comparison (HTML trial): from
    1,000 on a change is whole with separators; below it, 4 significant digits as before."""
    from solver.report.view import change, text

    assert change(102_009_234.3, 87_077_389.0) == "+14,931,845"
    assert change(27_114_928.6, 26_769_619.1) == "+345,310"
    assert change(91.45, 91.5) == "-0.05"
    # the change of the figures shown, 20,618,315 and 26,769,619: the page adds up (a trial)
    assert change(20_618_314.845, 26_769_619.445) == "-6,151,304"
    assert change(1000.4, 1000.2) == "+0.2"  # shown alike: the change says they differ
    assert change(3, 5) == "-2"
    assert change(1, 1) == ""
    assert change(float("nan"), 3) == "" and change(1, float("nan")) == ""  # a row one lacks
    # a shortfall stage (`exact`): its halves shown, and the change itself (a scale trial read
    # 1,984 -> 1,986 (+2) for 1,984.5 -> 1,985.5)
    assert text(1_984.5, exact=True) == "1,984.5" and text(1_984.5) == "1,984"
    assert change(1_985.5, 1_984.5, exact=True) == "+1"
    assert change(13_471.5, 13_684.25, exact=True) == "-212.75"
    assert change(2.5, 2.5 + 1e-9, exact=True) == "-1e-09"  # noise is not said as -0
    assert change(1_985.5, 1_985.496, exact=True) == "+0.004"  # not the +1 of rounded figures


def test_a_home_inside_the_map_frame_is_drawn_not_said_off_it() -> None:
    """Sites at 30°E and 40°E (centre 35°E): B's home at 12°E is near (within 25°), and sets
    the frame's west edge at 12 - 2.24 = 9.76°E; C's at 9.9°E is 25.1° from the centre, yet
    inside the frame: drawn and named there, not listed as off the frame (a trial's FRA)."""
    import pandas as pd

    from solver.report.figures_map import site_map

    cov = pd.DataFrame(
        {"site": ["S1", "S2"], "allocated": [1, 1], "required": [1, 1], "shortfall": [0, 0]}
    )
    places = pd.DataFrame({"site": ["S1", "S2"], "lat": [50.0, 50.0], "lon": [30.0, 40.0]})
    places["country"] = "X"
    alloc = pd.DataFrame({"contributor": ["B", "C"], "site": ["S1", "S2"], "personnel": [100, 100]})
    homes = pd.DataFrame({"contributor": ["B", "C"], "lat": [50.0, 50.0], "lon": [12.0, 9.9]})
    drawn, off, _ = site_map(cov, alloc, places, homes)
    assert off == []
    assert ">C</text>" in drawn and ">B</text>" in drawn


def test_out_of_memory_in_a_report_is_not_called_a_model_too_large(
    example_layout: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A report builds no model: out of memory it says the command needs more memory."""
    import solver.report.command as command

    def exhausted(*args: object, **kwargs: object) -> None:
        raise MemoryError

    monkeypatch.setattr(command, "write_report", exhausted)
    result = CliRunner().invoke(main, ["report", "outputs/coalition.xlsx"])
    assert result.exit_code == 1
    assert "out of memory: `report` needs more memory than this process may use" in result.output
