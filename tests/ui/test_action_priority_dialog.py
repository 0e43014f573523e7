"""The plan and priorities dialog offscreen: add, rename, delete priorities and rename the
plan, each undoable, with refusals shown in the form."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from cspdesk.services import actions as svc
from cspdesk.services.partnerships import list_partnerships
from cspdesk.ui import action_commands as cmd
from cspdesk.ui.action_priority_dialog import PlanPrioritiesDialog
from cspdesk.ui.actions_page import ActionsPage
from cspdesk.ui.context import AppContext


@pytest.fixture
def page(qtbot, demo_db, fixed_today, data_home):  # type: ignore[no-untyped-def]
    ctx = AppContext(demo_db)
    ctx.partnership_id = next(p.id for p in list_partnerships(demo_db)
                              if p.name.startswith("South Cambridgeshire"))
    widget = ActionsPage(ctx)
    qtbot.addWidget(widget)
    widget.refresh()
    return widget


def _choose(page: ActionsPage, title: str) -> None:
    page.plan_box.setCurrentIndex(page.plan_box.findText(title, Qt.MatchFlag.MatchStartsWith))


def test_add_and_rename_priorities_from_the_plan_view_then_undo(page, monkeypatch) -> None:
    _choose(page, "Transformation")
    assert page.tree_data.priorities == ()

    def drive(dialog: PlanPrioritiesDialog) -> int:
        dialog.name.setText("Understand what makes communities vulnerable")
        dialog.add()
        dialog.name.setText("Share the learning")
        dialog.add()
        assert [dialog.list.item(i).text() for i in range(dialog.list.count())] == [
            "1. Understand what makes communities vulnerable (0 actions)",
            "2. Share the learning (0 actions)"]
        dialog.name.setText("Share the learning across the county")
        dialog.rename()
        dialog.name.setText("   ")
        dialog.add()
        assert dialog.error.text() == "Enter the priority's title."
        return 0

    monkeypatch.setattr(PlanPrioritiesDialog, "exec", drive)
    cmd.edit_priorities(page)
    assert [p.title for p in page.tree_data.priorities] == [
        "Understand what makes communities vulnerable", "Share the learning across the county"]
    page.ctx.undo_stack.undo()
    assert page.tree_data.priorities[1].title == "Share the learning"
    page.ctx.undo_stack.undo()
    page.ctx.undo_stack.undo()
    assert page.tree_data.priorities == ()


def test_priority_with_actions_is_not_deleted_and_plan_is_renamed(page, qtbot) -> None:
    _choose(page, "Southern Domestic Abuse")
    plan_id = page.tree_data.plan.id
    dialog = PlanPrioritiesDialog(page.ctx, plan_id, page)
    qtbot.addWidget(dialog)
    assert dialog.list.count() == 6
    dialog.list.setCurrentRow(0)
    dialog.delete()
    assert dialog.error.text().endswith("still has 30 actions; move or delete them first.")
    assert dialog.list.count() == 6
    dialog.period.setText("2011-12")
    dialog.save_plan()
    assert svc.plan_tree(page.ctx.db, plan_id).plan.period == "2011-12"
    page.ctx.undo_stack.undo()
    assert svc.plan_tree(page.ctx.db, plan_id).plan.period != "2011-12"
    dialog.name.setText("Spare theme")
    dialog.add()
    dialog.delete()
    assert dialog.list.count() == 6
    page.ctx.undo_stack.undo()
    dialog.reload()
    assert dialog.list.item(6).text() == "7. Spare theme (0 actions)"
