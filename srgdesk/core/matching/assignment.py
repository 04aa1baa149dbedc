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
    """One-to-one within each group (person), maximising the total score; ties → twijfel."""
    voortgang = voortgang or Voortgang()
    if len(o) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return Toewijzing(empty, np.zeros(0, dtype=bool), np.zeros(0, dtype=bool))
    deg_o = np.bincount(o)[o]
    deg_n = np.bincount(n)[n]
    simple = (deg_o == 1) & (deg_n == 1)
    chosen = [np.flatnonzero(simple)]
    twijfel = [np.zeros(int(simple.sum()), dtype=bool)]
    twijfel_oud: dict[int, tuple[int, ...]] = {}
    twijfel_nieuw: dict[int, tuple[int, ...]] = {}

    rest = np.flatnonzero(~simple)
    order = rest[np.argsort(group[rest], kind="stable")]
    sorted_group = group[order]
    cuts = np.flatnonzero(np.diff(sorted_group)) + 1
    starts = np.concatenate([[0], cuts]).tolist()
    stops = np.concatenate([cuts, [len(order)]]).tolist()
    for done, (start, stop) in enumerate(zip(starts, stops, strict=True)):
        if done % CHECK_EVERY == 0:
            voortgang.report(0.5 + 0.3 * done / max(1, len(starts)), "Eén-op-één toewijzen")
        positions = order[start:stop]
        picked, undecided = _solve_group(
            o[positions], n[positions], score[positions], twijfel_oud, twijfel_nieuw, voortgang
        )
        chosen.append(positions[picked])
        twijfel.append(undecided)
    gekozen = np.concatenate(chosen)
    concurrent = (deg_o[gekozen] > 1) | (deg_n[gekozen] > 1)
    return Toewijzing(gekozen, np.concatenate(twijfel), concurrent, twijfel_oud, twijfel_nieuw)


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
