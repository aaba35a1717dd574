"""The briefing's map: the sites by latitude and longitude, circle area ~ allocated personnel,
colour = coverage, grey lines from the contributors' homes (drawn by matplotlib as figures.py's
charts are).

Past MAP_LABELS sites (or HOME_LABELS homes) the labels are chosen: a scale trial's map of 300
sites and 100 homes was a black smear of overlapping names, every one of them unreadable. The
sites labelled are then the short ones, most units short first (a planner looks for the gaps);
the homes labelled, those sending the most personnel; and the map's notes say so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, NamedTuple

import pandas as pd
from matplotlib.colors import Normalize
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from ..wording import count
from .figures import CMAP, _figure, label, labels, site_coverage

MAP_LABELS = 30  # site labels at most (all up to one more)
HOME_LABELS = 40  # home codes at most (all up to one more)


class DrawnMap(NamedTuple):
    """The map's SVG, the contributors whose homes lie off its frame, and what it leaves
    unlabelled, in words (none where every site and home is labelled)."""

    svg: str
    off: list[str]
    unlabelled: list[str]


@dataclass(frozen=True)
class _MapFrame:
    """What the map shows: its centre latitude, its extent (padded around the sites and the
    engaged homes near them), the homes drawn, and the contributors whose homes lie off it."""

    lat0: float
    xlim: tuple[float, float]
    ylim: tuple[float, float]
    near: pd.DataFrame
    off: list[str]


def site_map(
    coverage: pd.DataFrame,
    allocation: pd.DataFrame,
    sites: pd.DataFrame,
    homes: pd.DataFrame,
    unit: str = "units",
    people: str = "personnel",
) -> DrawnMap:
    """Sites by lat/lon: circle area ~ allocated personnel, colour = coverage; lines from the
    contributors' homes (see DrawnMap for what it returns). `unit` and `people`: what the
    figures count (a timed output's, summed over its periods: unit-months and
    personnel-months; a slide shows the figure without the page's words)."""
    per_site = site_coverage(coverage).merge(sites, on="site", how="inner").dropna(subset=["lat"])
    personnel = allocation.groupby("site")["personnel"].sum()
    per_site["personnel"] = [float(personnel.get(s, 0)) for s in per_site["site"]]
    home = homes.dropna(subset=["lat", "lon"]).set_index("contributor")
    flows = allocation.groupby(["contributor", "site"], sort=True)["personnel"].sum().reset_index()
    frame = _map_frame(per_site, home, set(flows["contributor"]))
    shown = frame.near[frame.near.index.isin(set(flows["contributor"]))]
    site_names, home_names = site_labels(per_site), home_labels(shown, flows)
    with _figure(11, 7) as (fig, out):
        ax = fig.add_subplot()
        ax.set_aspect(1 / math.cos(math.radians(frame.lat0)))
        _draw_flows(ax, flows, home, per_site)
        home_texts = _draw_homes(ax, shown, home_names.names)
        _draw_country_names(ax, per_site)
        dots, site_texts = _draw_sites(ax, per_site, site_names.names)
        ax.set_xlim(*frame.xlim)
        ax.set_ylim(*frame.ylim)
        ax.set_xlabel("longitude (°E)")
        ax.set_ylabel("latitude (°N)")
        ax.grid(color="#EEEEEE", lw=0.6)
        # covered: each line up to its need (an edited plan's extra unit hides no gap), so the
        # label says so (a trial read `Lviv 12/12` beside a line allocated 4 of 3)
        fig.colorbar(
            dots, ax=ax, shrink=0.7, label=f"coverage (allocated up to need / required {unit})"
        )
        largest = per_site["personnel"].max()
        ax.set_title(f"Sites: circle area ~ allocated {people} (largest {largest:,.0f})")
        crowded = site_names.many or home_names.many
        texts = [(("site", n), t) for n, t in site_texts] + [
            (("home", n), t) for n, t in home_texts
        ]
        kept = _without_overlaps(fig, texts) if crowded else None
    short = int((per_site["shortfall"] > 0).sum())
    notes = [
        sites_note(len(per_site), short, _kept("site", site_texts, kept), site_names.many),
        homes_note(len(shown), _kept("home", home_texts, kept), home_names.many),
    ]
    return DrawnMap(out[0], frame.off, [n for n in notes if n])


class Labels(NamedTuple):
    """The names a map tries to label, in the order they win a place; `many`: past the limit,
    so chosen, and dropped where they overlap one placed before."""

    names: list[str]
    many: bool


def site_labels(per_site: pd.DataFrame) -> Labels:
    """Every site up to MAP_LABELS + 1, in the sites' order; past that, the short ones, most
    units short first (ties in the sites' order), MAP_LABELS at most."""
    if len(per_site) <= MAP_LABELS + 1:
        return Labels(per_site["site"].astype(str).tolist(), False)
    short = per_site[per_site["shortfall"] > 0]
    ranked = short.sort_values("shortfall", ascending=False, kind="mergesort")
    return Labels(ranked["site"].astype(str).head(MAP_LABELS).tolist(), True)


def home_labels(shown: pd.DataFrame, flows: pd.DataFrame) -> Labels:
    """Every home drawn up to HOME_LABELS + 1; past that, those of the HOME_LABELS
    contributors sending the most personnel (ties by code)."""
    every = shown.index.astype(str).tolist()
    if len(every) <= HOME_LABELS + 1:
        return Labels(every, False)
    sent = flows.assign(contributor=flows["contributor"].astype(str))
    sent = sent[sent["contributor"].isin(set(every))].groupby("contributor")["personnel"].sum()
    ranked = sent.reset_index().sort_values(["personnel", "contributor"], ascending=[False, True])
    return Labels(ranked["contributor"].head(HOME_LABELS).tolist(), True)


def _without_overlaps(fig: Any, texts: list[tuple[tuple[str, str], Text]]) -> set[tuple[str, str]]:
    """The (kind, name) keys whose label overlaps no label kept before it (`texts` in the
    order they win a place, measured on the laid-out figure); the others are hidden."""
    fig.draw_without_rendering()
    kept: dict[tuple[str, str], Bbox] = {}
    for name, text in texts:
        box = text.get_window_extent()
        if any(box.overlaps(other) for other in kept.values()):
            text.set_visible(False)
        else:
            kept[name] = box
    return set(kept)


def _kept(kind: str, texts: list[tuple[str, Text]], kept: set[tuple[str, str]] | None) -> list[str]:
    return [name for name, _ in texts if kept is None or (kind, name) in kept]


def sites_note(total: int, short: int, labelled: list[str], many: bool) -> str:
    """What the map says of its site labels ('' where every site is labelled)."""
    if not many and len(labelled) == total:
        return ""
    if many and not short:
        which = "none is short, so none is labelled"
    elif many and len(labelled) == short:
        which = f"only {count(short, 'short site')} {'is' if short == 1 else 'are'} labelled"
    elif many:
        verb = "is" if len(labelled) == 1 else "are"
        which = (
            f"{len(labelled)} of the {short} short sites {verb} labelled, the most short first, "
            "where labels do not overlap"
        )
    else:
        which = f"{len(labelled)} are labelled, where labels do not overlap"
    return f"{total} sites: {which}; the Coverage sheet shows every site's lines."


def homes_note(total: int, named: list[str], many: bool = True) -> str:
    """What the map says of its home names ('' where every home drawn is named); `many`: past
    HOME_LABELS, so those sending the most personnel were tried first."""
    if len(named) == total:
        return ""
    order = ", those sending the most personnel first," if many else ""
    return (
        f"{total} contributors' homes on the map: {len(named)} are named{order} where names do "
        "not overlap."
    )


def _map_frame(per_site: pd.DataFrame, home: pd.DataFrame, engaged: set[str]) -> _MapFrame:
    """The extent of the sites and of the engaged homes within 15° of latitude and 25° of
    longitude of the sites' centre, padded by 8% (at least 1.5° and 2°); homes farther away are
    said to lie off the frame, unless the padded frame holds them anyway."""
    lat0, lon0 = per_site["lat"].mean(), per_site["lon"].mean()
    near = home[(abs(home["lat"] - lat0) <= 15) & (abs(home["lon"] - lon0) <= 25)]
    off = sorted(c for c in engaged if c in home.index and c not in near.index)
    lats = pd.concat([per_site["lat"], near.loc[near.index.isin(engaged), "lat"]])
    lons = pd.concat([per_site["lon"], near.loc[near.index.isin(engaged), "lon"]])
    pad_lat = max(1.5, 0.08 * (lats.max() - lats.min()))
    pad_lon = max(2.0, 0.08 * (lons.max() - lons.min()))
    # a home the frame holds anyway is drawn, not said to lie off it (FRA at 2.35°E in a frame
    # from 1.9°E, set by the nearer homes, was named among those off the frame)
    inside = home[
        home["lat"].between(lats.min() - pad_lat, lats.max() + pad_lat)
        & home["lon"].between(lons.min() - pad_lon, lons.max() + pad_lon)
    ]
    return _MapFrame(
        lat0=lat0,
        xlim=(lons.min() - pad_lon, lons.max() + pad_lon),
        ylim=(lats.min() - pad_lat, lats.max() + pad_lat),
        near=home[home.index.isin(near.index) | home.index.isin(inside.index)],
        off=[c for c in off if c not in inside.index],
    )


def _draw_flows(ax: Any, flows: pd.DataFrame, home: pd.DataFrame, per_site: pd.DataFrame) -> None:
    """A grey line from each contributor's home to each site it deploys to, its width ~ the
    personnel it sends there."""
    top = max(flows["personnel"].max(), 1.0) if len(flows) else 1.0
    for c, s, p in flows.itertuples(index=False, name=None):
        to = per_site[per_site["site"] == s]
        if c in home.index and len(to):
            xs = [home.at[c, "lon"], to["lon"].iloc[0]]
            ys = [home.at[c, "lat"], to["lat"].iloc[0]]
            ax.plot(xs, ys, color="#7F7F7F", alpha=0.35, lw=0.4 + 2.2 * p / top, zorder=1)


def _draw_homes(ax: Any, shown: pd.DataFrame, named: list[str]) -> list[tuple[str, Text]]:
    """The engaged contributors' homes on the frame: a grey square, and the code of those
    `named` (their texts, in that order)."""
    ax.scatter(shown["lon"], shown["lat"], marker="s", s=14, color="#595959", zorder=2)
    texts = []
    for c in named:
        row = shown.loc[c]
        text = ax.annotate(
            label(c),
            (row["lon"], row["lat"]),
            xytext=(3, -8),
            textcoords="offset points",
            fontsize=7,
            color="#595959",
        )
        texts.append((c, text))
    return texts


def _draw_country_names(ax: Any, per_site: pd.DataFrame) -> None:
    """Each host country's name, pale, below the middle of its sites."""
    for country, grp in per_site.groupby("country", sort=True):
        if str(country):
            ax.text(
                grp["lon"].mean(),
                grp["lat"].mean() - 1.0,
                label(country),
                fontsize=15,
                color="#D0D0D0",
                ha="center",
                va="center",
                zorder=0,
                weight="bold",
            )


def _draw_sites(
    ax: Any, per_site: pd.DataFrame, named: list[str]
) -> tuple[Any, list[tuple[str, Text]]]:
    """The sites: circle area ~ personnel (the largest 930 points), colour = coverage, those
    `named` labelled `Kyiv 22/24` (covered of required), to the left where a site lies just
    east; the dots, and the labels' texts in the order `named`."""
    biggest = max(per_site["personnel"].max(), 1.0)
    dots = ax.scatter(
        per_site["lon"],
        per_site["lat"],
        c=per_site["coverage"],
        cmap=CMAP,
        norm=Normalize(0.0, 1.0),
        s=30 + 900 * per_site["personnel"] / biggest,
        edgecolors="black",
        linewidths=0.6,
        zorder=3,
        alpha=0.9,
    )
    shown = dict(zip(per_site["site"].astype(str), labels(per_site["site"]), strict=True))
    texts = []
    for name in named:
        r = per_site[per_site["site"].astype(str) == name].iloc[0]
        crowded = (
            (per_site["lon"] - r.lon).between(0.01, 3.0) & ((per_site["lat"] - r.lat).abs() < 1.2)
        ).any()
        text = ax.annotate(
            f"{shown[name]} {r.covered:.0f}/{r.required:.0f}",  # Kyiv 24/24 hid a gap
            (r.lon, r.lat),
            xytext=(-7 if crowded else 7, 5),
            textcoords="offset points",
            ha="right" if crowded else "left",
            fontsize=8,
            zorder=4,
        )
        texts.append((name, text))
    return dots, texts
