"""The Dashboard sheet (charts, their ranges), conditional formats, sheet order, and the HTML
briefing of `forcegen report`: self-contained, escaped, and rendered by a real headless browser."""

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
from openpyxl import load_workbook
from openpyxl.utils import range_boundaries

os.environ.setdefault("MPLCONFIGDIR", tempfile.mkdtemp(prefix="forcegen-mpl-"))

from solver import api
from solver.cli import main
from solver.report.command import write_report
from solver.report.view import BLANK

from .conftest import EXAMPLE
from .workbooks import simple_case

HOSTILE = "<script>alert(1)</script>"
MAP = "Sites: circle area ~ allocated personnel"  # the map's title: the map was drawn
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.I)


@pytest.fixture(scope="module")
def solved(tmp_path_factory: pytest.TempPathFactory) -> tuple[api.Result, Path, Path]:
    """The bundled example solved once, its output, and its HTML briefing (input found by
    --input; the output sits in a folder without the input)."""
    folder = tmp_path_factory.mktemp("report")
    result = api.solve(EXAMPLE)
    out = api.write(result, folder / "coalition.xlsx", [EXAMPLE])
    html = write_report([out], None, EXAMPLE)
    return result, out, html


def test_sheet_order(solved) -> None:
    _, out, _ = solved
    names = load_workbook(out).sheetnames
    assert names[:5] == ["Dashboard", "Summary", "Coverage", "Gaps", "Allocation"]
    assert set(names[5:]) == {"Contributors", "Caveats", "Matrix"}


def cells(ws, ref: str) -> list:
    """The values of a range like 'Dashboard'!$B$24:$B$34 (or a single cell)."""
    sheet, _, area = ref.partition("!")
    assert sheet.strip("'") == ws.title
    min_col, min_row, max_col, max_row = range_boundaries(area.replace("$", ""))
    rows = ws.iter_rows(min_row=min_row, max_row=max_row, min_col=min_col, max_col=max_col)
    return [c.value for row in rows for c in row]


def test_dashboard_charts_point_at_their_data(solved) -> None:
    result, out, _ = solved
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


def test_dashboard_headline(solved) -> None:
    result, out, _ = solved
    ws = load_workbook(out)["Dashboard"]
    figures = {row[0]: row[1] for row in ws.iter_rows(min_row=2, max_row=23, values_only=True)}
    summary = result.summary
    assert figures["status"] == "optimal"
    assert figures["coverage, all priorities"] == pytest.approx(summary["coverage_pct"] / 100, 1e-4)
    assert figures["units unmet p1"] == summary["shortfall_units.p1"] == 3
    assert figures["personnel deployed"] == summary["deployed_personnel"]
    assert figures["contributors engaged"] == summary["contributors_engaged"]
    assert ws["B7"].number_format == "0.0%"


def test_conditional_formats(solved) -> None:
    _, out, _ = solved
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


def test_output_bytes_stay_deterministic(solved, tmp_path: Path) -> None:
    result, out, _ = solved
    again = api.write(result, tmp_path / "again.xlsx")
    assert again.read_bytes() == out.read_bytes()


def test_html_is_self_contained_with_the_figures(solved) -> None:
    result, _, html_path = solved
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


def test_report_is_deterministic(solved, tmp_path: Path) -> None:
    _, out, html_path = solved
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


def test_without_input_the_map_is_left_out(solved, tmp_path: Path, monkeypatch) -> None:
    _, out, _ = solved
    alone = tmp_path / "coalition.xlsx"
    shutil.copy(out, alone)
    monkeypatch.chdir(tmp_path)
    text = write_report([alone], tmp_path / "r.html").read_text(encoding="utf-8")
    assert "input workbook coalition.xlsx not found (use --input): no map drawn" in text
    assert "Coverage per site" in text and text.count("<svg") == 4 and MAP not in text


@pytest.fixture
def layout(solved, tmp_path: Path, monkeypatch) -> Path:
    """forcegen's default layout in a fresh working folder: the input coalition.xlsx in it, the
    output `forcegen solve coalition.xlsx` writes in outputs/. Returns the working folder."""
    _, out, _ = solved
    shutil.copy(EXAMPLE, tmp_path / "coalition.xlsx")
    (tmp_path / "outputs").mkdir()
    shutil.copy(out, tmp_path / "outputs" / "coalition.xlsx")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_report_finds_the_input_in_the_default_layout(layout: Path) -> None:
    result = CliRunner().invoke(main, ["report", "outputs/coalition.xlsx"])
    assert result.exit_code == 0, result.output
    assert "input of outputs/coalition.xlsx: coalition.xlsx" in result.output
    text = (layout / "outputs" / "coalition.html").read_text(encoding="utf-8")
    assert MAP in text
    assert (
        "Coordinates from coalition.xlsx: the very workbook this output was solved from "
        "(its SHA-256 matches)." in text
    )


