"""One-to-one assignment per person, maximising the total score, with tie detection.

Most people have one candidate pair; those pairs are taken as they are. For a person with
several, the maximum-weight matching is found with the Hungarian method (potentials form, in
integers so reduced costs are exact) on a square matrix: a real pair costs -score, anything else
0 (= unpaired). Complementary slackness then tells, without enumerating optima, which other
pairs are part of some optimal assignment: an unused zero-reduced-cost cell (i, j) is, exactly
when j reaches i in the equality graph (unused cells row → column, used cells column → row),
i.e. when it lies on an alternating cycle. A record whose possible partners differ between
optimal assignments is `twijfel`: a person decides.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np

from srgdesk.core.progress import Voortgang

CHECK_EVERY = 256  # groups between two cancel checks


def hungarian(cost: np.ndarray, voortgang: Voortgang | None = None) -> tuple[np.ndarray, ...]:
    """Minimum-cost perfect assignment of a square integer matrix.

    Returns (column of each row, row potentials u, column potentials v) with
    cost[i, j] - u[i] - v[j] >= 0 everywhere and == 0 on the assignment."""
    k = cost.shape[0]
    big = np.int64(np.abs(cost).sum() + 1) * 4 + 1
    u = np.zeros(k + 1, dtype=np.int64)
    v = np.zeros(k + 1, dtype=np.int64)
    p = np.zeros(k + 1, dtype=np.int64)  # p[j] = row (1-based) on column j, 0 = none
    way = np.zeros(k + 1, dtype=np.int64)
    for i in range(1, k + 1):
        if voortgang is not None and k > 32:
            voortgang.check()
        p[0] = i
        j0 = 0
        minv = np.full(k + 1, big, dtype=np.int64)
        used = np.zeros(k + 1, dtype=bool)
        while True:
            used[j0] = True
            i0 = p[j0]
            free = ~used
            free[0] = False
            reduced = cost[i0 - 1] - u[i0] - v[1:]
            better = free[1:] & (reduced < minv[1:])
            minv[1:][better] = reduced[better]
            way[1:][better] = j0
            candidates = np.where(free, minv, big)
            j1 = int(np.argmin(candidates))
            delta = candidates[j1]
            u[p[used]] += delta
            v[used] -= delta
            minv[free] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
    column_of = np.zeros(k, dtype=np.int64)
    column_of[p[1:] - 1] = np.arange(k)
    return column_of, u[1:], v[1:]


def optimal_cells(cost: np.ndarray, column_of: np.ndarray, u: np.ndarray, v: np.ndarray):
    """Bool matrix: cell (i, j) is used by at least one minimum-cost assignment."""
    k = cost.shape[0]
    tight = (cost - u[:, None] - v[None, :]) == 0
    used = np.zeros((k, k), dtype=bool)
    used[np.arange(k), column_of] = True
    # Nodes 0..k-1 rows, k..2k-1 columns; reach[a, b]: b reachable from a.
    reach = np.eye(2 * k, dtype=bool)
    reach[:k, k:] |= tight & ~used  # row → column over an unused tight cell
    reach[k:, :k] |= used.T  # column → its row
    for m in range(2 * k):
        reach |= np.outer(reach[:, m], reach[m, :])
    return used | (tight & reach[k:, :k].T)


@dataclass
class Toewijzing:
    """Chosen pairs (as positions in the evidence arrays) and the undecided records."""

    gekozen: np.ndarray  # positions of chosen pairs
    twijfel_paar: np.ndarray  # bool per chosen pair: either record's partner is not forced
    concurrent: np.ndarray  # bool per chosen pair: another candidate exists for either record
    twijfel_oud: dict[int, tuple[int, ...]] = field(default_factory=dict)  # o → candidate n's
    twijfel_nieuw: dict[int, tuple[int, ...]] = field(default_factory=dict)  # n → candidate o's


def assign(
    o: np.ndarray,
    n: np.ndarray,
    group: np.ndarray,
    score: np.ndarray,
    voortgang: Voortgang | None = None,
) -> Toewijzing:
    """One-to-one within each group (person), maximising the total score; ties → twijfel.

    Pairs whose records have no other candidate are taken as they are; groups of up to
    SMALL_GROUP records a side are solved together by enumerating the k! assignments of all
    groups at once (numpy); larger groups one by one with `hungarian`."""
    voortgang = voortgang or Voortgang()
    empty = np.zeros(0, dtype=np.int64)
    if len(o) == 0:
        return Toewijzing(empty, np.zeros(0, dtype=bool), np.zeros(0, dtype=bool))
    deg_o = np.bincount(o)[o]
    deg_n = np.bincount(n)[n]
    simple = (deg_o == 1) & (deg_n == 1)
    chosen = [np.flatnonzero(simple)]
    twijfel = [np.zeros(int(simple.sum()), dtype=bool)]
    toewijzing = Toewijzing(empty, empty.astype(bool), empty.astype(bool))

    rest = np.flatnonzero(~simple)
    row = _local_rank(group[rest], o[rest])
    column = _local_rank(group[rest], n[rest])
    groups, local_group = np.unique(group[rest], return_inverse=True)
    size = np.zeros(len(groups), dtype=np.int64)
    np.maximum.at(size, local_group, np.maximum(row, column) + 1)
    for k in range(1, SMALL_GROUP + 1):
        voortgang.report(0.5 + 0.05 * k, "Eén-op-één toewijzen")
        members = np.flatnonzero(size[local_group] == k)
        if len(members):
            _, compact = np.unique(local_group[members], return_inverse=True)
            edges = rest[members]
            picked, undecided, undecided_row, undecided_column = _solve_small(
                k, compact, row[members], column[members], score[edges]
            )
            chosen.append(edges[picked])
            twijfel.append(undecided)
            _record_twijfel(
                toewijzing,
                o[edges],
                n[edges],
                compact,
                row[members],
                column[members],
                undecided_row,
                undecided_column,
            )
    large = np.flatnonzero(size[local_group] > SMALL_GROUP)
    order = large[np.argsort(local_group[large], kind="stable")]
    cuts = np.flatnonzero(np.diff(local_group[order])) + 1
    for done, positions in enumerate(np.split(order, cuts) if len(order) else []):
        if done % CHECK_EVERY == 0:
            voortgang.report(0.75, "Eén-op-één toewijzen (grote groepen)")
        edges = rest[positions]
        picked, undecided = _solve_group(
            o[edges],
            n[edges],
            score[edges],
            toewijzing.twijfel_oud,
            toewijzing.twijfel_nieuw,
            voortgang,
        )
        chosen.append(edges[picked])
        twijfel.append(undecided)
    gekozen = np.concatenate(chosen)
    toewijzing.gekozen = gekozen
    toewijzing.twijfel_paar = np.concatenate(twijfel)
    toewijzing.concurrent = (deg_o[gekozen] > 1) | (deg_n[gekozen] > 1)
    return toewijzing


SMALL_GROUP = 4  # up to 4! = 24 assignments per group are enumerated
PERMUTATIONS = {
    k: np.array(list(itertools.permutations(range(k))), dtype=np.int64).reshape(-1, k)
    for k in range(1, SMALL_GROUP + 1)
}


def _local_rank(group: np.ndarray, key: np.ndarray) -> np.ndarray:
    """Dense rank of `key` within its group (0, 1, …), vectorised."""
    if len(group) == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.lexsort((key, group))
    g, k = group[order], key[order]
    new_group = np.r_[True, g[1:] != g[:-1]]
    new_value = new_group | np.r_[True, k[1:] != k[:-1]]
    dense = np.cumsum(new_value) - 1
    rank_sorted = dense - dense[new_group][np.cumsum(new_group) - 1]
    rank = np.empty_like(rank_sorted)
    rank[order] = rank_sorted
    return rank


def _solve_small(
    k: int, group: np.ndarray, row: np.ndarray, column: np.ndarray, score: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """All groups of size k at once: every one of the k! assignments is scored; the first best
    is taken, and a record is undecided when its partner differs between the best ones."""
    count = int(group.max()) + 1
    cost = np.zeros((count, k, k), dtype=np.int64)
    edge = np.full((count, k, k), -1, dtype=np.int64)
    cost[group, row, column] = -score
    edge[group, row, column] = np.arange(len(group))
    perms = PERMUTATIONS[k]  # (P, k): column of each row
    inverse = np.argsort(perms, axis=1)  # (P, k): row of each column
    rows = np.arange(k)
    cell_edge = edge[:, rows[None, :], perms]  # (G, P, k) edge on (row i, perms[p, i])
    totals = cost[:, rows[None, :], perms].sum(axis=2)  # (G, P)
    best = totals == totals.min(axis=1, keepdims=True)
    first = np.argmax(best, axis=1)
    row_partner = np.where(cell_edge >= 0, perms[None, :, :], -1)
    column_partner = np.where(edge[:, inverse, rows[None, :]] >= 0, inverse[None, :, :], -1)
    undecided_row = _varies(row_partner, best)  # (G, k)
    undecided_column = _varies(column_partner, best)
    chosen_edges = cell_edge[np.arange(count), first]  # (G, k)
    real = chosen_edges >= 0
    picked = chosen_edges[real]
    chosen_columns = perms[first]  # (G, k)
    undecided = (undecided_row | np.take_along_axis(undecided_column, chosen_columns, axis=1))[real]
    return picked, undecided, undecided_row, undecided_column


def _varies(partner: np.ndarray, best: np.ndarray) -> np.ndarray:
    """Per group and record: does the partner differ between the best assignments?"""
    mask = best[:, :, None]
    high = np.where(mask, partner, -2).max(axis=1)
    low = np.where(mask, partner, np.iinfo(np.int64).max).min(axis=1)
    return high != low


def _record_twijfel(
    toewijzing: Toewijzing,
    o: np.ndarray,
    n: np.ndarray,
    group: np.ndarray,
    row: np.ndarray,
    column: np.ndarray,
    undecided_row: np.ndarray,
    undecided_column: np.ndarray,
) -> None:
    """Name, for each undecided record, all its candidates (o, n: the groups' pairs)."""
    count, k = undecided_row.shape
    record_of_row = np.full((count, k), -1, dtype=np.int64)
    record_of_column = np.full((count, k), -1, dtype=np.int64)
    record_of_row[group, row] = o
    record_of_column[group, column] = n
    for records, mine, theirs, target in (
        (record_of_row[undecided_row], o, n, toewijzing.twijfel_oud),
        (record_of_column[undecided_column], n, o, toewijzing.twijfel_nieuw),
    ):
        records = records[records >= 0]
        if not len(records):
            continue
        # The pairs ordered by record, then candidate, each (record, candidate) once: a
        # record's candidates are one slice, sorted and distinct already.
        order = np.lexsort((theirs, mine))
        sorted_mine, sorted_theirs = mine[order], theirs[order]
        first = np.r_[True, (sorted_mine[1:] != sorted_mine[:-1])]
        first[1:] |= sorted_theirs[1:] != sorted_theirs[:-1]
        sorted_mine, candidates = sorted_mine[first], sorted_theirs[first].tolist()
        lo = np.searchsorted(sorted_mine, records, side="left")
        hi = np.searchsorted(sorted_mine, records, side="right")
        for record, start, stop in zip(records.tolist(), lo.tolist(), hi.tolist(), strict=True):
            target[record] = tuple(candidates[start:stop])


def _solve_group(
    o: np.ndarray,
    n: np.ndarray,
    score: np.ndarray,
    twijfel_oud: dict[int, tuple[int, ...]],
    twijfel_nieuw: dict[int, tuple[int, ...]],
    voortgang: Voortgang,
) -> tuple[np.ndarray, np.ndarray]:
    """The optimal pairs of one person (indexes into o/n) and whether each is undecided."""
    olds, row = np.unique(o, return_inverse=True)
    news, column = np.unique(n, return_inverse=True)
    k = max(len(olds), len(news))
    cost = np.zeros((k, k), dtype=np.int64)
    edge = np.full((k, k), -1, dtype=np.int64)
    cost[row, column] = -score
    edge[row, column] = np.arange(len(o))
    column_of, u, v = hungarian(cost, voortgang)
    possible = optimal_cells(cost, column_of, u, v)
    # Partner value of a cell: the new record for a real pair, -1 (none) otherwise.
    partner = np.where(edge >= 0, np.arange(k)[None, :], -1)
    partner_row = np.where(edge >= 0, np.arange(k)[:, None], -1)
    undecided_row = np.array(
        [len(set(partner[i, possible[i]].tolist())) > 1 for i in range(len(olds))], dtype=bool
    )
    undecided_column = np.array(
        [len(set(partner_row[possible[:, j], j].tolist())) > 1 for j in range(len(news))],
        dtype=bool,
    )
    for i in np.flatnonzero(undecided_row):
        twijfel_oud[int(olds[i])] = tuple(sorted(int(x) for x in news[column[row == i]]))
    for j in np.flatnonzero(undecided_column):
        twijfel_nieuw[int(news[j])] = tuple(sorted(int(x) for x in olds[row[column == j]]))
    rows = np.arange(len(olds))
    cells = edge[rows, column_of[rows]]
    real = cells >= 0
    picked = cells[real]
    undecided = undecided_row[rows[real]] | undecided_column[column_of[rows[real]]]
    return picked, undecided
