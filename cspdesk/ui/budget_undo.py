"""Undoable budget edits: each is a pair of service calls pushed on the app's undo stack.

Ids change when a deleted record is put back, so each step keeps the current id in a holder.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from cspdesk.dates import financial_year_label
from cspdesk.services import action_budget, budget, budget_setup
from cspdesk.services.budget import (
    EntryInput,
    GrantInput,
    LineInput,
    StreamInput,
    StreamYearInput,
)
from cspdesk.services.budget_figures import EntryFact, GrantFact, LineFact, StreamFact
from cspdesk.ui.context import AppContext, version_once

AREA = "budget"


class BudgetEdits:
    """The budget page's edits, each one step on ``ctx.undo_stack``."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    @property
    def db(self) -> Any:
        return self.ctx.db

    def add_line(self, partnership_id: int, data: LineInput) -> LineFact:
        held: dict[str, Any] = {}

        def do() -> LineFact:
            fact = budget.add_line(self.db, partnership_id, data)
            held["id"] = fact.id
            return fact

        return self.ctx.push(f"New budget line {data.item.strip()}", do,
                             lambda: budget.delete_line(self.db, held["id"]), AREA)

    def update_line(self, line: LineFact, data: LineInput,
                    action_ids: Iterable[int] | None = None) -> LineFact:
        """Save a line; with ``action_ids``, also the plan actions it pays for (one step)."""
        old = budget.line_input(line)
        version = version_once(line.version)
        if action_ids is None:
            return self.ctx.push(f"Edit budget line {line.item}",
                                 lambda: budget.update_line(self.db, line.id, data, version()),
                                 lambda: budget.update_line(self.db, line.id, old), AREA)
        chosen = tuple(action_ids)
        held: dict[str, dict[int, int | None]] = {"links": {}}

        def do() -> LineFact:
            saved = action_budget.update_line_and_actions(self.db, line.id, data, chosen,
                                                          version())
            held["links"] = saved.replaced
            self._actions_changed(saved.replaced)
            return saved.line

        def undo() -> None:
            action_budget.restore_line_and_actions(self.db, line.id, old, held["links"])
            self._actions_changed(held["links"])

        return self.ctx.push(f"Edit budget line {line.item}", do, undo, AREA)

    def _actions_changed(self, links: dict[int, int | None]) -> None:
        """The Action plans page shows each action's budget line: refresh it when links moved."""
        if links:
            self.ctx.data_changed.emit("actions")

    def delete_line(self, line: LineFact) -> None:
        held: dict[str, Any] = {"id": line.id}

        def do() -> None:
            held["snap"] = budget.delete_line(self.db, held["id"])

        def undo() -> None:
            held["id"] = budget.restore_line(self.db, held["snap"]).id

        self.ctx.push(f"Delete budget line {line.item}", do, undo, AREA)

    def add_entry(self, data: EntryInput) -> EntryFact:
        held: dict[str, Any] = {}

        def do() -> EntryFact:
            fact = budget.add_entry(self.db, data)
            held["id"] = fact.id
            return fact

        return self.ctx.push("New transaction", do,
                             lambda: budget.delete_entry(self.db, held["id"]), AREA)

    def update_entry(self, entry: EntryFact, data: EntryInput) -> EntryFact:
        old = budget.entry_input(entry)
        version = version_once(entry.version)
        return self.ctx.push("Edit transaction",
                             lambda: budget.update_entry(self.db, entry.id, data, version()),
                             lambda: budget.update_entry(self.db, entry.id, old), AREA)

    def delete_entry(self, entry: EntryFact) -> None:
        held: dict[str, Any] = {"id": entry.id}

        def do() -> None:
            held["data"] = budget.delete_entry(self.db, held["id"])

        def undo() -> None:
            held["id"] = budget.add_entry(self.db, held["data"]).id

        self.ctx.push("Delete transaction", do, undo, AREA)

    def set_stream_year(self, stream: StreamFact, year: int, old: StreamYearInput,
                        data: StreamYearInput) -> Any:
        return self.ctx.push(
            f"Funding of {stream.name}, {financial_year_label(year)}",
            lambda: budget.set_stream_year(self.db, stream.id, year, data),
            lambda: budget.set_stream_year(self.db, stream.id, year, old), AREA)

    def add_grant(self, data: GrantInput) -> Any:
        held: dict[str, Any] = {}

        def do() -> Any:
            fact = budget.add_grant(self.db, data)
            held["id"] = fact.id
            return fact

        return self.ctx.push(f"New grant {data.source.strip()}", do,
                             lambda: budget.delete_grant(self.db, held["id"]), AREA)

    def update_grant(self, grant: GrantFact, data: GrantInput) -> Any:
        old = budget.grant_input(grant)
        first = {"version": grant.version}

        def do() -> Any:
            return budget.update_grant(self.db, grant.id, data, first.pop("version", None))

        return self.ctx.push(f"Edit grant {grant.source}", do,
                             lambda: budget.update_grant(self.db, grant.id, old), AREA)

    def delete_grant(self, grant: GrantFact) -> None:
        held: dict[str, Any] = {"id": grant.id}

        def do() -> None:
            held["data"] = budget.delete_grant(self.db, held["id"])

        def undo() -> None:
            held["id"] = budget.add_grant(self.db, held["data"]).id

        self.ctx.push(f"Delete grant {grant.source}", do, undo, AREA)

    def add_stream(self, partnership_id: int, data: StreamInput, year: int) -> StreamFact:
        """Add a stream, open in ``year`` so it shows in that year's funding block."""
        held: dict[str, Any] = {}

        def do() -> StreamFact:
            fact = budget.add_stream(self.db, partnership_id, data)
            held["id"] = fact.id
            budget.set_stream_year(self.db, fact.id, year, StreamYearInput())
            return fact

        return self.ctx.push(f"New funding stream {data.name.strip()}", do,
                             lambda: budget.delete_stream(self.db, held["id"]), AREA)

    def update_stream(self, stream: StreamFact, data: StreamInput) -> StreamFact:
        old = StreamInput(stream.name, stream.short_name, stream.kind, stream.needs_permission,
                          stream.notes)
        first = {"version": stream.version}

        def do() -> StreamFact:
            return budget.update_stream(self.db, stream.id, data, first.pop("version", None))

        return self.ctx.push(f"Edit funding stream {stream.name}", do,
                             lambda: budget.update_stream(self.db, stream.id, old), AREA)

    def delete_stream(self, stream: StreamFact) -> None:
        held: dict[str, Any] = {"id": stream.id}

        def do() -> None:
            held["snap"] = budget_setup.delete_stream(self.db, held["id"])

        def undo() -> None:
            held["id"] = budget_setup.restore_stream(self.db, held["snap"]).id

        self.ctx.push(f"Delete funding stream {stream.name}", do, undo, AREA)

    def open_year(self, partnership_id: int, year: int) -> list[int]:
        held: dict[str, Any] = {}

        def do() -> list[int]:
            held["ids"] = budget_setup.open_year(self.db, partnership_id, year)
            return held["ids"]

        return self.ctx.push(f"Open {financial_year_label(year)}", do,
                             lambda: budget_setup.remove_year_rows(self.db, held["ids"]), AREA)