def move_pol_inf_bn_to_kyiv(output: Path) -> None:
    """The new user's hand edit: POL's INF_BN moved from LTU-South to Kyiv (where POL's caveat
    C3 keeps its ground units out), every total unchanged."""
    book = load_workbook(output)
    rows = [
        r
        for r in book["Allocation"].iter_rows(min_row=2)
        if [c.value for c in r[:3]] == ["POL", "INF_BN", "LTU-South"]
    ]
    assert len(rows) == 1
    rows[0][2].value = "Kyiv"
    book.save(output)


def test_an_edited_plan_is_shown_as_edited_with_the_rules_it_breaks(layout: Path) -> None:
    shutil.copy(layout / "outputs" / "coalition.xlsx", layout / "outputs" / "solved.xlsx")
    move_pol_inf_bn_to_kyiv(layout / "outputs" / "coalition.xlsx")
    result = CliRunner().invoke(main, ["report", "outputs/coalition.xlsx"])
    assert result.exit_code == 0, result.output
    text = (layout / "outputs" / "coalition.html").read_text(encoding="utf-8")
    assert "Optimal: the best plan at every stage" not in text
    assert "Edited: the Allocation sheet was changed after solving (solved as optimal)" in text
    assert "Rules the edited plan breaks" in text
    # the solver's words are said to be of the plan before the edit (they read 'it breaks 3
    # rules' / 'solver, of the plan as solved: optimal at every stage ...')
    assert (
        "<small>the solver&#39;s message on the plan as solved, before the edit: optimal at "
        "every stage (within the MIP gap)</small>" in text
    )
    assert "warning: outputs/coalition.xlsx: The Allocation sheet was edited" in result.output
    assert "caveat C3 (POL exclude category=ground country=UKR)" in text
    # the figures are the edited plan's: LTU-South's INF_BN line is now short
    assert "<tr><td>LTU-South</td><td>INF_BN</td>" in text
    # and Kyiv's unit beyond its line's requirement covers nothing: 106 of 117 units (90.6%),
    # not 107 (91.5%, the over-allocated line counted), as compare says
    cards = re.findall(r"(\d+\.\d%)</[^>]+>\s*<[^>]+>coverage, all priorities", text)
    assert cards == ["90.6%"], cards
    # beside the plan as solved, the moved unit is a change (the same POL personnel: none there)
    text = write_report(
        [layout / "outputs" / "solved.xlsx", layout / "outputs" / "coalition.xlsx"],
        layout / "both.html",
    ).read_text(encoding="utf-8")
    changes = text.split("Requirement lines whose allocation changes")[1].split("<h3>")[0]
    assert "<td>LTU-South</td><td>INF_BN</td>" in changes and "Kyiv" in changes
    assert ">edited<" in text
    assert '<td>shortfall_units</td><td class="num">10</td><td class="num">11 <span' in text
    # changes for the worse in red, whichever way the figure runs (a trial: all alike)
    assert '<td class="num">11 <span class="chg worse">(+1)</span>' in text
    assert re.search(r'<td>coverage_pct</td>.*?<span class="chg worse">\(-', text, re.S)
    # side by side, the rules the edited plan breaks (Kyiv's INF_BN line over-filled, POL's
    # caveat C3), and no MIP gap of the plan before its edit
    broken = re.search(r"<td>rules broken</td><td[^>]*>(\w+)</td><td[^>]*>(\w+)</td>", text)
    assert broken is not None and broken.groups() == ("0", "2"), broken
    gap = re.search(r"<td>mip_gap \(%\)</td><td[^>]*>([^<]*)</td><td[^>]*>([^<]*)</td>", text)
    assert gap is not None and gap.group(2) == BLANK, gap.groups()


def test_the_mip_gap_side_by_side_is_in_percent(tmp_path: Path) -> None:
    """The Summary's mip_gap is a fraction (1 = 100%); shown raw beside coverage_pct (in
    percent), a gap of 1 read as 1% (a trial). A copy of a plan whose Summary says 0.0382 is
    shown as 3.82 in the row `mip_gap (%)`, the change against the first's 0 as +3.82."""
    first = tmp_path / "first.xlsx"
    api.write(api.solve(simple_case(tmp_path / "case.xlsx")), first)
    book = load_workbook(first)
    summary = book["Summary"]
    row = next(r for r in summary.iter_rows() if r[0].value == "mip_gap")
    assert row[1].value == 0
    row[1].value = 0.0382
    book.save(second := tmp_path / "second.xlsx")
    text = write_report([first, second], tmp_path / "both.html").read_text(encoding="utf-8")
    gap = re.search(
        r"<td>mip_gap \(%\)</td><td[^>]*>([^<]*)</td><td[^>]*>([^<]*?) ?<span[^>]*>\(([^)]*)\)",
        text,
    )
    assert gap is not None and gap.groups() == ("0", "3.82", "+3.82"), text[:0]


