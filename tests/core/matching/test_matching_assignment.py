"""The one-to-one assignment: optimal, every undecided record found, cancellable."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from srgdesk.core.errors import Geannuleerd
from srgdesk.core.matching.assignment import assign, hungarian, optimal_cells
from srgdesk.core.progress import Voortgang


def brute_force(o, n, score):
    """All optimal partial matchings of one group, by enumeration (the specification)."""
    edges = {(a, b): s for a, b, s in zip(o.tolist(), n.tolist(), score.tolist(), strict=True)}
    olds, news = sorted(set(o.tolist())), sorted(set(n.tolist()))
    best, optima = -1, []
    for choice in itertools.product(*[[None, *news] for _ in olds]):
        used = [c for c in choice if c is not None]
        if len(used) != len(set(used)) or any(
            c is not None and (a, c) not in edges for a, c in zip(olds, choice, strict=True)
        ):
            continue
        total = sum(edges[(a, c)] for a, c in zip(olds, choice, strict=True) if c is not None)
        if total > best:
            best, optima = total, []
        if total == best:
            optima.append(dict(zip(olds, choice, strict=True)))
    return best, optima, olds, news


group_edges = st.integers(1, 5).flatmap(
    lambda size: st.lists(
        st.tuples(st.integers(0, size), st.integers(0, size), st.sampled_from([4, 10, 20, 50])),
        min_size=1,
        max_size=14,
        unique_by=lambda e: (e[0], e[1]),
    )
)


@settings(max_examples=150, deadline=None)
@given(group_edges)
def test_the_assignment_is_optimal_and_twijfel_is_exactly_the_records_without_a_forced_partner(
    edges,
):
    o = np.array([e[0] for e in edges])
    n = np.array([100 + e[1] for e in edges])
    score = np.array([e[2] for e in edges])
    result = assign(o, n, np.zeros(len(o), dtype=np.int64), score)
    best, optima, olds, news = brute_force(o, n, score)

    assert int(score[result.gekozen].sum()) == best
    assert len(set(o[result.gekozen].tolist())) == len(result.gekozen)
    assert len(set(n[result.gekozen].tolist())) == len(result.gekozen)
    unsure_old = {a for a in olds if len({opt[a] for opt in optima}) > 1}
    reverse = [{c: a for a, c in opt.items() if c is not None} for opt in optima]
    unsure_new = {b for b in news if len({r.get(b) for r in reverse}) > 1}
    assert set(result.twijfel_oud) == unsure_old
    assert set(result.twijfel_nieuw) == unsure_new
    for position, undecided in zip(result.gekozen, result.twijfel_paar, strict=True):
        assert undecided == (o[position] in unsure_old or n[position] in unsure_new)


def test_groups_larger_than_the_enumeration_limit_use_the_hungarian_method_with_the_same_answers():
    rng = np.random.default_rng(3)
    size = 9
    o, n = np.meshgrid(np.arange(size), np.arange(size) + 100, indexing="ij")
    o, n = o.ravel(), n.ravel()
    score = rng.choice([4, 10, 20, 50, 54], size=len(o))
    result = assign(o, n, np.zeros(len(o), dtype=np.int64), score)
    cost = np.zeros((size, size), dtype=np.int64)
    cost[o, n - 100] = -score
    column_of, u, v = hungarian(cost)
    assert int(score[result.gekozen].sum()) == -int(cost[np.arange(size), column_of].sum())
    # The dual is feasible and tight on the assignment (what tie detection relies on).
    reduced = cost - u[:, None] - v[None, :]
    assert (reduced >= 0).all()
    assert (reduced[np.arange(size), column_of] == 0).all()


def test_a_fully_tied_group_is_all_twijfel_and_a_forced_one_is_not():
    cost = np.array([[-5, -5], [-5, -5]])
    possible = optimal_cells(cost, *hungarian(cost))
    assert possible.all()
    cost = np.array([[-9, -5], [-5, -9]])
    possible = optimal_cells(cost, *hungarian(cost))
    assert (possible == np.eye(2, dtype=bool)).all()


def test_thirty_by_thirty_candidates_of_one_person_are_solved():
    size = 30
    o, n = np.meshgrid(np.arange(size), np.arange(size) + 100, indexing="ij")
    score = np.where(o == n - 100, 50, 20).ravel()
    result = assign(o.ravel(), n.ravel(), np.zeros(size * size, dtype=np.int64), score)
    assert len(result.gekozen) == size
    assert not result.twijfel_paar.any()


class CancelAfter:
    """A cancel check that says 'cancelled' from its `limit`-th call on."""

    def __init__(self, limit: int):
        self.limit, self.calls = limit, 0

    def __call__(self) -> bool:
        self.calls += 1
        return self.calls >= self.limit


def test_a_large_group_checks_for_cancel_inside_the_solver():
    size = 60
    o, n = np.meshgrid(np.arange(size), np.arange(size) + 100, indexing="ij")
    cancel = CancelAfter(limit=20)
    with pytest.raises(Geannuleerd):
        assign(
            o.ravel(),
            n.ravel(),
            np.zeros(size * size, dtype=np.int64),
            np.full(size * size, 20),
            Voortgang(is_cancelled=cancel),
        )
    assert cancel.calls == 20


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 5), st.integers(0, 5), st.sampled_from([10, 20, 50])),
        min_size=1,
        max_size=20,
        unique_by=lambda edge: edge[:2],
    ),
    st.integers(0, 2),
)
def test_an_undecided_record_names_each_of_its_candidates_once_in_order(edges, people):
    """twijfel_oud / twijfel_nieuw: every candidate of the record, sorted, none twice (the
    candidates read from one ordered slice, not collected per record)."""
    o = np.array([a for a, _, _ in edges], dtype=np.int64)
    n = np.array([b for _, b, _ in edges], dtype=np.int64)
    score = np.array([s for _, _, s in edges], dtype=np.int64)
    group = o % (people + 1)  # a person's records share no candidate with another person's
    keep = group == n % (people + 1)
    o, n, score, group = o[keep], n[keep], score[keep], group[keep]
    toewijzing = assign(o, n, group, score)
    for record, candidates in toewijzing.twijfel_oud.items():
        assert candidates == tuple(sorted(set(n[o == record].tolist())))
    for record, candidates in toewijzing.twijfel_nieuw.items():
        assert candidates == tuple(sorted(set(o[n == record].tolist())))
