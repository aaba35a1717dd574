"""The page's Jinja2 environment: templates shipped in solver/report/templates, autoescape on.

Every text from a workbook reaches the page through a template variable and is escaped there;
only the SVG that figures.py draws is marked safe (`svg`), because matplotlib escapes the texts
it draws into it. A missing variable is an error (StrictUndefined), never a blank."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup


@cache
def environment() -> Environment:
    return Environment(
        loader=PackageLoader("solver.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(name: str, **context: Any) -> str:
    """The template `name` rendered with `context`, each figure's element ids its own
    (`unique_ids`)."""
    return unique_ids(environment().get_template(name).render(**context))


_SVG = re.compile(r"<svg\b.*?</svg>", re.S)
_TAG = re.compile(r"<[^<>]+>")  # matplotlib escapes '<' and '>' in a figure's texts
_ID = re.compile(r'\bid="([^"]+)"')


def unique_ids(page: str) -> str:
    """Every id that more than one of the page's figures defines, prefixed `fn-` in the n-th
    figure (n = 1, 2, ...), with the references to it there (`url(#id)`, `href="#id"`):
    matplotlib names the elements of each figure alike (`figure_1`, `axes_1`, a marker's
    hash), so a page of several figures repeated some 200 ids, which HTML forbids, and a
    reference could resolve to another figure's clip path. An id only one figure has keeps
    its name (the Gantt charts' `tour:Kyiv:FRA:INF_BN:P1:P2`). Only tags are read and
    rewritten: a figure's texts keep a `"` unescaped, so a nation named `A id="x"` is text.
    Figures are never nested; the numbering follows the page, so the same page gives the
    same ids."""
    seen: dict[str, int] = {}
    for figure in _SVG.findall(page):
        for name in {n for tag in _TAG.findall(figure) for n in _ID.findall(tag)}:
            seen[name] = seen.get(name, 0) + 1
    shared = sorted((name for name, n in seen.items() if n > 1), key=len, reverse=True)
    if not shared:
        return page
    names = "|".join(re.escape(name) for name in shared)
    ids = re.compile(rf'(\bid="|url\(#|href="#)({names})(?=[")])')
    count = 0

    def own(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        prefix = f"f{count}-"
        return _TAG.sub(
            lambda tag: ids.sub(lambda m: m.group(1) + prefix + m.group(2), tag.group(0)),
            match.group(0),
        )

    return _SVG.sub(own, page)


def svg(figure: str) -> Markup:
    """A figure drawn by figures.py (matplotlib's SVG, its texts escaped by matplotlib) as
    markup the templates insert unescaped; anything else is refused."""
    if not figure.startswith("<svg"):
        raise ValueError("only an SVG drawn by figures.py is inserted unescaped")
    return Markup(figure)