def test_an_edited_plan_with_a_row_pasted_twice_says_its_units_are_added_up(
    layout: Path,
) -> None:
    """POL's LTU-South battalion row pasted a second time: the briefing counts both rows, as
    verify and compare do, and says so (it added them up without a word)."""
    path = layout / "outputs" / "coalition.xlsx"
    book = load_workbook(path)
    sheet = book["Allocation"]
    first = next(
        n
        for n, r in enumerate(sheet.iter_rows(min_row=2), start=2)
        if [c.value for c in r[:3]] == ["POL", "INF_BN", "LTU-South"]
    )
    sheet.append([c.value for c in sheet[first]])
    book.save(path)
    result = CliRunner().invoke(main, ["report", "outputs/coalition.xlsx"])
    assert result.exit_code == 0, result.output
    text = (layout / "outputs" / "coalition.html").read_text(encoding="utf-8")
    assert f"POL/INF_BN/LTU-South appears again (first at row {first}); its units are" in text


def test_an_edited_plan_deploying_an_unavailable_contributor_says_it_apart(
    layout: Path,
) -> None:
    """A row for USA (unavailable in the example) added by hand: the card said "31 of 30
    contributors engaged"; it counts the available ones and names USA apart."""
    path = layout / "outputs" / "coalition.xlsx"
    book = load_workbook(path)
    book["Allocation"].append(["USA", "INF_BN", "Kyiv", 1])
    book.save(path)
    result = CliRunner().invoke(main, ["report", "outputs/coalition.xlsx"])
    assert result.exit_code == 0, result.output
    text = (layout / "outputs" / "coalition.html").read_text(encoding="utf-8")
    engaged = re.search(r"<b>(\d+) of (\d+)</b><span>contributors engaged([^<]*)", text)
    assert engaged is not None
    assert int(engaged[1]) <= int(engaged[2])
    assert engaged[3] == " (and USA, not available)"


