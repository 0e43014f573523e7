"""Budget page: a year view per partnership (funding by stream, lines with a column per stream,
the ledger of the chosen line, charts), year-on-year comparison, undoable edits, exports."""

from __future__ import annotations

from decimal import Decimal
from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cspdesk import clock
from cspdesk.dates import financial_year_label, financial_year_start
from cspdesk.errors import UserError, ValidationError
from cspdesk.models.budget import LineStatus
from cspdesk.money import format_money
from cspdesk.services import action_budget, budget
from cspdesk.services.budget_figures import (
    EntryFact,
    LineFigures,
    StreamFigures,
    YearFigures,
    all_years,
    year_figures,
)
from cspdesk.ui import messages
from cspdesk.ui.budget_dialogs import EntryDialog, GrantDialog, LineDialog, StreamYearDialog
from cspdesk.ui.budget_funding import GrantsDialog, StreamDialog
from cspdesk.ui.budget_undo import BudgetEdits
from cspdesk.ui.context import AppContext
from cspdesk.ui.page import Page
from cspdesk.ui.people_page import make_table, selected_rows
from cspdesk.ui.table_model import RIGHT, Column, RowTableModel
from cspdesk.ui.widgets import SEVERITY_COLOURS, PageToolbar, hbox


def m(value: Decimal | None) -> str:
    return format_money(value)


def neg(value: Decimal) -> str | None:
    return "#C0392B" if value < 0 else None


STREAM_COLUMNS: list[Column[StreamFigures]] = [
    Column("Stream", lambda r: r.stream.name),
    Column("Brought forward", lambda r: m(r.opening) + (" (entered)" if r.overridden else ""),
           lambda r: r.opening, RIGHT, tooltip=lambda r: r.override_reason),
    Column("Income", lambda r: m(r.income), lambda r: r.income, RIGHT),
    Column("Available", lambda r: m(r.available), lambda r: r.available, RIGHT),
    Column("Allocated", lambda r: m(r.allocated), lambda r: r.allocated, RIGHT,
           foreground=lambda r: "#C0392B" if r.allocated > r.available else None),
    Column("Spent", lambda r: m(r.actual), lambda r: r.actual, RIGHT),
    Column("Committed", lambda r: m(r.committed), lambda r: r.committed, RIGHT),
    Column("Remaining", lambda r: m(r.remaining), lambda r: r.remaining, RIGHT,
           foreground=lambda r: neg(r.remaining)),
    Column("Rollover", lambda r: ("permitted" if r.rollover_permitted else
                                  "needs permission" if r.stream.needs_permission else
                                  "carries forward")),
]

ENTRY_COLUMNS: list[Column[EntryFact]] = [
    Column("Date", lambda r: f"{r.date.day} {r.date:%b %Y}", lambda r: r.date),
    Column("Kind", lambda r: r.kind_label),
    Column("Amount", lambda r: m(r.signed), lambda r: r.signed, RIGHT,
           foreground=lambda r: "#2E8B57" if r.signed < 0 else None),
    Column("Payee or source", lambda r: r.counterparty),
    Column("Reference", lambda r: r.reference),
    Column("Note", lambda r: r.note),
]

def _total_column(header: str, attr: str) -> Column[YearFigures]:
    return Column(header, lambda r: m(r.total(attr)), lambda r: r.total(attr), RIGHT)


YEAR_COLUMNS: list[Column[YearFigures]] = [
    Column("Year", lambda r: r.label, lambda r: r.year),
    *(_total_column(h, a) for h, a in (
        ("Brought forward", "opening"), ("Income", "income"), ("Available", "available"),
        ("Allocated", "allocated"), ("Spent", "actual"), ("Committed", "committed"),
        ("Closing balance", "closing"))),
    Column("Warnings", lambda r: sum(1 for w in r.warnings if w.severity == "warning"),
           align=RIGHT),
]


