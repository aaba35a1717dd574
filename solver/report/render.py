"""The page's Jinja2 environment: templates shipped in solver/report/templates, autoescape on.

Every text from a workbook reaches the page through a template variable and is escaped there;
only the SVG that figures.py draws is marked safe (`svg`), because matplotlib escapes the texts
it draws into it. A missing variable is an error (StrictUndefined), never a blank."""

from __future__ import annotations

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
    """The template `name` rendered with `context`."""
    return environment().get_template(name).render(**context)


def svg(figure: str) -> Markup:
    """A figure drawn by figures.py (matplotlib's SVG, its texts escaped by matplotlib) as
    markup the templates insert unescaped; anything else is refused."""
    if not figure.startswith("<svg"):
        raise ValueError("only an SVG drawn by figures.py is inserted unescaped")
    return Markup(figure)