def test_an_edited_plan_without_its_input_says_its_figures_are_the_solved_ones(
    solved, tmp_path: Path, monkeypatch
) -> None:
    _, out, _ = solved
    alone = tmp_path / "coalition.xlsx"
    shutil.copy(out, alone)
    move_pol_inf_bn_to_kyiv(alone)
    monkeypatch.chdir(tmp_path)
    text = write_report([alone], tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Optimal: the best plan at every stage" not in text
    assert "the rules were not checked (see the note below)" in text
    assert "the figures below are the solved plan&#39;s, not the edited one&#39;s" in text


def test_report_finds_a_sweeps_input(tmp_path: Path, monkeypatch) -> None:
    """A sweep writes outputs/<input stem>/<scenario>.xlsx; its input is two folders up, and
    found from any working folder."""
    from solver.sweep.prepare import default_dir, file_names
    from solver.sweep.task import Task, run_task

    shutil.copy(EXAMPLE, tmp_path / "coalition.xlsx")
    task = Task("us_backstop", False, EXAMPLE.name, EXAMPLE.read_bytes())
    done = run_task(task)
    assert done.output is not None, done.errors
    out = tmp_path / default_dir(EXAMPLE) / file_names(["us_backstop"])["us_backstop"]
    out.parent.mkdir(parents=True)
    out.write_bytes(done.output)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    text = write_report([out], elsewhere / "r.html").read_text(encoding="utf-8")
    assert MAP in text and "USA" in text
    assert "Coordinates from coalition.xlsx: the very workbook" in text


def test_report_takes_only_an_input_whose_content_matches(layout: Path) -> None:
    """A different workbook under the same name is refused with the reason; the real input,
    re-saved since the solve (another SHA-256, the same sites and contributors), is used."""
    simple_case(layout / "coalition.xlsx")  # not the solved workbook
    result = CliRunner().invoke(main, ["report", "outputs/coalition.xlsx"])
    assert result.exit_code == 0, result.output
    text = (layout / "outputs" / "coalition.html").read_text(encoding="utf-8")
    assert "input workbook coalition.xlsx not found (use --input): no map drawn" in text
    assert "Not used: coalition.xlsx is another workbook: its SHA-256 differs and site(s)" in text
    assert "warning: no map for outputs/coalition.xlsx" in result.output
    (layout / "inputs").mkdir()
    book = load_workbook(EXAMPLE)
    book.save(layout / "inputs" / "coalition.xlsx")  # same content, other bytes
    result = CliRunner().invoke(main, ["report", "outputs/coalition.xlsx"])
    assert "input of outputs/coalition.xlsx: inputs/coalition.xlsx" in result.output
    text = (layout / "outputs" / "coalition.html").read_text(encoding="utf-8")
    assert MAP in text and "Coordinates from coalition.xlsx." in text
    assert (
        "coalition.xlsx has changed since coalition.xlsx was solved (its SHA-256 differs)" in text
    )


def test_a_given_input_that_does_not_match_is_noted(solved, tmp_path: Path) -> None:
    _, out, _ = solved
    other = simple_case(tmp_path / "other.xlsx")
    result = CliRunner().invoke(
        main, ["report", str(out), "--input", str(other), "-o", str(tmp_path / "r.html")]
    )
    assert result.exit_code == 0, result.output
    note = (
        "other.xlsx is not the workbook coalition.xlsx was solved from (its SHA-256 differs), "
        "and site(s) "
    )
    assert note in result.output
    text = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert note in text and MAP not in text  # none of its sites: no map (it crashed before)
    assert "no site of coalition.xlsx has lat/lon in other.xlsx: no map drawn" in text


def test_report_never_overwrites_the_input_it_found(layout: Path) -> None:
    before = (layout / "coalition.xlsx").read_bytes()
    result = CliRunner().invoke(main, ["report", "outputs/coalition.xlsx", "-o", "coalition.xlsx"])
    assert result.exit_code == 2, result.output
    assert (layout / "coalition.xlsx").read_bytes() == before


def test_several_outputs_are_compared(solved, tmp_path: Path) -> None:
    _, out, _ = solved
    other = api.write(api.solve(EXAMPLE, scenario="us_backstop"), tmp_path / "us.xlsx")
    runner = CliRunner()
    html_path = tmp_path / "both.html"
    args = ["report", str(out), str(other), "-o", str(html_path), "--input", str(EXAMPLE)]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    text = html_path.read_text(encoding="utf-8")
    assert "<h2>Comparison</h2>" in text and "us.xlsx (us_backstop)" in text
    assert "· input coalition.xlsx ·" in text  # both solved from the bundled example
    assert "Re-plan" not in text
    # the priority-1 gap closes with the US backstop: 4 -> 0 against the first output
    assert re.search(
        r"objective\.shortfall\.p1</td><td[^>]*>4</td><td[^>]*>0 <span[^>]*>\(-4\)", text
    )


def test_the_header_names_each_outputs_input() -> None:
    """One input when every output names the same file with the same SHA-256; else each
    output's (it used to name the first output's only), a name given before with other content
    marked as another version of it."""
    from solver.report.load import Output
    from solver.report.view import inputs_said

    def solved_from(output: str, input_file: str, sha: str) -> Output:
        return Output(Path(output), {"input_file": input_file, "input_sha256": sha}, {})

    first = solved_from("a.xlsx", "main.xlsx", "11")
    assert inputs_said([first, solved_from("b.xlsx", "main.xlsx", "11")]) == "input main.xlsx"
    assert (
        inputs_said([first, solved_from("b.xlsx", "scen.xlsx", "22")])
        == "inputs: a.xlsx from main.xlsx, b.xlsx from scen.xlsx"
    )
    assert inputs_said(
        [first, solved_from("b.xlsx", "main.xlsx", "33"), solved_from("c.xlsx", "main.xlsx", "11")]
    ) == (
        "inputs: a.xlsx from main.xlsx, b.xlsx from main.xlsx (another version), c.xlsx from main.xlsx"
    )


def with_cost_unit(out: Path, copy: Path, unit: str | None) -> Path:
    """A copy of `out` whose Summary records `unit` as the cost's unit (key `cost.unit`), or,
    with None, records none (an output written before forcegen recorded it)."""
    book = load_workbook(out)
    summary = book["Summary"]
    rows = [r for r in range(1, summary.max_row + 1) if summary.cell(r, 1).value == "cost.unit"]
    for r in reversed(rows):
        summary.delete_rows(r)
    if unit is not None:
        summary.append(["cost.unit", unit])
    book.save(copy)
    return copy


def test_cost_is_shown_with_its_unit(solved, tmp_path: Path) -> None:
    result, out, _ = solved
    cost = f"{result.summary['objective.cost']:,.0f}"
    eur = with_cost_unit(out, tmp_path / "eur.xlsx", "EUR")
    text = write_report([eur], tmp_path / "eur.html", EXAMPLE).read_text(encoding="utf-8")
    assert f"<b>{cost}</b><span>cost (EUR)</span>" in text
    both = write_report([eur, eur], tmp_path / "both.html", EXAMPLE).read_text(encoding="utf-8")
    assert f'<td>objective.cost (EUR)</td><td class="num">{cost}</td>' in both
    # units that differ are shown beside each value and not subtracted
    km = with_cost_unit(out, tmp_path / "km.xlsx", "person-km")
    mixed = write_report([eur, km], tmp_path / "mixed.html", EXAMPLE).read_text(encoding="utf-8")
    assert (
        f'<td>objective.cost</td><td class="num">{cost} EUR</td>'
        f'<td class="num">{cost} person-km</td>' in mixed
    )


def test_without_a_recorded_unit_the_cost_says_nothing_of_it(solved, tmp_path: Path) -> None:
    _, out, _ = solved
    old = with_cost_unit(out, tmp_path / "old.xlsx", None)
    text = write_report([old], tmp_path / "old.html", EXAMPLE).read_text(encoding="utf-8")
    assert "cost (" not in text  # an older output: no unit, no cost card
    both = write_report([old, old], tmp_path / "both.html", EXAMPLE).read_text(encoding="utf-8")
    assert "<td>objective.cost</td>" in both


def test_infeasible_output_says_why(tmp_path: Path) -> None:
    path = simple_case(
        tmp_path / "inf.xlsx",
        requirements=[{"site": "S1", "capability": "INF", "units": 5, "hard": "yes"}],
    )
    out = api.write(api.solve(path), tmp_path / "inf-out.xlsx", [path])
    assert load_workbook(out).sheetnames[:4] == [
        "Dashboard",
        "Summary",
        "Coverage",
        "Infeasibility",
    ]
    text = write_report([out]).read_text(encoding="utf-8")
    assert "Infeasible: hard requirements and caveats cannot all hold" in text
    assert "Why there is no plan" in text and "There is no plan." in text
    # the conflict in the planner's words (the sheet's explanation), not the rules' internal keys
    assert "S1 needs 5 INF in full" in text
    assert "hard:S1/INF" not in text and "relax_by" not in text and "<th>rule</th>" not in text
    assert "smallest change that gives a plan" in text
    # no plan, so no plan figures: no coverage cards, map, heat map or charts
    assert "coverage, all priorities" not in text and "hard lines short" not in text
    assert "<svg" not in text and "No plan exists for this output" in text
    # nor on the Dashboard: no coverage of 0% or units unmet of a plan that does not exist
    dash = load_workbook(out)["Dashboard"]
    assert [r for r in dash.iter_rows(values_only=True)] == [
        ("figure", "value"),
        ("status", "infeasible"),
        ("why", "hard requirements and caveats cannot all hold: no allocation exists"),
        ("scenario", "base"),
        ("input", "inf.xlsx"),
        ("plan", "none: no allocation exists (the Infeasibility sheet says why)"),
    ]
    assert not dash._charts


def test_report_refuses_what_is_not_an_output(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["report", str(EXAMPLE), "-o", str(tmp_path / "x.html")])
    assert result.exit_code == 2
    assert "is not a forcegen output workbook" in result.output
    assert not (tmp_path / "x.html").exists()


def chromium() -> str:
    """Debian's chromium; installed with apt-get when missing (as root), else skip."""
    found = shutil.which("chromium")
    if not found and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
            subprocess.run(cmd, env=env, capture_output=True, timeout=300, check=False)
        found = shutil.which("chromium")
    if not found:
        pytest.skip("chromium is not installed and `apt-get install -y chromium` was not possible")
    return found


def browse(html_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tempfile.mkdtemp(prefix="forcegen-chromium-")
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--enable-logging=stderr",
        "--v=0",
    ]
    try:
        return subprocess.run(
            [chromium(), *flags, *args, html_path.resolve().as_uri()],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def test_browser_renders_the_briefing(solved, tmp_path: Path) -> None:
    _, _, html_path = solved
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


def test_a_comparison_draws_no_coverage_bar_for_an_output_without_plan(
    solved, tmp_path: Path, monkeypatch
) -> None:
    from solver.report import compare
    from solver.report.load import load_output

    _, out, _ = solved
    path = simple_case(
        tmp_path / "inf.xlsx",
        requirements=[{"site": "S1", "capability": "INF", "units": 5, "hard": "yes"}],
    )
    infeasible = api.write(api.solve(path), tmp_path / "inf-out.xlsx", [path])
    drawn: list = []
    monkeypatch.setattr(
        compare.figures, "compare_coverage", lambda labels, bars: drawn.append(bars) or "<svg/>"
    )
    compare.comparison_section([load_output(out), load_output(infeasible)])
    first, second = drawn[0]
    assert first["all"] > 0.5 and second == {}  # not a 0% bar: there is no plan to cover


def test_a_comparison_gives_an_output_without_plan_no_plan_figures(solved, tmp_path: Path) -> None:
    """The same pair, the infeasible output second: its column of figures is blank but for its
    status (its Summary's zeros read as a plan that lost every unit and person: a trial), and no
    line or contributor is listed as lost to it, as `forcegen compare` shows it."""
    from solver.report import compare
    from solver.report.load import load_output
    from solver.report.view import BLANK

    _, out, _ = solved
    path = simple_case(
        tmp_path / "inf.xlsx",
        requirements=[{"site": "S1", "capability": "INF", "units": 5, "hard": "yes"}],
    )
    infeasible = api.write(api.solve(path), tmp_path / "inf-out.xlsx", [path])
    section = compare.comparison_section([load_output(out), load_output(infeasible)])
    figures = {row.cells[0].text: row.cells[1:] for row in section.figures.rows}
    assert figures["status"][1].text == "infeasible"
    for key in ("coverage_pct", "deployed_personnel", "contributors_engaged", "shortfall_units"):
        plan, none = figures[key]
        assert plan.text != BLANK and none.text == BLANK and not none.change, key
    assert figures["required_units"][1].text != BLANK  # the input's figure: shown, as compare does
    assert section.coverage is None and section.contributors is None
    assert section.unplanned == "Without a plan, not compared line by line: " + (
        f"{section.figures.columns[2]}."
    )
    # the first without a plan: nothing is compared, and no section says "No change" (review)
    reverse = compare.comparison_section([load_output(infeasible), load_output(out)])
    assert reverse.nothing.startswith("Not compared: the first output, ")
    assert reverse.coverage is None and reverse.contributors is None


def test_the_briefing_shows_the_caveat_prices_when_the_output_has_them(tmp_path: Path) -> None:
    """S1 and S2 need 2 INF each; A and B pledge 2 each. A's max_units 1 caveat holds one of
    A's units back: lifted, both lines are full, so it costs 1 weighted priority-1 unit. The
    output of `solve --price-caveats` carries CaveatPrices, and its briefing shows them; one
    without prices has no such section."""
    src = simple_case(
        tmp_path / "case.xlsx",
        caveats=[{"id": "K1", "contributor": "A", "caveat": "max_units", "value": 1}],
    )
    result = api.solve(src)
    plain = api.write(result, tmp_path / "plain.xlsx", [src])
    api.price_caveats(result)
    priced = api.write(result, tmp_path / "priced.xlsx", [src])
    html = write_report([priced], tmp_path / "priced.html").read_text(encoding="utf-8")
    assert "What each caveat costs" in html
    assert "caveat K1 costs 1 weighted priority-1 unit" in html
    html = write_report([plain], tmp_path / "plain.html").read_text(encoding="utf-8")
    assert "What each caveat costs" not in html
    # edited by hand after solving, the prices are the solved plan's: not shown, and said so
    book = load_workbook(priced)
    book["Allocation"].delete_rows(2)
    book.save(priced)
    html = write_report([priced], tmp_path / "edited.html").read_text(encoding="utf-8")
    assert "What each caveat costs" not in html
    assert "the caveats&#39; prices and the alternatives are not" in html or (
        "the caveats' prices and the alternatives are not" in html
    )


def test_the_briefing_lists_the_alternative_plans_when_the_output_has_them(tmp_path: Path) -> None:
    """S1 and S2 need 2 INF each; A and B pledge 2 each at the same cost per unit: A at S1 and
    B at S2, or the other way round, are as good at every stage. The output of
    `solve --alternatives 1` has an Alternatives sheet; its briefing lists the other plan."""
    src = simple_case(tmp_path / "case.xlsx")
    result = api.solve(src, alternatives=1)
    out = api.write(result, tmp_path / "alt.xlsx", [src])
    assert "Alternatives" in load_workbook(out, read_only=True).sheetnames
    html = write_report([out], tmp_path / "alt.html").read_text(encoding="utf-8")
    assert "Other plans as good" in html and "Allocation.2" in html
    # A -2 at S1, +2 at S2; B +2 at S1, -2 at S2: 8 units changed (4 relocated)
    assert "units_changed" in html and "units_moved" not in html
    assert ">8<" in html.replace(" ", "")


def test_an_output_of_before_the_rename_shows_its_units_moved_as_units_changed(
    tmp_path: Path,
) -> None:
    """The world above, its Alternatives sheet's `units_changed` header typed back to
    `units_moved` (an output written before the rename, the same sum of |change|): the
    briefing still shows the column, with its 8."""
    src = simple_case(tmp_path / "case.xlsx")
    out = api.write(api.solve(src, alternatives=1), tmp_path / "alt.xlsx", [src])
    wb = load_workbook(out)
    sheet = wb["Alternatives"]
    for cell in sheet[1]:
        if cell.value == "units_changed":
            cell.value = "units_moved"
    wb.save(out)
    html = write_report([out], tmp_path / "alt.html").read_text(encoding="utf-8")
    assert "units_changed" in html and ">8<" in html.replace(" ", "")


def test_the_briefing_calls_plans_found_within_a_cost_band_nearly_as_good(tmp_path: Path) -> None:
    """S1 needs 2 INF; A's cost 1 per unit, B's 1.02: the plan sends A's 2 (cost 2), and
    `--within 5%` finds B's 2 (cost 2.04, 2% dearer). Not 'as good': the heading gives the band."""
    src = simple_case(
        tmp_path / "case.xlsx",
        requirements=[{"site": "S1", "capability": "INF", "units": 2}],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 2, "cost_per_unit": 1},
            {"contributor": "B", "capability": "INF", "units": 2, "cost_per_unit": 1.02},
        ],
    )
    result = api.solve(src, alternatives=1, within=0.05)
    assert list(result.tables.extra["Alternatives"]["cost_above_plan_pct"]) == [0, 2]
    out = api.write(result, tmp_path / "alt.xlsx", [src])
    html = write_report([out], tmp_path / "alt.html").read_text(encoding="utf-8")
    assert "Other plans nearly as good: cost within 5% of the plan&#39;s" in html
    assert "Other plans as good" not in html


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
    from solver.report.figures import site_map

    places = pd.DataFrame({"site": ["S1", "S2"], "lat": [50.0, 49.0], "lon": [30.0, 24.0]})
    places["country"] = "UKR"
    alloc = pd.DataFrame({"site": ["S1", "S2"], "personnel": [300, 100]})
    homes = pd.DataFrame({"contributor": ["A"], "lat": [52.0], "lon": [21.0]})
    drawn, _ = site_map(cov, alloc.assign(contributor="A"), places, homes)
    assert "S1 2/4" in drawn and "S1 3/4" not in drawn