def _split_column(stream: StreamFigures) -> Column[LineFigures]:
    sid = stream.stream.id
    return Column(stream.stream.column,
                  lambda r: m(r.line.splits[sid]) if sid in r.line.splits else "–",
                  lambda r: r.line.splits.get(sid, Decimal(0)), RIGHT)


def line_columns(streams: list[StreamFigures]) -> list[Column[LineFigures]]:
    """Line columns with one column per stream."""
    cols: list[Column[LineFigures]] = [
        Column("#", lambda r: r.line.position, align=RIGHT),
        Column("Item", lambda r: r.line.item, lambda r: r.line.item.casefold()),
        Column("Category", lambda r: r.line.category),
        Column("Status", lambda r: LineStatus(r.line.status).label),
        Column("Profiled", lambda r: m(r.profiled) if r.line.splits else "TBC",
               lambda r: r.profiled, RIGHT),
    ]
    cols += [_split_column(s) for s in streams]
    cols += [
        Column("Spent", lambda r: m(r.actual), lambda r: r.actual, RIGHT),
        Column("Committed", lambda r: m(r.committed), lambda r: r.committed, RIGHT),
        Column("Projected", lambda r: m(r.projected), lambda r: r.projected, RIGHT),
        Column("Variance", lambda r: m(r.variance), lambda r: r.variance, RIGHT,
               foreground=lambda r: neg(r.variance)),
        Column("Notes", lambda r: r.line.notes, tooltip=lambda r: r.line.notes),
    ]
    return cols


