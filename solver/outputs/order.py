"""One order of periods (or any names) that keeps the order of every sheet that lists them."""

from __future__ import annotations

from itertools import pairwise


def merge_orders(sequences: list[list[str]]) -> list[str]:
    """One order that keeps every sequence's order (a topological sort; ties by first sight)."""
    first_seen: dict[str, int] = {}
    after: dict[str, set[str]] = {}
    for seq in sequences:
        for a, b in pairwise(seq):
            if a != b:
                after.setdefault(a, set()).add(b)
        for p in seq:
            first_seen.setdefault(p, len(first_seen))
    before = {p: 0 for p in first_seen}
    for a in after:
        for b in after[a]:
            before[b] += 1
    ready = sorted((p for p, n in before.items() if n == 0), key=first_seen.__getitem__)
    order: list[str] = []
    while ready:
        p = ready.pop(0)
        order.append(p)
        for b in sorted(after.get(p, ()), key=first_seen.__getitem__):
            before[b] -= 1
            if before[b] == 0:
                ready.append(b)
                ready.sort(key=first_seen.__getitem__)
    order += [p for p in first_seen if p not in order]  # a cycle: sheets disagree; keep them all
    return order
