"""ISA register page: agreements, the register of parties, details, history, tasks, chase list."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cspdesk import clock
from cspdesk.dates import format_date
from cspdesk.services import isa, isa_history, isa_rules
from cspdesk.services.isa import PartyRow
from cspdesk.services.isa_history import HistoryRow
from cspdesk.services.isa_rules import TaskRow
from cspdesk.ui import isa_actions, messages
from cspdesk.ui.context import AppContext
from cspdesk.ui.page import Page
from cspdesk.ui.people_page import make_table, selected_rows
from cspdesk.ui.table_model import CENTER, RIGHT, Column, RowTableModel
from cspdesk.ui.widgets import SEVERITY_COLOURS, PageToolbar

#: background behind the status word (the word is always shown too)
STATUS_COLOURS = {
    "form_returned": "#D5ECDF", "form_sent": "#FCEFC7", "not_sent": "#FCEFC7",
    "awaiting_details": "#F6D5D1", "awaiting_case": "#F6D5D1", "not_recorded": "#F6D5D1",
    "declined": "#E1E4E7", "withdrawn": "#E1E4E7",
}
YES_NO = {None: "", True: "Yes", False: "No"}
FILTERS = [
    ("All parties", lambda p: True),
    ("Form not returned", lambda p: not p.signed),
    ("Awaiting details", lambda p: p.status == "awaiting_details"),
    ("Without a SPOC", lambda p: not p.spocs),
    ("CSP Board members", lambda p: p.board_member is True),
    ("Leaving or withdrawn", lambda p: p.withdrawal_effective is not None
     or p.status == "withdrawn"),
]


def _status_colour(p: PartyRow) -> str | None:
    return "#E1E4E7" if p.withdrawal_effective else STATUS_COLOURS.get(p.status)


PARTY_COLUMNS: list[Column[PartyRow]] = [
    Column("#", lambda p: p.position, align=RIGHT),
    Column("Organisation", lambda p: p.organisation, lambda p: p.organisation.casefold()),
    Column("Board?", lambda p: YES_NO[p.board_member], align=CENTER),
    Column("Lead signatory", lambda p: p.signatory_label),
    Column("Signature", lambda p: p.state_label(clock.today()), lambda p: p.status,
           background=_status_colour, foreground=lambda p: "#1B1B1B"),
    Column("SPOCs", lambda p: p.spoc_label or "None named",
           foreground=lambda p: None if p.spocs else "#C0392B",
           tooltip=lambda p: "\n".join(", ".join(x for x in (s.label, s.email, s.phone) if x)
                                       for s in p.spocs) or None),
    Column("ECINS?", lambda p: YES_NO[p.ecins_user], align=CENTER),
]

TASK_COLUMNS: list[Column[TaskRow]] = [
    Column("Due", lambda t: format_date(t.due), lambda t: t.due),
    Column("Task", lambda t: t.title),
    Column("State", lambda t: t.state(clock.today()),
           foreground=lambda t: None if t.done_on else (
               SEVERITY_COLOURS["overdue"] if t.due < clock.today() else None)),
]

HISTORY_COLUMNS: list[Column[HistoryRow]] = [
    Column("When", lambda h: f"{format_date(h.at.date())} {h.at:%H:%M}", lambda h: h.at),
    Column("Who", lambda h: h.user),
    Column("What", lambda h: h.what),
    Column("Change", lambda h: h.field_label or h.action),
    Column("Old", lambda h: h.old),
    Column("New", lambda h: h.new),
]


def open_url(url: str) -> bool:
    """Hand a mailto: or file URL to the desktop (tests replace this)."""
    return QDesktopServices.openUrl(QUrl(url))


class IsaPage(Page):
    key = "isa"
    title = "ISA register"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.agreements: list[isa.AgreementRow] = []
        self.agreement_box = QComboBox()
        self.agreement_box.setAccessibleName("Agreement")
        self.agreement_box.setMinimumWidth(360)
        self.agreement_box.currentIndexChanged.connect(lambda _i: self._load_register())
        self.agreement_info = QLabel()
        self.agreement_info.setAccessibleName("Agreement details")
        self.agreement_info.setWordWrap(True)
        self.agreement_info.setMinimumWidth(200)
        self.filter_box = QComboBox()
        self.filter_box.setAccessibleName("Show")
        for label, _pred in FILTERS:
            self.filter_box.addItem(label)
        self.filter_box.currentIndexChanged.connect(self._apply_filter)

        self.model: RowTableModel[PartyRow] = RowTableModel(PARTY_COLUMNS, parent=self)
        self.view, self.proxy = make_table(self.model, "Register of parties")
        self.view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.view.doubleClicked.connect(lambda _i: isa_actions.edit_party(self))
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._show_party())

        self.toolbar = PageToolbar(self, search="Search organisation, signatory or SPOC")
        tb = self.toolbar
        tb.add("New party", lambda: isa_actions.add_party(self), QKeySequence.StandardKey.New)
        tb.add("Edit", lambda: isa_actions.edit_party(self), "Return")
        edit_f2 = tb.actions()[-1]
        edit_f2.setShortcuts([QKeySequence("Return"), QKeySequence("F2")])
        tb.add("Delete", lambda: isa_actions.delete_party(self), QKeySequence.StandardKey.Delete)
        tb.addSeparator()
        tb.add("Joined…", lambda: isa_actions.record_join(self), "Ctrl+J",
               "Record that the partner joined and add 'notify every SPOC' (Ctrl+J)")
        tb.add("Notice…", lambda: isa_actions.give_notice(self), "Ctrl+Shift+W",
               "Record a notice of withdrawal (Ctrl+Shift+W)")
        tb.add("Breach…", lambda: isa_actions.record_breach(self), "Ctrl+B",
               "Record a breach or near miss and add 'notify all partners' (Ctrl+B)")
        tb.add("Email SPOCs", lambda: isa_actions.email_spocs(self), "Ctrl+Shift+E",
               "Open a new email to every SPOC, addresses in Bcc (Ctrl+Shift+E)")
        tb.addSeparator()
        tb.add("Import…", lambda: isa_actions.import_register(self), "Ctrl+I")
        tb.add("Export…", lambda: isa_actions.export_register(self), "Ctrl+E")
        tb.addSeparator()
        tb.add("New agreement", lambda: isa_actions.add_agreement(self), "Ctrl+Shift+N")
        tb.add("Edit agreement", lambda: isa_actions.edit_agreement(self), "Ctrl+Shift+A")
        tb.add("Attach signed copy…", lambda: isa_actions.attach_document(self))
        tb.add("Open signed copy", lambda: isa_actions.open_document(self))
        tb.add("Refresh", self.refresh, "F5")
        tb.finish()
        assert tb.search is not None
        self.search_box = tb.search
        tb.search_changed.connect(self._on_search)

        self.summary = QLabel()
        self.summary.setAccessibleName("Register summary")
        self.summary.setStyleSheet("font-weight: bold; padding: 2px;")
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setAccessibleName("Party details")
        self.history_model: RowTableModel[HistoryRow] = RowTableModel(HISTORY_COLUMNS, parent=self)
        self.history_view, _hp = make_table(self.history_model, "Change history of the party")
        self.history_view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.task_model: RowTableModel[TaskRow] = RowTableModel(TASK_COLUMNS, parent=self)
        self.task_view, _tp = make_table(self.task_model, "Open tasks")
        self.task_view.doubleClicked.connect(lambda _i: isa_actions.toggle_task(self))
        done = QPushButton("&Mark done / reopen")
        done.setAccessibleName("Mark task done")
        done.clicked.connect(lambda: isa_actions.toggle_task(self))
        self.chase = QListWidget()
        self.chase.setAccessibleName("Chase list")
        self.chase.setWordWrap(True)
        self.chase.itemActivated.connect(self._chase_open)

        tasks = QWidget()
        tl = QVBoxLayout(tasks)
        tl.addWidget(self.task_view, 1)
        tl.addWidget(done, 0, Qt.AlignmentFlag.AlignLeft)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.details, "Details")
        self.tabs.addTab(self.history_view, "History")
        self.tabs.addTab(tasks, "Tasks")
        self.tabs.addTab(self.chase, "Chase list")
        splitter = QSplitter()
        splitter.addWidget(self.view)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([1000, 420])
        self.view.setWordWrap(False)
        self.view.horizontalHeader().setStretchLastSection(False)
        for col, width in enumerate((36, 240, 60, 240, 170, 280, 60)):
            self.view.setColumnWidth(col, width)
        self.view.verticalHeader().setDefaultSectionSize(24)

        top = QHBoxLayout()
        top.addWidget(QLabel("&Agreement:", buddy=self.agreement_box))
        top.addWidget(self.agreement_box)
        top.addWidget(self.agreement_info, 1)
        top.addWidget(QLabel("S&how:", buddy=self.filter_box))
        top.addWidget(self.filter_box)
        layout = QVBoxLayout(self)
        layout.addWidget(self.toolbar)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)
        self.status = QLabel()
        self.status.setAccessibleName("Status")
        layout.addWidget(self.status)
        self.task = None
        self.last_preview_dialog = None
        ctx.data_changed.connect(self._on_data_changed)
        ctx.partnership_changed.connect(lambda _p: self.refresh())

    # ---------------------------------------------------------------- state
    def agreement(self) -> isa.AgreementRow | None:
        i = self.agreement_box.currentIndex()
        return self.agreements[i] if 0 <= i < len(self.agreements) else None

    def status_message(self, text: str) -> None:
        """A one-line note under the register (what just happened)."""
        self.status.setText(text)

    def current_party(self) -> PartyRow | None:
        rows = selected_rows(self.view)
        return rows[0] if rows else None

    def select_party(self, party_id: int) -> None:
        row = self.model.find_row(lambda p: p.id == party_id)
        if row < 0:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            self.filter_box.setCurrentIndex(0)
            self.search_box.clear()
            index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.view.selectRow(index.row())
        self.view.scrollTo(index)

    def _on_search(self, text: str) -> None:
        self.proxy.set_search(text)
        self._update_count()

    def _apply_filter(self, index: int) -> None:
        self.proxy.set_row_filter(FILTERS[index][1])
        self._update_count()

    def _update_count(self) -> None:
        a = self.agreement()
        if a is None:
            self.summary.setText("No agreement yet: use New agreement (Ctrl+Shift+N) to add one.")
            return
        s = isa_rules.summary(self.ctx.db, a.id)
        shown = self.proxy.rowCount()
        extra = "" if shown == self.model.rowCount() else f"  (showing {shown})"
        self.summary.setText(s.text + extra)

    def _on_data_changed(self, area: str) -> None:
        if area in ("isa", "people", "*"):
            self.refresh()

    # ---------------------------------------------------------------- loading
    def refresh(self) -> None:
        keep = self.agreement()
        self.agreements = isa.list_agreements(self.ctx.db, self.ctx.partnership_id)
        self.agreement_box.blockSignals(True)
        self.agreement_box.clear()
        for a in self.agreements:
            self.agreement_box.addItem(a.label, a.id)
        if keep is not None and self.agreement_box.findData(keep.id) >= 0:
            self.agreement_box.setCurrentIndex(self.agreement_box.findData(keep.id))
        self.agreement_box.blockSignals(False)
        self._load_register()

    def _load_register(self) -> None:
        party = self.current_party()
        a = self.agreement()
        today = clock.today()
        self.model.set_rows(isa.list_parties(self.ctx.db, a.id) if a else [])
        self.task_model.set_rows(isa_rules.list_tasks(self.ctx.db, a.id, include_done=True)
                                 if a else [])
        self.chase.clear()
        if a is not None:
            doc = a.signed_document_name or "no signed copy attached"
            self.agreement_info.setText(
                f"{a.status_label} · version {a.doc_version or '-'} · "
                f"{a.protective_marking or 'no marking'} · last review "
                f"{format_date(a.last_review) or '-'} · {doc}")
            for item in isa_rules.chase_list(self.ctx.db, a.id, today):
                entry = QListWidgetItem(item.text)
                entry.setData(Qt.ItemDataRole.UserRole, item.party_id)
                entry.setForeground(Qt.GlobalColor.black)
                if item.severity != "info":
                    entry.setForeground(_qcolor(SEVERITY_COLOURS[item.severity]))
                self.chase.addItem(entry)
        else:
            self.agreement_info.setText("")
        self._update_count()
        if party is not None:
            self.select_party(party.id)
        self._show_party()

    def _show_party(self) -> None:
        p = self.current_party()
        if p is None:
            self.details.setText("Select a party to see its details.")
            self.history_model.set_rows([])
            return
        self.details.setText(party_html(p))
        self.history_model.set_rows(isa_history.party_history(self.ctx.db, p.id))

    def _chase_open(self, item: QListWidgetItem) -> None:
        party_id = item.data(Qt.ItemDataRole.UserRole)
        if party_id:
            self.select_party(int(party_id))
            self.tabs.setCurrentIndex(0)

    def open_record(self, record_id: int | None) -> None:
        """A party id, or minus an agreement id (see services.isa_dashboard)."""
        if record_id is None:
            return
        if self.model.rowCount() == 0 and not self.agreements:
            self.refresh()
        if record_id < 0:
            agreement_id = -record_id
        else:
            try:
                agreement_id = isa.get_party(self.ctx.db, record_id).agreement_id
            except Exception as exc:  # noqa: BLE001 - record deleted since the dashboard loaded
                messages.show_error(self, exc)
                return
        index = self.agreement_box.findData(agreement_id)
        if index >= 0:
            self.agreement_box.setCurrentIndex(index)
        if record_id > 0:
            self.select_party(record_id)
        else:
            self.tabs.setCurrentWidget(self.chase)


def _qcolor(hex_colour: str):  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QColor

    return QColor(hex_colour)


def party_html(p: PartyRow) -> str:
    """The details panel of one party."""
    from html import escape

    today = clock.today()
    rows = [
        ("Organisation", p.organisation), ("CSP Board member", YES_NO[p.board_member] or "Unknown"),
        ("Lead signatory", p.signatory_label or "Not named"),
        ("Signature form", p.state_label(today)), ("ECINS user", YES_NO[p.ecins_user] or "Unknown"),
        ("Joined", format_date(p.joined_on)), ("Notice given", format_date(p.notice_given_on)),
        ("Leaves on", format_date(p.withdrawal_effective)),
        ("SPOC last changed", format_date(p.spoc_changed_on)), ("Notes", p.notes or ""),
    ]
    html = "<table cellspacing=4>" + "".join(
        f"<tr><td><b>{escape(k)}</b></td><td>{escape(v)}</td></tr>" for k, v in rows if v)
    html += "</table><p><b>SPOCs</b></p>"
    if not p.spocs:
        html += "<p style='color:#C0392B'>No SPOC named: every partner must appoint one.</p>"
    for s in p.spocs:
        bits = [escape(s.label)] + [escape(x) for x in (s.email, s.phone, s.note) if x]
        html += "<p>" + "<br>".join(bits) + "</p>"
    return html
