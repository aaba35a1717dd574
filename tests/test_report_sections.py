"""The briefing's sections that an output may or may not have (caveat prices, alternatives, the
cost's unit, an infeasible run, no plan) and several outputs compared on one page."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

os.environ.setdefault("MPLCONFIGDIR", tempfile.mkdtemp(prefix="forcegen-mpl-"))

from solver import api
from solver.cli import main
from solver.report.command import write_report
from solver.report.view import BLANK

from .conftest import EXAMPLE
from .report_case import (
    with_cost_unit,
)
from .workbooks import simple_case


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
    # neither better nor worse: the largest stage's gap ranks no plan (an analyst trial)
    assert re.search(r'<td>mip_gap \(%\)</td>.*?<span class="chg">\(\+3\.82\)', text)


def test_several_outputs_are_compared(example_briefing, tmp_path: Path) -> None:
    _, out, _ = example_briefing
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
    # what the shortfall rows count, under the table (a trial: p1 4 here, 2 units short there)
    assert (
        "objective.shortfall.pN: the objective&#39;s stages, units short weighted by each "
        "line&#39;s weight; shortfall_units.pN: the units short, unweighted." in text
    )
    # and that the other figures are the plan's, which another plan as good may not share (an
    # analyst trial read two proven plans' lines_sustained as what the scenario costs)
    assert (
        "The other figures (coverage_pct, personnel, contributors) are those of the plan each "
        "output holds: another plan as good at every stage may differ in them" in text
    )


def test_the_header_names_each_outputs_input() -> None:
    """One input when every output names the same file with the same SHA-256; else each
    output's (it used to name the first output's only), a name given before with other content
    marked as another version of it."""
    from solver.outputs.load import Output
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


def test_cost_is_shown_with_its_unit(example_briefing, tmp_path: Path) -> None:
    result, out, _ = example_briefing
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


def test_without_a_recorded_unit_the_cost_says_nothing_of_it(
    example_briefing, tmp_path: Path
) -> None:
    _, out, _ = example_briefing
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
    assert "<svg" not in text and "This output holds no plan" in text
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


def test_a_comparison_draws_no_coverage_bar_for_an_output_without_plan(
    example_briefing, tmp_path: Path, monkeypatch
) -> None:
    from solver.outputs.load import load_output
    from solver.report import compare

    _, out, _ = example_briefing
    path = simple_case(
        tmp_path / "inf.xlsx",
        requirements=[{"site": "S1", "capability": "INF", "units": 5, "hard": "yes"}],
    )
    infeasible = api.write(api.solve(path), tmp_path / "inf-out.xlsx", [path])
    drawn: list = []
    named: list = []
    monkeypatch.setattr(
        compare.figures,
        "compare_coverage",
        lambda labels, bars: named.append(labels) or drawn.append(bars) or "<svg/>",
    )
    compare.comparison_section([load_output(out), load_output(infeasible)])
    first, second = drawn[0]
    assert first["all"] > 0.5 and second == {}  # not a 0% bar: there is no plan to cover
    # and its legend entry says so (a trial read the empty entry as 0%)
    assert named[0][1].endswith(" (no plan)") and not named[0][0].endswith(" (no plan)")


def test_a_comparison_gives_an_output_without_plan_no_plan_figures(
    example_briefing, tmp_path: Path
) -> None:
    """The same pair, the infeasible output second: its column of figures is blank but for its
    status (its Summary's zeros read as a plan that lost every unit and person: a trial), and no
    line or contributor is listed as lost to it, as `forcegen compare` shows it."""
    from solver.outputs.load import load_output
    from solver.report import compare

    _, out, _ = example_briefing
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


def test_no_section_of_changes_says_no_change_of_an_output_without_plan(tmp_path: Path) -> None:
    """A plan beside an infeasible output: the sections of lines and contributors said "No
    change against the first output." under the note that it is not compared (a trial): they say
    it is not compared, in `forcegen compare`'s words. Beside a second plan that is the same,
    no change is said of the plans alone, and the infeasible output is still not compared."""
    case = simple_case(tmp_path / "case.xlsx")
    plan = api.write(api.solve(case), tmp_path / "plan.xlsx", [case])
    same = api.write(api.solve(case), tmp_path / "same.xlsx", [case])
    hard = [{"site": "S1", "capability": "INF", "units": 5, "hard": "yes"}]
    infeasible_case = simple_case(tmp_path / "inf.xlsx", requirements=hard)
    infeasible = api.write(api.solve(infeasible_case), tmp_path / "inf-out.xlsx")
    pair = write_report([plan, infeasible], tmp_path / "pair.html").read_text(encoding="utf-8")
    said = "<p>inf-out.xlsx (base) has no plan (infeasible): not compared.</p>"
    assert "No change against the first output" not in pair
    assert pair.count(said) == 2, pair  # lines, contributors
    three = write_report([plan, same, infeasible], tmp_path / "three.html")
    text = three.read_text(encoding="utf-8")
    assert (
        text.count(
            "<p>No change against the first output among those with a plan; inf-out.xlsx (base) "
            "has no plan (infeasible): not compared.</p>"
        )
        == 2
    ), text


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
    # the sheet's percent said as one (a trial read a bare 0.009295 as 0.93%)
    assert ">2%<" in html.replace(" ", "") and ">0%<" in html.replace(" ", "")


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


def test_an_output_named_with_a_leading_underscore_is_in_the_comparison_legend() -> None:
    """matplotlib leaves a label starting with `_` out of a legend (review: `_draft.xlsx`)."""
    from solver.report.figures import compare_coverage

    drawn = compare_coverage(["_draft.xlsx", "b.xlsx"], [{"p1": 0.5}, {"p1": 0.7}])
    assert ">_draft.xlsx</text>" in drawn and ">b.xlsx</text>" in drawn
