"""Keep the generated column reference in docs/workbook.md in step with the schema (the input
sheets' columns and the output Summary's keys).

python -m solver.docs          # rewrite the generated section
python -m solver.docs --check  # exit 1 if it is out of date (run by the tests)
"""

from __future__ import annotations

import sys
from pathlib import Path

from .io.summary_keys import markdown as summary_keys
from .io.template import markdown_tables

BEGIN = "<!-- BEGIN GENERATED: python -m solver.docs -->"
END = "<!-- END GENERATED -->"
DOC = Path(__file__).resolve().parent.parent / "docs" / "workbook.md"


def render(text: str) -> str:
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    keys = f"\n### Summary keys (output)\n\n{summary_keys()}"
    return f"{head}{BEGIN}\n{markdown_tables()}{keys}{END}{tail}"


def main(argv: list[str]) -> int:
    text = DOC.read_text(encoding="utf-8")
    new = render(text)
    if "--check" in argv:
        if new != text:
            print(f"{DOC} is out of date: run python -m solver.docs", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