def test_a_comparison_gives_each_outputs_priority_where_they_differ(tmp_path: Path) -> None:
    """simple_case with S1 and S2 needing 2 INF each and 3 units pledged (A 2, B 1). Base puts
    S1 first (p1, S2 p2): S1 2, S2 1. The what-if swaps them (S1 p2, S2 p1): S1 1, S2 2. The
    lines that change give each output's priority (it gave the first's, so the what-if's
    shortfall at S1 read as priority 1 where it counts at 2); the requirement, 2 in both,
    stays one column."""
    pledges = [
        {"contributor": "A", "capability": "INF", "units": 2, "cost_per_unit": 1},
        {"contributor": "B", "capability": "INF", "units": 1, "cost_per_unit": 1},
    ]

    def solved_with(name: str, s1: int, s2: int) -> Path:
        requirements = [
            {"site": "S1", "capability": "INF", "units": 2, "priority": s1},
            {"site": "S2", "capability": "INF", "units": 2, "priority": s2},
        ]
        path = simple_case(tmp_path / f"{name}.xlsx", requirements=requirements, pledges=pledges)
        return api.write(api.solve(path), tmp_path / f"{name}-out.xlsx", [path])

    base, what_if = solved_with("base", 1, 2), solved_with("whatif", 2, 1)
    html_path = tmp_path / "page.html"
    result = CliRunner().invoke(main, ["report", str(base), str(what_if), "-o", str(html_path)])
    assert result.exit_code == 0, result.output
    html = html_path.read_text(encoding="utf-8")
    assert (
        "<th>site</th><th>capability</th><th>priority: base-out.xlsx (base)</th>"
        "<th>priority: whatif-out.xlsx (base)</th><th>required</th>"
        "<th>allocated: base-out.xlsx (base)</th><th>allocated: whatif-out.xlsx (base)</th>"
    ) in html
    cells = r"<td>{}</td><td>INF</td><td>{}</td><td>{}</td><td[^>]*>2</td><td[^>]*>{}</td>"
    assert re.search(cells.format("S1", 1, 2, 2) + r"<td[^>]*>1 <span[^>]*>\(-1\)", html)
    assert re.search(cells.format("S2", 2, 1, 1) + r"<td[^>]*>2 <span[^>]*>\(\+1\)", html)


