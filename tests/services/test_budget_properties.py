"""Property tests over random ledgers: totals are sums of parts, balances carry, no drift."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cspdesk.models.budget import EntryKind, GrantStatus
from cspdesk.money import ZERO
from cspdesk.services.budget_figures import (
    EntryFact,
    Facts,
    GrantFact,
    LineFact,
    StreamFact,
    compute_all,
)

TODAY = dt.date(2030, 1, 1)
pence = st.integers(min_value=1, max_value=5_000_000).map(lambda p: Decimal(p).scaleb(-2))


@st.composite
def ledgers(draw) -> Facts:
    streams = tuple(StreamFact(i, 1, f"Stream {i}", None, "other", False)
                    for i in range(1, draw(st.integers(1, 3)) + 1))
    years = sorted(draw(st.sets(st.integers(2015, 2022), min_size=1, max_size=4)))
    grants, lines, entries = [], [], []
    for year in years:
        for stream in streams:
            for _ in range(draw(st.integers(0, 2))):
                grants.append(GrantFact(len(grants) + 1, 1, stream.id, year, "g", draw(pence),
                                        draw(st.sampled_from(list(GrantStatus))).value))
        for _ in range(draw(st.integers(0, 4))):
            line_id = len(lines) + 1
            split_streams = draw(st.sets(st.sampled_from(streams), max_size=len(streams)))
            lines.append(LineFact(line_id, 1, year, line_id, f"line {line_id}", None, None,
                                  "agreed", None, {s.id: draw(pence) for s in split_streams}))
            for _ in range(draw(st.integers(0, 5))):
                entries.append(EntryFact(
                    len(entries) + 1, 1, line_id, draw(st.sampled_from(streams)).id,
                    dt.date(year, 6, 1), draw(st.sampled_from(list(EntryKind))).value,
                    draw(pence)))
    return Facts(1, "P", streams, (), tuple(grants), tuple(lines), tuple(entries))


def _all_streams(figs, facts: Facts):
    """Every shown stream's figures (a stream with nothing in a year is hidden: all zero)."""
    return {s.stream.id: s for s in figs.streams}


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers())
def test_totals_are_the_sum_of_their_parts(facts: Facts) -> None:
    for year, figs in compute_all(facts, TODAY).items():
        year_entries = [e for e in facts.entries
                        if next(ln.year for ln in facts.lines if ln.id == e.line_id) == year]
        spent = sum((e.signed for e in year_entries if e.kind != EntryKind.COMMITMENT), ZERO)
        committed = sum((e.amount for e in year_entries if e.kind == EntryKind.COMMITMENT), ZERO)
        assert figs.total("actual") == figs.line_total("actual") == spent
        assert figs.total("committed") == figs.line_total("committed") == committed
        assert figs.total("allocated") == figs.line_total("profiled")
        for lf in figs.lines:
            assert lf.actual == sum(lf.actual_by_stream.values(), ZERO)
            assert lf.profiled == sum(lf.line.splits.values(), ZERO)
        income = sum((g.amount for g in facts.grants if g.year == year and g.counts), ZERO)
        assert figs.total("income") == income
        for s in figs.streams:
            assert s.closing == s.opening + s.income - s.actual
            assert s.remaining == s.closing - s.committed


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers())
def test_closing_balance_is_next_years_opening_and_nothing_drifts(facts: Facts) -> None:
    figures = compute_all(facts, TODAY)
    years = sorted(figures)
    if not years:
        return
    for a, b in zip(years, years[1:], strict=False):
        after = _all_streams(figures[b], facts)
        for s in figures[a].streams:
            opening_next = after[s.stream.id].opening if s.stream.id in after else ZERO
            assert opening_next == s.closing
    final = figures[years[-1]]
    all_income = sum((g.amount for g in facts.grants if g.counts), ZERO)
    all_spent = sum((e.signed for e in facts.entries if e.kind != EntryKind.COMMITMENT), ZERO)
    assert final.total("closing") == all_income - all_spent
    for figs in figures.values():
        for s in figs.streams:
            for value in (s.opening, s.available, s.closing, s.remaining):
                assert value == value.quantize(Decimal("0.01"))
                assert isinstance(value, Decimal)
