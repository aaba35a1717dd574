"""The contract's core rules, checked on a plan: one function per rule, each returning violations.

These are a second implementation of `## The model` of the workbook contract, written from its
text over the validated data; they share nothing with the model builder.
"""

from __future__ import annotations

from collections.abc import Callable

from ..data import is_blank
from .plan import Plan, Violation, listing, sends, units_text


def unavailable(plan: Plan) -> list[Violation]:
    """An unavailable contributor deploys nothing."""
    out = []
    for r in plan.alloc.itertuples(index=False):
        if r.contributor not in plan.available:
            out.append(
                Violation(
                    "unavailable",
                    (r.contributor,),
                    f"contributor {r.contributor} is unavailable: {sends(r)}",
                    (r.row,),
                )
            )
    return out


def not_pledged(plan: Plan) -> list[Violation]:
    """x[c, k, s] exists only where c pledged k."""
    out = []
    for r in plan.alloc.itertuples(index=False):
        if (r.contributor, r.capability) not in plan.pledged:
            out.append(
                Violation(
                    "not_pledged",
                    (f"{r.contributor}/{r.capability}",),
                    f"{r.contributor} pledged no {r.capability}: {sends(r)}",
                    (r.row,),
                )
            )
    return out


def not_required(plan: Plan) -> list[Violation]:
    """x[c, k, s] exists only where s requires k."""
    out = []
    for r in plan.alloc.itertuples(index=False):
        if (r.site, r.capability) not in plan.required:
            out.append(
                Violation(
                    "not_required",
                    (f"{r.site}/{r.capability}",),
                    f"{r.site} does not require {r.capability}: {sends(r)}",
                    (r.row,),
                )
            )
    return out


def pledges(plan: Plan) -> list[Violation]:
    """sum over s of x[c, k, s] <= pledged units of (c, k)."""
    out = []
    for (c, k), group in plan.alloc.groupby(["contributor", "capability"], sort=True):
        pledged = plan.pledged.get((c, k))
        total = int(group["units"].sum())
        if pledged is not None and total > pledged:
            out.append(
                Violation(
                    "pledge",
                    (f"{c}/{k}",),
                    f"pledge {c}/{k}: {units_text(total)} allocated, {pledged} pledged "
                    f"({listing(group)})",
                    plan.rows(group),
                )
            )
    return out


def requirements(plan: Plan) -> list[Violation]:
    """sum over c of x[c, k, s] <= required units of (s, k)."""
    out = []
    for (s, k), group in plan.alloc.groupby(["site", "capability"], sort=True):
        required = plan.required.get((s, k))
        total = int(group["units"].sum())
        if required is not None and total > required:
            who = ", ".join(f"{r.contributor} {r.units}" for r in group.itertuples(index=False))
            out.append(
                Violation(
                    "requirement",
                    (f"{s}/{k}",),
                    f"requirement {s}/{k}: {units_text(total)} allocated ({who}), {required} required",
                    plan.rows(group),
                )
            )
    return out


def allocated(plan: Plan, site: str, capability: str) -> int:
    sel = (plan.alloc["site"] == site) & (plan.alloc["capability"] == capability)
    return int(plan.alloc.loc[sel, "units"].sum())


def line_rows(plan: Plan, site: str, capability: str) -> tuple[int, ...]:
    """The Allocation rows with units on line (site, capability): where a planner looks to see
    who fills a line that is partly met."""
    alloc = plan.alloc
    sel = (alloc["site"] == site) & (alloc["capability"] == capability) & (alloc["units"] > 0)
    return plan.rows(alloc[sel])


def hard(plan: Plan) -> list[Violation]:
    """A requirement marked hard on the Requirements sheet is met in full (shortfall = 0)."""
    out = []
    rq = plan.data.requirements
    for s, k, units, is_hard in zip(
        rq["site"], rq["capability"], rq["units"], rq["hard"], strict=True
    ):
        got = allocated(plan, s, k)
        if bool(is_hard) and got < units:
            out.append(
                Violation(
                    "hard",
                    (f"{s}/{k}",),
                    f"hard requirement {s}/{k}: {units_text(got)} allocated, {units} required "
                    f"(short {units - got})",
                    line_rows(plan, s, k),
                )
            )
    return out


def single_source(plan: Plan) -> list[Violation]:
    """On a single_source line, at most one contributor has x > 0."""
    out = []
    rq = plan.data.requirements
    for s, k in zip(
        rq.loc[rq["single_source"], "site"], rq.loc[rq["single_source"], "capability"], strict=True
    ):
        group = plan.alloc[(plan.alloc["site"] == s) & (plan.alloc["capability"] == k)]
        if group["contributor"].nunique() > 1:
            who = ", ".join(f"{r.contributor} {r.units}" for r in group.itertuples(index=False))
            out.append(
                Violation(
                    "single_source",
                    (f"{s}/{k}", *sorted(set(group["contributor"]))),
                    f"single-source line {s}/{k}: {group['contributor'].nunique()} contributors "
                    f"({who}), at most 1 allowed",
                    plan.rows(group),
                )
            )
    return out


def max_contributors(plan: Plan) -> list[Violation]:
    """At most `max_contributors` contributors present (>= 1 unit) at a site."""
    out = []
    sit = plan.data.sites
    for s, limit in zip(sit["site"], sit["max_contributors"], strict=True):
        if is_blank(limit):
            continue
        group = plan.alloc[plan.alloc["site"] == s]
        present = sorted(set(group["contributor"]))
        if len(present) > limit:
            out.append(
                Violation(
                    "max_contributors",
                    (s, *present),
                    f"site {s}: {len(present)} contributors present ({', '.join(present)}), "
                    f"at most {int(limit)} allowed",
                    plan.rows(group),
                )
            )
    return out


CORE_RULES: tuple[Callable[[Plan], list[Violation]], ...] = (
    unavailable,
    not_pledged,
    not_required,
    pledges,
    requirements,
    hard,
    single_source,
    max_contributors,
)
