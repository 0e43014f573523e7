"""The owner update template round trip with real XLSX files."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook

from cspdesk.errors import UserError
from cspdesk.services import action_updates_xlsx as xl
from cspdesk.services.action_updates import list_updates
from cspdesk.services.actions import get_action


@pytest.fixture
def template(demo_db, fixed_today, tmp_path):  # type: ignore[no-untyped-def]
    return xl.export_template(demo_db, "Kathryn Hawkes", tmp_path / "kh.xlsx")


def _rows(ws):  # type: ignore[no-untyped-def]
    """Row numbers of the Transformation plan's refs."""
    return {ws.cell(r, 3).value: r for r in range(2, ws.max_row + 1)
            if ws.cell(r, 2).value.startswith("Transformation")}


def test_template_locks_ref_and_action_and_offers_a_status_list(template) -> None:
    ws = load_workbook(template)["Updates"]
    assert [c.value for c in ws[1]] == list(xl.HEADERS)
    assert ws.protection.sheet
    refs = _rows(ws)
    assert {"5", "5b", "6", "8", "8a"} <= set(refs) and "1" not in refs
    assert ws.max_row - 1 > len(refs)  # the Operational plan's actions are there too
    assert ws.cell(2, 3).protection.locked and ws.cell(2, 4).protection.locked
    assert not ws.cell(2, 8).protection.locked and not ws.cell(2, 9).protection.locked
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert lists and "On track" in lists[0].formula1 and "I2" in str(lists[0].sqref)
    assert ws.column_dimensions["A"].hidden


def test_fill_two_updates_reimport_and_see_them_in_history(demo_db, template, fixed_today) -> None:
    wb = load_workbook(template)
    ws = wb["Updates"]
    rows = _rows(ws)
    ws.cell(rows["5"], 8).value = "Toolkit group met again; three case studies collected."
    ws.cell(rows["8"], 8).value = "Launch venue provisionally booked."
    ws.cell(rows["8"], 9).value = "At risk"
    ws.cell(rows["8"], 10).value = dt.date(2020, 2, 18)
    wb.save(template)
    preview = xl.parse(demo_db, template)
    assert preview.errors == [] and len(preview.new_lines) == 2
    result = xl.apply(demo_db, preview)
    assert (result.updates, result.status_changes) == (2, 1)
    five = preview.new_lines[0].action_id
    eight = preview.new_lines[1].action_id
    assert list_updates(demo_db, five)[0].text.startswith("Toolkit group met again")
    assert list_updates(demo_db, five)[0].date == dt.date(2020, 2, 20)
    latest = list_updates(demo_db, eight)[0]
    assert (latest.date, latest.status) == (dt.date(2020, 2, 18), "at_risk")
    assert get_action(demo_db, eight).status_label == "At risk"
    again = xl.parse(demo_db, template)
    assert again.new_lines == [] and all(x.already for x in again.lines)
    assert xl.apply(demo_db, again).updates == 0


def test_unknown_ref_refuses_the_whole_file_naming_the_row(demo_db, template) -> None:
    wb = load_workbook(template)
    ws = wb["Updates"]
    ws.protection.sheet = False
    rows = _rows(ws)
    ws.cell(rows["5"], 8).value = "A good update"
    ws.cell(rows["6"], 3).value = "9.9"
    ws.cell(rows["6"], 8).value = "Update on a ref that does not exist"
    wb.save(template)
    preview = xl.parse(demo_db, template)
    assert preview.errors == [f"Row {rows['6']}: ref '9.9' is not in the plan "
                              "'Transformation Topic Action Plan'."]
    with pytest.raises(UserError, match=f"Row {rows['6']}"):
        xl.apply(demo_db, preview)
    assert not any(u.text == "A good update"
                   for u in list_updates(demo_db, preview.lines[0].action_id))


def test_invalid_status_is_a_row_error(demo_db, template) -> None:
    wb = load_workbook(template)
    ws = wb["Updates"]
    ws.cell(2, 8).value = "Some progress"
    ws.cell(2, 9).value = "Sort of done"
    wb.save(template)
    preview = xl.parse(demo_db, template)
    assert len(preview.errors) == 1 and preview.errors[0].startswith("Row 2: 'Sort of done'")


def test_unknown_lead_and_wrong_file_are_explained(demo_db, tmp_path) -> None:
    with pytest.raises(UserError, match="No action has 'Nobody' as its lead"):
        xl.export_template(demo_db, "Nobody", tmp_path / "x.xlsx")
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a spreadsheet")
    with pytest.raises(UserError, match="not an update template"):
        xl.parse(demo_db, bad)
