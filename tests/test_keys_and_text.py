"""One policy for text cells: keys normalised and checked for look-alikes, free text kept exactly.

docs/workbook.md ("Keys and text") states the policy; `solver/io/text.py` implements it.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from solver import api
from solver.cli import main
from solver.errors import InputError

from .workbooks import simple_case

CYRILLIC_A = "\u0410"  # looks exactly like Latin A


def warnings_of(path: Path) -> list[str]:
    return [str(w) for w in api.read(path).warnings]


def errors_of(path: Path) -> list[str]:
    with pytest.raises(InputError) as info:
        api.read(path)
    return [str(e) for e in info.value.errors]


def sheet_rows(path: Path, sheet: str) -> list[dict[str, object]]:
    wb = load_workbook(path, read_only=True)
    try:
        values = list(wb[sheet].iter_rows(values_only=True))
    finally:
        wb.close()
    return [dict(zip(values[0], r, strict=True)) for r in values[1:]]


def with_raw_carriage_returns(path: Path) -> Path:
    """openpyxl writes a CR raw, and XML reads a raw CR as a line feed: write it as `&#13;`,
    as a CR that Excel stores survives reading."""
    with zipfile.ZipFile(path) as zf:
        parts = {info.filename: zf.read(info) for info in zf.infolist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in parts.items():
            if name.startswith("xl/worksheets/"):
                body = body.replace(b"\r", b"&#13;")
            zf.writestr(name, body)
    return path


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("A\u200f", "'A<U+200F RIGHT-TO-LEFT MARK>'"),
        ("A\u200e", "'A<U+200E LEFT-TO-RIGHT MARK>'"),
        ("A\u200d", "'A<U+200D ZERO WIDTH JOINER>'"),
        ("A\u200c", "'A<U+200C ZERO WIDTH NON-JOINER>'"),
        ("\u00adA", "'<U+00AD SOFT HYPHEN>A'"),
        ("\u202bA\u202c", "'<U+202B RIGHT-TO-LEFT EMBEDDING>A<U+202C POP DIRECTIONAL FORMATTING>'"),
        ("\ufeffA", "'<U+FEFF ZERO WIDTH NO-BREAK SPACE>A'"),
        ("\uff21", "'Ａ'"),  # full-width A: NFKC
    ],
)
def test_invisible_and_bidi_characters_in_a_key_are_removed_with_a_readable_warning(
    tmp_path: Path, typed: str, shown: str
) -> None:
    path = simple_case(
        tmp_path / "k.xlsx",
        pledges=[
            {"contributor": typed, "capability": "INF", "units": 2, "cost_per_unit": 1},
            {"contributor": "B", "capability": "INF", "units": 2, "cost_per_unit": 1},
        ],
    )
    data = api.read(path)
    assert list(data.pledges["contributor"]) == ["A", "B"]
    assert (
        f"warning: Pledges!A2: contributor {shown} has extra spaces or special characters; read "
        "as 'A' (retype it to silence this warning)"
    ) in [str(w) for w in data.warnings]


def test_lookalike_keys_of_one_sheet_are_two_keys_with_a_warning_naming_both_cells(
    tmp_path: Path,
) -> None:
    path = simple_case(
        tmp_path / "lookalike.xlsx",
        contributors=[
            {"contributor": "A"},
            {"contributor": "B"},
            {"contributor": CYRILLIC_A},
        ],
    )
    data = api.read(path)
    assert sorted(data.contributors["contributor"]) == ["A", "B", CYRILLIC_A]
    assert (
        f"warning: Contributors!A4: contributor '{CYRILLIC_A}' looks like 'A' at Contributors!A2 "
        "but differs: it has U+0410 CYRILLIC CAPITAL LETTER A where 'A' has U+0041 LATIN CAPITAL "
        "LETTER A; both are read, as two different values (retype one if they are meant to be "
        "the same)"
    ) in [str(w) for w in data.warnings]


def test_a_reference_in_lookalike_letters_names_the_letter(tmp_path: Path) -> None:
    path = simple_case(
        tmp_path / "ref.xlsx",
        sites=[{"site": "S1"}, {"site": "S2"}, {"site": "KYIV"}],
        requirements=[{"site": "\u039aYIV", "capability": "INF", "units": 1}],
    )
    assert errors_of(path) == [
        "Requirements!A2: site '\u039aYIV' is not on the Sites sheet (did you mean 'KYIV'? it has "
        "U+039A GREEK CAPITAL LETTER KAPPA where 'KYIV' has U+004B LATIN CAPITAL LETTER K)"
    ]


def test_lookalike_category_values_are_flagged_too(tmp_path: Path) -> None:
    path = simple_case(
        tmp_path / "cat.xlsx",
        capabilities=[
            {"capability": "INF", "category": "ground"},
            {"capability": "ART", "category": "gr\u043eund"},  # Cyrillic o
        ],
    )
    assert any(
        w.startswith(
            "warning: Capabilities!C3: category 'gr\u043eund' looks like 'ground' at "
            "Capabilities!C2"
        )
        for w in warnings_of(path)
    )


def test_a_control_character_inside_a_key_is_refused_naming_the_cell(tmp_path: Path) -> None:
    path = with_raw_carriage_returns(
        simple_case(
            tmp_path / "cr.xlsx",
            contributors=[{"contributor": "A\rB"}, {"contributor": "B"}],
            pledges=[{"contributor": "B\tX", "capability": "INF", "units": 1}],
        )
    )
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2, result.output
    assert (
        "error: Contributors!A2: contributor 'A<U+000D CARRIAGE RETURN>B' contains a control "
        "character (U+000D CARRIAGE RETURN); a key or code must be one line of text: retype the "
        "cell without it"
    ) in result.output
    assert (
        "error: Pledges!A2: contributor 'B<U+0009 TAB>X' contains a control character (U+0009 "
        "TAB); a key or code must be one line of text: retype the cell without it"
    ) in result.output


def test_a_carriage_return_around_a_key_is_trimmed_and_solve_then_verify_agree(
    tmp_path: Path,
) -> None:
    """Before: the CR was written raw into the plan and `verify` rejected forcegen's own output."""
    path = with_raw_carriage_returns(
        simple_case(
            tmp_path / "cr.xlsx",
            contributors=[{"contributor": "A\r\n"}, {"contributor": "B"}],
            sites=[{"site": "S1\r"}, {"site": "S2"}],
        )
    )
    out = tmp_path / "plan.xlsx"
    solved = CliRunner().invoke(main, ["solve", str(path), "-o", str(out)])
    assert solved.exit_code == 0, solved.output
    assert (
        "warning: Contributors!A2: contributor 'A<U+000D CARRIAGE RETURN><U+000A LINE FEED>' has "
        "extra spaces or special characters; read as 'A'"
    ) in solved.output
    verified = CliRunner().invoke(main, ["verify", str(path), str(out)])
    assert verified.exit_code == 0, verified.output