class BudgetPage(Page):
    key = "budget"
    title = "Budget"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.edits = BudgetEdits(ctx)
        self.figures: YearFigures | None = None
        self.history: dict[int, YearFigures] = {}
        self.year = financial_year_start(clock.today())
        self._year_chosen = False
        self._canvas: Any = None
        self._build()
        ctx.partnership_changed.connect(lambda _pid: self.refresh())
        ctx.data_changed.connect(lambda area: self.refresh() if area == "budget" else None)

    # ------------------------------------------------------------ layout
    def _build(self) -> None:
        bar = PageToolbar(self, search="Search lines")
        bar.add("New line", self.new_line, "Ctrl+N")
        bar.add("Edit line", self.edit_line, "F2")
        bar.add("Delete line", self.delete_line, "Delete")
        bar.add("New transaction", self.new_entry, "Ctrl+T")
        bar.add("Funding…", self.edit_funding, "Ctrl+B", "Opening balance and rollover "
                "permission of the chosen stream (Ctrl+B)")
        bar.add("New grant", self.new_grant, "Ctrl+G")
        self.export_action = bar.add("Export", self.show_export_menu, "Ctrl+E")
        bar.add("Refresh", self.refresh, "F5")
        bar.finish()
        bar.search_changed.connect(lambda t: self.lines_proxy.set_search(t))
        self.year_box = QComboBox()
        self.year_box.setAccessibleName("Financial year")
        self.year_box.activated.connect(lambda _i: self.set_year(self.year_box.currentData()))
        self.summary = QLabel()
        self.summary.setAccessibleName("Year summary")
        self.summary.setWordWrap(True)  # the partnership links are long: wrap, never widen
        self.summary.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.summary.linkActivated.connect(lambda href: self.ctx.set_partnership(int(href)))
        self.warnings = QLabel()
        self.warnings.setWordWrap(True)
        self.warnings.setTextFormat(Qt.TextFormat.RichText)
        self.warnings.setAccessibleName("Budget warnings")

        self.stream_model: RowTableModel[StreamFigures] = RowTableModel(STREAM_COLUMNS, parent=self)
        self.stream_view, stream_proxy = make_table(self.stream_model, "Funding by stream")
        self.stream_view.setSortingEnabled(False)
        stream_proxy.sort(-1)
        self.stream_view.doubleClicked.connect(lambda _i: self.edit_funding())
        self.stream_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.stream_view.customContextMenuRequested.connect(
            lambda pos: self.funding_menu().exec(self.stream_view.viewport().mapToGlobal(pos)))
        funding_buttons = []
        for text, slot in (("New stream", self.new_stream), ("Edit stream", self.edit_stream),
                           ("Delete stream", self.delete_stream),
                           ("Opening and rollover…", self.edit_funding),
                           ("Grant income…", self.show_grants)):
            b = QPushButton(text)
            b.setAccessibleName(text)
            b.clicked.connect(slot)
            funding_buttons.append(b)
        self.open_year_button = QPushButton("Open next year")
        self.open_year_button.setAccessibleName("Open next year")
        self.open_year_button.setToolTip("Open the financial year after the last one recorded; "
                                         "each stream starts with its closing balance")
        self.open_year_button.clicked.connect(self.open_next_year)
        self.lines_model: RowTableModel[LineFigures] = RowTableModel([], parent=self)
        self.lines_view, self.lines_proxy = make_table(self.lines_model, "Budget lines")
        self.lines_view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.lines_view.doubleClicked.connect(lambda _i: self.edit_line())
        self.lines_view.activated.connect(lambda _i: self.edit_line())
        self.totals = QLabel()
        self.totals.setAccessibleName("Line totals")
        self.entry_model: RowTableModel[EntryFact] = RowTableModel(ENTRY_COLUMNS, parent=self)
        self.entry_view, _ = make_table(self.entry_model, "Ledger of the chosen line")
        self.entry_view.doubleClicked.connect(lambda _i: self.edit_entry())
        self.ledger_title = QLabel("Ledger: choose a line")
        self.pays_for = QLabel()
        self.pays_for.setWordWrap(True)
        self.pays_for.setTextFormat(Qt.TextFormat.RichText)
        self.pays_for.setAccessibleName("Actions the line pays for")
        self.pays_for.linkActivated.connect(
            lambda href: self.ctx.open_requested.emit("actions", int(href)))
        self.pays_for.hide()
        buttons = [QPushButton(t) for t in ("Add transaction", "Edit transaction",
                                            "Delete transaction")]
        for b, slot in zip(buttons, (self.new_entry, self.edit_entry, self.delete_entry),
                           strict=True):
            b.clicked.connect(slot)
            b.setAccessibleName(b.text())
        ledger = QWidget()
        lay = QVBoxLayout(ledger)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(hbox(self.ledger_title, *buttons))
        lay.addWidget(self.pays_for)
        lay.addWidget(self.entry_view)
        lines_tab = QSplitter(Qt.Orientation.Vertical)
        top = QWidget()
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(self.lines_view)
        tl.addWidget(self.totals)
        lines_tab.addWidget(top)
        lines_tab.addWidget(ledger)
        lines_tab.setSizes([300, 180])
        self.year_model: RowTableModel[YearFigures] = RowTableModel(YEAR_COLUMNS, parent=self)
        self.year_view, _ = make_table(self.year_model, "Year on year")
        self.year_view.doubleClicked.connect(self._open_year_from_comparison)
        self.charts = QWidget()
        self.charts.setAccessibleName("Charts")
        QVBoxLayout(self.charts)
        self.tabs = QTabWidget()
        self.tabs.addTab(lines_tab, "Lines and ledger")
        self.tabs.addTab(self.year_view, "Year on year")
        self.tabs.addTab(self.charts, "Charts")
        self.tabs.currentChanged.connect(lambda _i: self._draw_charts())
        self.lines_view.selectionModel().selectionChanged.connect(lambda *_: self._show_ledger())

        layout = QVBoxLayout(self)
        layout.addWidget(bar)
        year_row = hbox(QLabel("Financial year:"), self.year_box, self.open_year_button,
                        stretch=False)
        year_row.addWidget(self.summary, 1)
        layout.addLayout(year_row)
        layout.addLayout(hbox(QLabel("Funding:"), *funding_buttons))
        layout.addWidget(self.stream_view)
        layout.addWidget(self.warnings)
        layout.addWidget(self.tabs, 1)

    # ------------------------------------------------------------ data
    def refresh(self) -> None:
        pid = self.ctx.partnership_id
        if pid is None:
            self.figures, self.history = None, {}
            self.stream_model.set_rows([])
            self.lines_model.set_rows([])
            self.entry_model.set_rows([])
            self.summary.setText(self._choose_text())
            return
        self.history = all_years(self.ctx.db, pid)
        if self.history and self.year not in self.history and not self._year_chosen:
            # Nothing recorded for this year yet: open on the latest year that has figures.
            this_year = financial_year_start(clock.today())
            self.year = max((y for y in self.history if y <= this_year), default=min(self.history))
        years = sorted(set(self.history) | {self.year})
        self.year_box.clear()
        for y in [*years, years[-1] + 1]:
            self.year_box.addItem(financial_year_label(y), y)
        self.year_box.setCurrentIndex(self.year_box.findData(self.year))
        self.figures = self.history.get(self.year) or year_figures(self.ctx.db, pid, self.year)
        self._fill()

    def _choose_text(self) -> str:
        """With 'All partnerships' chosen: links to each partnership's budget."""
        from html import escape

        from cspdesk.services.partnerships import list_partnerships

        links = " · ".join(f'<a href="{p.id}">{escape(p.name)}</a>'
                           for p in list_partnerships(self.ctx.db))
        return "Each partnership keeps its own budget. Choose one: " + links if links else (
            "Add a partnership (People & organisations → Boards & members) to keep a budget.")

    def set_year(self, year: int) -> None:
        self.year = int(year)
        self._year_chosen = True
        self.refresh()

    def _fill(self) -> None:
        f = self.figures
        assert f is not None
        self.stream_model.set_rows(list(f.streams))
        selected = self.current_line()
        keep = selected.id if selected else None
        model = RowTableModel(line_columns(list(f.streams)), list(f.lines), parent=self)
        self.lines_proxy.setSourceModel(model)
        self.lines_model = model
        self.lines_view.selectionModel().selectionChanged.connect(lambda *_: self._show_ledger())
        if keep is not None:
            self._select_line(keep)
        self.year_model.set_rows([self.history[y] for y in sorted(self.history)])
        self.summary.setText(
            f"Available {m(f.total('available'))} · allocated {m(f.total('allocated'))} · "
            f"spent {m(f.total('actual'))} · remaining {m(f.total('remaining'))}")
        self.totals.setText("<b>Totals:</b> profiled " + m(f.line_total("profiled")) + "".join(
            f" · {s.stream.column} {m(f.stream_total(s.stream.id))}" for s in f.streams)
            + f" · spent {m(f.line_total('actual'))} · committed {m(f.line_total('committed'))}"
            f" · projected {m(f.line_total('projected'))}")
        items = [f'<span style="color:{SEVERITY_COLOURS.get(w.severity, "#2F3E4E")}">'
                 f'<b>{"Warning" if w.severity == "warning" else "Note"}:</b> {w.text}</span>'
                 for w in f.warnings]
        self.warnings.setText("<br>".join(items) if items else "No budget warnings.")
        self._show_ledger()
        self._fit_columns()
        self._draw_charts()

    def _fit_columns(self) -> None:
        for view in (self.stream_view, self.lines_view, self.entry_view, self.year_view):
            view.resizeColumnsToContents()
            for col in range(view.model().columnCount()):
                view.setColumnWidth(col, min(view.columnWidth(col), 320))
        rows = self.stream_model.rowCount()
        self.stream_view.setFixedHeight(self.stream_view.horizontalHeader().height()
                                        + self.stream_view.verticalHeader().length() + 4
                                        if rows else 60)

    def current_line(self) -> LineFigures | None:
        rows = selected_rows(self.lines_view)
        return rows[0] if rows else None

    def current_stream(self) -> StreamFigures | None:
        rows = selected_rows(self.stream_view)
        if rows:
            return rows[0]
        return self.figures.streams[0] if self.figures and self.figures.streams else None

    def _select_line(self, line_id: int) -> None:
        row = self.lines_model.find_row(lambda r: r.id == line_id)
        if row >= 0:
            index = self.lines_proxy.mapFromSource(self.lines_model.index(row, 0))
            self.lines_view.selectRow(index.row())

    def _show_ledger(self) -> None:
        line = self.current_line()
        self.entry_model.set_rows(list(line.entries) if line else [])
        self.ledger_title.setText(f"Ledger: {line.line.item}" if line else
                                  "Ledger: choose a line")
        self.entry_view.resizeColumnsToContents()
        self._show_pays_for(line)

    def _show_pays_for(self, line: LineFigures | None) -> None:
        """The plan actions the chosen line pays for, each a link to it on the Action plans page."""
        if line is None:
            self.pays_for.hide()
            return
        actions = action_budget.line_actions(self.ctx.db, line.id)
        if actions:
            plans: dict[str, list[str]] = {}
            for a in actions:
                plans.setdefault(a.plan, []).append(f'<a href="{a.id}">{escape(a.name(60))}</a>')
            self.pays_for.setText("<b>Pays for:</b> " + "; ".join(
                f"{escape(plan)}: {', '.join(links)}" for plan, links in plans.items()))
            self.pays_for.setToolTip("Click an action to open it on the Action plans page.")
        else:
            self.pays_for.setText('<span style="color:#5D6D7E">Pays for no action-plan action '
                                  "(link actions with Edit line, F2).</span>")
            self.pays_for.setToolTip("")
        self.pays_for.show()

    def _open_year_from_comparison(self, index: Any) -> None:
        rows = selected_rows(self.year_view)
        if rows:
            self.tabs.setCurrentIndex(0)
            self.set_year(rows[0].year)

    def _draw_charts(self) -> None:
        if self.tabs.currentWidget() is not self.charts or self.figures is None:
            return
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

        from cspdesk.reports.finance_charts import budget_vs_actual, stream_balances

        layout = self.charts.layout()
        while layout.count():
            layout.takeAt(0).widget().deleteLater()
        f = self.figures
        history = [self.history[y] for y in sorted(self.history) if y <= f.year] or [f]
        for fig in (budget_vs_actual(f, 9, max(2.2, 0.35 * len(f.lines) + 1.1)),
                    stream_balances(history, 9, 2.8)):
            fig.set_dpi(96)
            canvas = FigureCanvasQTAgg(fig)
            canvas.setAccessibleName(fig.axes[0].get_title())
            layout.addWidget(canvas)

    def open_record(self, record_id: int | None) -> None:
        """Dashboard lines pass a financial year (e.g. 2019); other ids are budget lines."""
        if record_id is None:
            return
        if 1990 <= record_id <= 2100:
            self.set_year(record_id)
            return
        for year, figs in self.history.items():
            if any(lf.id == record_id for lf in figs.lines):
                self.set_year(year)
                self._select_line(record_id)
                return

    # ------------------------------------------------------------ actions
    def _streams(self) -> list:
        pid = self.ctx.partnership_id
        return budget.list_streams(self.ctx.db, pid) if pid is not None else []

    def _need_partnership(self) -> bool:
        if self.ctx.partnership_id is None:
            messages.show_error(self, ValidationError("Choose a partnership first."))
            return False
        if not self._streams():
            messages.show_error(self, ValidationError(
                "This partnership has no funding streams yet; add one with New stream."))
            return False
        return True

    def new_line(self) -> None:
        if not self._need_partnership():
            return
        pid = self.ctx.partnership_id
        dialog = LineDialog(self.year, self._streams(),
                            lambda data: self.edits.add_line(pid, data), parent=self)
        dialog.exec()

    def edit_line(self) -> None:
        line = self.current_line()
        if line is None:
            return
        pid = self.ctx.partnership_id
        choices = action_budget.action_choices(self.ctx.db, pid) if pid is not None else []

        def submit(data: Any) -> Any:
            return self.edits.update_line(line.line, data, dialog.action_ids())

        dialog = LineDialog(self.year, self._streams(), submit, line.line, self, choices)
        dialog.exec()

    def delete_line(self) -> None:
        line = self.current_line()
        if line is None:
            return
        n = len(line.entries)
        question = (f"Delete the line '{line.line.item}'"
                    + (f" and its {n} transaction{'s' if n != 1 else ''}" if n else "") + "?")
        if messages.confirm(self, question):
            self.edits.delete_line(line.line)

    def new_entry(self) -> None:
        line = self.current_line()
        if line is None:
            messages.show_error(self, ValidationError(
                "Choose the budget line the transaction belongs to first."))
            return
        EntryDialog(line.line, self._streams(), self.edits.add_entry, parent=self).exec()

    def _current_entry(self) -> EntryFact | None:
        rows = selected_rows(self.entry_view)
        return rows[0] if rows else None

    def edit_entry(self) -> None:
        line, entry = self.current_line(), self._current_entry()
        if line is None or entry is None:
            return
        EntryDialog(line.line, self._streams(),
                    lambda data: self.edits.update_entry(entry, data), entry, self).exec()

    def delete_entry(self) -> None:
        entry = self._current_entry()
        if entry and messages.confirm(self, f"Delete the {entry.kind_label.lower()} of "
                                            f"{m(entry.amount)}?"):
            self.edits.delete_entry(entry)

    def edit_funding(self) -> None:
        stream = self.current_stream()
        if stream is None:
            return
        current = budget.stream_year_input(stream.stream_year)
        StreamYearDialog(stream.stream, self.year, stream.computed_opening, current,
                         lambda data: self.edits.set_stream_year(stream.stream, self.year,
                                                                 current, data),
                         self).exec()

    def new_grant(self) -> None:
        if not self._need_partnership():
            return
        GrantDialog(self.year, self._streams(), self.edits.add_grant, parent=self).exec()

    # ------------------------------------------------------------ funding
    def funding_menu(self) -> QMenu:
        """The funding block's context menu."""
        menu = QMenu(self)
        for text, slot in (("New funding stream…", self.new_stream),
                           ("Edit funding stream…", self.edit_stream),
                           ("Delete funding stream", self.delete_stream), (None, None),
                           ("Opening balance and rollover…", self.edit_funding),
                           ("Grant income…", self.show_grants),
                           ("New grant…", self.new_grant), (None, None),
                           ("Open next financial year", self.open_next_year)):
            if text is None:
                menu.addSeparator()
            else:
                menu.addAction(text, slot)
        return menu

    def new_stream(self) -> None:
        pid = self.ctx.partnership_id
        if pid is None:
            messages.show_error(self, ValidationError("Choose a partnership first."))
            return
        StreamDialog(lambda data: self.edits.add_stream(pid, data, self.year),
                     parent=self).exec()

    def edit_stream(self) -> None:
        stream = self.current_stream()
        if stream is not None:
            StreamDialog(lambda data: self.edits.update_stream(stream.stream, data),
                         stream.stream, self).exec()

    def delete_stream(self) -> None:
        stream = self.current_stream()
        if stream is None or not messages.confirm(
                self, f"Delete the funding stream {stream.stream.name} with its grants and "
                      "opening balances in every year?"):
            return
        try:
            self.edits.delete_stream(stream.stream)
        except UserError as exc:
            messages.show_error(self, exc)

    def show_grants(self) -> None:
        stream, pid = self.current_stream(), self.ctx.partnership_id
        if stream is None or pid is None:
            return
        GrantsDialog(self.edits, pid, stream.stream, self.year, self._streams(), self).exec()

    def open_next_year(self) -> None:
        """Open the year after the last recorded one (or the shown year if none is recorded)."""
        pid = self.ctx.partnership_id
        if pid is None:
            messages.show_error(self, ValidationError("Choose a partnership first."))
            return
        year = max(self.history) + 1 if self.history else self.year
        try:
            self.edits.open_year(pid, year)
        except UserError as exc:
            messages.show_error(self, exc)
            return
        self.set_year(year)

    def show_export_menu(self) -> None:
        from cspdesk.ui.budget_export import export_menu

        menu: QMenu = export_menu(self)
        menu.exec(self.mapToGlobal(self.rect().topLeft()))