def test_binding_caveats_are_said_not_to_be_costly(tmp_path: Path) -> None:
    """A planner read "Caveats that bind" as "these cause the gaps": the section says what
    binding means, and where the caveats' prices are (here: not computed, so --price-caveats)."""
    out = api.write(api.solve(EXAMPLE), tmp_path / "ex-out.xlsx", [EXAMPLE])
    text = write_report([out], tmp_path / "ex.html").read_text(encoding="utf-8")
    assert "Binding is not the same as costly" in text
    assert "<code>--price-caveats</code> solves again without each" in text


def test_a_change_of_a_large_figure_reads_whole() -> None:
    """A cost's change of 14,931,845.3 read `+1.493e+07` in a comparison (HTML trial): from
    1,000 on a change is whole with separators; below it, 4 significant digits as before."""
    from solver.report.view import change

    assert change(102_009_234.3, 87_077_389.0) == "+14,931,845"
    assert change(27_114_928.6, 26_769_619.1) == "+345,310"
    assert change(91.45, 91.5) == "-0.05"
    assert change(3, 5) == "-2"
    assert change(1, 1) == ""
    assert change(float("nan"), 3) == "" and change(1, float("nan")) == ""  # a row one lacks


def test_an_edited_plan_whose_input_is_found_but_does_not_fit_says_why(tmp_path: Path) -> None:
    """case.xlsx solved to out.xlsx beside it, then A's row moved by hand to 'S9' (a typo: no
    such site). The input is found, but does not fit the edit: the page says so, naming the
    cell, where it said the input `was not found (use --input)` (HTML trial)."""
    case = simple_case(tmp_path / "case.xlsx")
    out = api.write(api.solve(case), tmp_path / "out.xlsx", [case])
    wb = load_workbook(out)
    assert wb["Allocation"]["C1"].value == "site"
    wb["Allocation"]["C2"] = "S9"
    wb.save(out)
    html = write_report([out], tmp_path / "r.html").read_text(encoding="utf-8")
    assert "was not found" not in html
    assert "but case.xlsx does not fit it (Allocation!C2: site &#39;S9&#39;" in html, html
    assert "the rules were not checked (see the note below)" in html


