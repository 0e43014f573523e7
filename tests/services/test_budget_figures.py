"""The demo budgets are entered as lines and transactions; the app computes the packs' figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from cspdesk.errors import ReferencedError, ValidationError
from cspdesk.services import budget
from cspdesk.services.budget_figures import all_years, year_figures
from cspdesk.services.partnerships import find_partnership

D = Decimal


def _sc(db) -> int:
    return find_partnership(db, "South Cambs CSP").id


def test_south_cambs_2018_19_figures_are_computed(demo_db, fixed_today) -> None:
    f = year_figures(demo_db, _sc(demo_db), 2018)
    assert f.total("available") == D("44113.94")
    assert f.line_total("profiled") == D("31515.00")
    assert f.line_total("outturn") == D("28220.00")
    assert f.stream("OPCC").actual == D("6870.00")
    assert f.stream("Pooled").actual == D("21350.00")
    theatre = f.lines[0]
    assert theatre.actual == D("1920.00")  # 4,870 spent less the schools' £2,950 credit


def test_2019_20_openings_show_the_pack_total_is_stale(demo_db, fixed_today) -> None:
    f = year_figures(demo_db, _sc(demo_db), 2019)
    assert f.stream("Pooled").opening == D("11763.94")
    assert f.stream("OPCC").opening == D("4130.00")
    assert not f.stream("Pooled").overridden and not f.stream("OPCC").overridden
    assert f.total("available") == D("15893.94") != D("15728.94")


def test_2020_21_available_and_stream_elements(demo_db, fixed_today) -> None:
    f = year_figures(demo_db, _sc(demo_db), 2020)
    assert f.total("available") == D("52543.94")
    assert f.stream_total(f.stream("OPCC").stream.id) == D("40780.00")
    assert f.stream_total(f.stream("Pooled").stream.id) == D("11763.94")
    assert f.line_total("profiled") == D("52543.94")
    transformation = next(lf for lf in f.lines if lf.line.item == "OPCC Transformation Project")
    assert budget.line_total(demo_db, transformation.id) == D("36650.00")


def test_cambridge_statement_figures(demo_db, fixed_today) -> None:
    f = year_figures(demo_db, find_partnership(demo_db, "Cambridge CSP").id, 2019)
    assert f.total("available") == D("7956.18")
    dhr, other = f.lines
    assert f.total("available") - dhr.actual == D("7706.18")
    assert other.line.item.startswith("Other expenses") and other.actual == D("1012.01")
    assert f.total("remaining") == D("6694.17")
    assert f.stream("Pooled").remaining == D("5722.17")
    assert f.stream("CSF").remaining == D("972.00")


def test_2010_11_cdrp_funding_table(demo_db, fixed_today) -> None:
    f = year_figures(demo_db, _sc(demo_db), 2010)
    assert f.stream("SSCF revenue").remaining == D("0.00")
    assert f.stream("SSCF revenue").actual == D("60279.00")
    assert f.stream("Pooled").actual == D("419.00")
    assert f.stream("Pooled").closing == D("32087.40")


def test_opcc_rollover_without_permission_is_warned_and_cleared(demo_db, fixed_today) -> None:
    pid = _sc(demo_db)
    texts = [w.text for w in year_figures(demo_db, pid, 2019).warnings if w.severity == "warning"]
    assert any("£4,130.00 of OPCC grant unspent in 2018/19" in t for t in texts)
    opcc = year_figures(demo_db, pid, 2018).stream("OPCC")
    with pytest.raises(ValidationError, match="date the rollover was permitted"):
        budget.set_stream_year(demo_db, opcc.stream.id, 2018, budget.StreamYearInput(
            opcc.opening, "as stated", rollover_permitted=True))
    budget.set_stream_year(demo_db, opcc.stream.id, 2018, budget.StreamYearInput(
        opcc.opening, "as stated", True, dt.date(2019, 12, 10)))
    texts = [w.text for w in year_figures(demo_db, pid, 2019).warnings]
    assert not any("unspent in 2018/19" in t for t in texts)


def test_overspend_and_negative_stream_are_warned(demo_db, fixed_today) -> None:
    pid = _sc(demo_db)
    f = year_figures(demo_db, pid, 2020)
    pooled = f.stream("Pooled").stream.id
    line = budget.add_line(demo_db, pid, budget.LineInput(2020, "Extra DHR", {pooled: D("500")}))
    budget.add_entry(demo_db, budget.EntryInput(line.id, pooled, dt.date(2020, 6, 1), D("12000")))
    texts = [w.text for w in year_figures(demo_db, pid, 2020).warnings]
    assert any("Lines allocate £12,263.94 from Pooled Fund" in t for t in texts)
    assert any("Pooled Fund goes negative in 2020/21" in t for t in texts)


def test_override_needs_a_reason(demo_db) -> None:
    f = year_figures(demo_db, _sc(demo_db), 2019)
    with pytest.raises(ValidationError, match="reason"):
        budget.set_stream_year(demo_db, f.stream("Pooled").stream.id, 2019,
                               budget.StreamYearInput(D("1.00"), "  "))


def test_entry_validation_messages(demo_db) -> None:
    f = year_figures(demo_db, _sc(demo_db), 2020)
    line, pooled = f.lines[0], f.stream("Pooled").stream.id
    with pytest.raises(ValidationError, match="outside 2020/21"):
        budget.add_entry(demo_db, budget.EntryInput(line.id, pooled, dt.date(2021, 4, 1), D("1")))
    with pytest.raises(ValidationError, match="more than £0.00"):
        budget.add_entry(demo_db, budget.EntryInput(line.id, pooled, dt.date(2020, 5, 1), D("0")))
    with pytest.raises(ValidationError, match="fractions of a penny"):
        budget.add_entry(demo_db, budget.EntryInput(line.id, pooled, dt.date(2020, 5, 1),
                                                    D("1.005")))


def test_stream_in_use_cannot_be_deleted(demo_db) -> None:
    f = year_figures(demo_db, _sc(demo_db), 2020)
    with pytest.raises(ReferencedError, match="cannot be deleted"):
        budget.delete_stream(demo_db, f.stream("Pooled").stream.id)


def test_delete_and_restore_line_keeps_the_figures(demo_db, fixed_today) -> None:
    pid = _sc(demo_db)
    before = year_figures(demo_db, pid, 2018)
    snap = budget.delete_line(demo_db, before.lines[0].id)
    assert year_figures(demo_db, pid, 2018).stream("OPCC").actual == D("4950.00")
    budget.restore_line(demo_db, snap)
    after = year_figures(demo_db, pid, 2018)
    assert after.stream("OPCC").actual == D("6870.00")
    assert [lf.line.item for lf in after.lines] == [lf.line.item for lf in before.lines]


def test_every_year_carries_into_the_next(demo_db, fixed_today) -> None:
    years = all_years(demo_db, _sc(demo_db))
    assert list(years) == [2010, 2018, 2019, 2020]
    for a, b in ((2018, 2019), (2019, 2020)):
        for s in years[a].streams:
            assert years[b].stream(s.stream.name).opening == s.closing


def test_undoing_a_line_delete_relinks_the_actions_it_paid_for(demo_db, fixed_today) -> None:
    from sqlalchemy import select

    from cspdesk.models.actions import PlanAction

    def linked(line_id: int) -> set[int]:
        with demo_db.session() as s:
            return set(s.scalars(select(PlanAction.id)
                                 .where(PlanAction.budget_line_id == line_id)))

    with demo_db.session() as s:
        line_id = s.scalars(select(PlanAction.budget_line_id)
                            .where(PlanAction.budget_line_id.is_not(None))).first()
    actions = linked(line_id)
    assert len(actions) >= 2
    snap = budget.delete_line(demo_db, line_id)
    assert linked(line_id) == set()
    restored = budget.restore_line(demo_db, snap)
    assert linked(restored.id) == actions
