"""Whether two timed outputs cover the same periods (their Burden sheets': every period of
each plan): notes where they do not, and the scenarios that share none with base (split from
compare/timed_tables.py)."""

from __future__ import annotations

from ..io.baseline_calendar import spans_of
from ..io.periods import months_text
from .timed_views import TimedView
from .views import number


def horizon_notes(views: list[TimedView]) -> list[str]:
    """What each output's periods (its Burden sheet's: every period) do not share with base's:
    periods only one of them has (a line's change there is against nothing), or the same names
    over another number of months (the Summary's `horizon_months`: a period of the same name
    may be longer, and its units are compared as if it were not)."""
    base, notes = views[0], []
    for view in views[1:]:
        if not base.horizon or not view.horizon:
            continue
        own = [p for p in view.horizon if p not in set(base.horizon)]
        lacks = [p for p in base.horizon if p not in set(view.horizon)]
        said = [f"{', '.join(own)} only in {view.name}"] if own else []
        said += [f"{', '.join(lacks)} only in {base.name}"] if lacks else []
        if said and not set(base.horizon) & set(view.horizon):
            notes.append(
                f"{view.name} shares no period with {base.name}: their coverage is not compared "
                "(a line's change per period), tours and stages over each one's own"
            )
            continue
        if said:
            notes.append(
                f"{view.name}'s periods are not {base.name}'s ({'; '.join(said)}): coverage is "
                "compared in the periods both have, tours and stages over each one's own"
                + _cut_otherwise(base, view)
            )
            continue
        before, after = (number(v.summary.get("horizon_months")) for v in (base, view))
        if before is not None and after is not None and before != after:
            notes.append(
                f"{view.name}'s periods have {base.name}'s names but cover {_whole(after)} "
                f"months against {_whole(before)}: a period of the same name may be longer "
                "or shorter, and its units are compared as if it were not"
            )
    return notes


def _cut_otherwise(base: TimedView, view: TimedView) -> str:
    """`; and 2027-04 is 2027-04..2027-06 in base, 2027-04 in v1: ...` where periods of one
    name stand for other months in the two outputs (`baseline_calendar.spans_of`): an
    uneven-periods trial read +2 units in a month the base held all along."""
    spans = [
        spans_of(v.horizon, int(number(v.summary.get("horizon_months")) or 0)) for v in (base, view)
    ]
    if spans[0] is None or spans[1] is None:
        return ""
    differ = [p for p in view.horizon if p in spans[0] and spans[0][p] != spans[1].get(p)]
    if not differ:
        return ""
    first = differ[0]
    return (
        f"; and {len(differ)} of the periods both name "
        f"{'stands' if len(differ) == 1 else 'stand'} for other months ({first} is "
        f"{months_text(spans[0][first])} in {base.name}, {months_text(spans[1][first])} in "
        f"{view.name}): their units are compared by name, not by month"
    )


def no_shared_period(views: list[TimedView]) -> list[TimedView]:
    """The scenarios (not base) whose periods and base's, both known, have none in common:
    their coverage is not compared (a review: compare said `none` changed beside coverage
    falling from 100% to 50%)."""
    base = views[0]
    return [
        v
        for v in views[1:]
        if base.horizon and v.horizon and not set(base.horizon) & set(v.horizon)
    ]


def _whole(value: float) -> int | float:
    value = round(float(value), 6)
    return int(value) if value.is_integer() else value