def test_an_edited_plans_gaps_are_listed_most_important_first() -> None:
    """An edited snapshot has no Gaps of its own: its short lines come from Coverage, in sheet
    order, where a priority-2 line at S1 came before a priority-1 line at S2 (HTML trial):
    listed by priority now, sheet order within."""
    import pandas as pd

    from solver.report.html import gaps_table
    from solver.report.load import Output

    coverage = pd.DataFrame(
        {
            "site": ["S1", "S1", "S2", "S3"],
            "capability": ["INF", "AD", "INF", "AD"],
            "priority": [2, 3, 1, 1],
            "required": [2, 1, 2, 1],
            "allocated": [1, 0, 0, 0],
            "shortfall": [1, 1, 2, 1],
        }
    )
    summary = {"status": "edited", "solved_status": "optimal"}
    out = Output(Path("edited.xlsx"), summary, {"Coverage": coverage, "Allocation": None})
    table = gaps_table(out)
    assert table is not None
    assert [(r.cells[0].text, r.cells[2].text) for r in table.rows] == [
        ("S2", "1"),
        ("S3", "1"),
        ("S1", "2"),
        ("S1", "3"),
    ]


def test_a_home_inside_the_map_frame_is_drawn_not_said_off_it() -> None:
    """Sites at 30°E and 40°E (centre 35°E): B's home at 12°E is near (within 25°), and sets
    the frame's west edge at 12 - 2.24 = 9.76°E; C's at 9.9°E is 25.1° from the centre, yet
    inside the frame: drawn and named there, not listed as off the frame (a trial's FRA)."""
    import pandas as pd

    from solver.report.figures import site_map

    cov = pd.DataFrame(
        {"site": ["S1", "S2"], "allocated": [1, 1], "required": [1, 1], "shortfall": [0, 0]}
    )
    places = pd.DataFrame({"site": ["S1", "S2"], "lat": [50.0, 50.0], "lon": [30.0, 40.0]})
    places["country"] = "X"
    alloc = pd.DataFrame({"contributor": ["B", "C"], "site": ["S1", "S2"], "personnel": [100, 100]})
    homes = pd.DataFrame({"contributor": ["B", "C"], "lat": [50.0, 50.0], "lon": [12.0, 9.9]})
    drawn, off = site_map(cov, alloc, places, homes)
    assert off == []
    assert ">C</text>" in drawn and ">B</text>" in drawn