def test_free_text_is_kept_exactly_as_typed(tmp_path: Path) -> None:
    """Names, descriptions and notes are never rewritten: no NFKC ("km²" stays), no trimming."""
    name = " Área de 10 km² \u200f(ﬁnal) "
    path = simple_case(
        tmp_path / "free.xlsx",
        contributors=[{"contributor": "A", "name": name}, {"contributor": "B", "name": "Ｂ"}],
        capabilities=[
            {"capability": "INF", "category": "ground", "description": "Infantry\u00a0bn ²"}
        ],
        caveats=[{"contributor": "A", "caveat": "max_units", "value": 9, "note": "½ of\nall"}],
    )
    data = api.read(path)
    assert list(data.contributors["name"]) == [name, "Ｂ"]
    assert list(data.capabilities["description"]) == ["Infantry\u00a0bn ²"]
    assert list(data.caveats["note"]) == ["½ of\nall"]
    assert not [w for w in data.warnings if "A2" in str(w) or "Caveats" in str(w)]
    out = tmp_path / "plan.xlsx"
    result = CliRunner().invoke(main, ["solve", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    names = {r["contributor"]: r["name"] for r in sheet_rows(out, "Contributors")}
    assert names == {"A": name, "B": "Ｂ"}
    assert [r["note"] for r in sheet_rows(out, "Caveats")] == ["½ of\nall"]


@pytest.mark.parametrize(
    ("typed", "meant", "letter", "digit"),
    [
        ("2027-1O", "2027-10", "O", "0"),
        ("2O27-03", "2027-03", "O", "0"),
        ("2027-l1", "2027-11", "l", "1"),
    ],
)
def test_a_letter_typed_for_a_digit_is_pointed_at(
    typed: str, meant: str, letter: str, digit: str
) -> None:
    """'2027-1O' (the letter O) is '2027-10', not the nearest string difflib finds
    ('2027-12': one character off too)."""
    from solver.io.coerce import suggest

    months = [f"2027-{m:02d}" for m in range(1, 13)]
    assert suggest(typed, months) == (
        f" (did you mean '{meant}'? it has the letter '{letter}' where '{meant}' has the digit "
        f"'{digit}')"
    )


@pytest.mark.parametrize(
    ("typed", "meant"), [("M1", "M01"), ("m7", "M07"), ("P-001", "P-01"), ("2027-1", "2027-01")]
)
def test_a_number_without_its_padding_zeros_is_pointed_at(typed: str, meant: str) -> None:
    """'M1' is 'M01' with its zero left out: difflib's nearest string was 'M21' (as close by
    its ratio, and first in the list)."""
    from solver.io.coerce import suggest

    ids = ["M21", "M01", "M07", "M11", "P-01", "P-11", "2027-11", "2027-01", "2027-10"]
    assert suggest(typed, ids) == f" (did you mean '{meant}'?)"
    # a zero after a decimal point pads nothing: 'v1.5' is not 'v1.05' (review)
    assert suggest("v1.5", ["v1.05", "v1.50"]) == " (did you mean 'v1.50'?)"


def test_validate_counts_in_the_singular_where_there_is_one(tmp_path: Path) -> None:
    path = simple_case(
        tmp_path / "one.xlsx",
        caveats=[{"id": "K1", "contributor": "A", "caveat": "max_units", "value": 1}],
    )
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert "1 capability, 2 requirements" in result.output and "1 caveat, " in result.output