def test_an_output_named_with_a_leading_underscore_is_in_the_comparison_legend() -> None:
    """matplotlib leaves a label starting with `_` out of a legend (review: `_draft.xlsx`)."""
    from solver.report.figures import compare_coverage

    drawn = compare_coverage(["_draft.xlsx", "b.xlsx"], [{"p1": 0.5}, {"p1": 0.7}])
    assert ">_draft.xlsx</text>" in drawn and ">b.xlsx</text>" in drawn


def tidy_headers(output: Path, sheets: tuple[str, ...]) -> None:
    """A planner's tidying of an output: each sheet's headers capitalised, with a space after."""
    book = load_workbook(output)
    for name in sheets:
        for cell in book[name][1]:
            if isinstance(cell.value, str):
                cell.value = cell.value.capitalize() + " "
    book.save(output)


def test_headers_tidied_by_hand_are_read_as_written(layout: Path) -> None:
    """`Site ` for `site` on every table of the output: the briefing reads the tables (before,
    an internal error `KeyError: 'site'`, exit 1), and shows the plan as solved."""
    sheets = ("Summary", "Allocation", "Coverage", "Contributors", "Gaps")
    tidy_headers(layout / "outputs" / "coalition.xlsx", sheets)
    result = CliRunner().invoke(main, ["report", "outputs/coalition.xlsx"])
    assert result.exit_code == 0, result.output
    text = (layout / "outputs" / "coalition.html").read_text(encoding="utf-8")
    assert MAP in text and "edited after solving" not in text


def test_out_of_memory_in_a_report_is_not_called_a_model_too_large(
    layout: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A report builds no model: out of memory it says the command needs more memory."""
    import solver.report.command as command

    def exhausted(*args: object, **kwargs: object) -> None:
        raise MemoryError

    monkeypatch.setattr(command, "write_report", exhausted)
    result = CliRunner().invoke(main, ["report", "outputs/coalition.xlsx"])
    assert result.exit_code == 1
    assert "out of memory: `report` needs more memory than this machine has" in result.output
