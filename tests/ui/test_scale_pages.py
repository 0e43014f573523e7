"""Every page opens on synthetic (scaled-up) data, not only on the demo's hand-made rows."""

from __future__ import annotations

from sqlalchemy import select

from cspdesk.models import Organisation
from cspdesk.models.organisation import OrgType
from cspdesk.services.scale_demo import load_scale_demo
from cspdesk.ui.context import AppContext
from cspdesk.ui.main_window import PAGES, MainWindow


def test_every_page_opens_on_a_scaled_database(db, qtbot, data_home) -> None:
    added = load_scale_demo(db, 2)
    assert added.counts["organisation"] > 0
    with db.session() as s:
        types = set(s.scalars(select(Organisation.type)))
    assert types <= {t.value for t in OrgType}, types
    window = MainWindow(AppContext(db))
    qtbot.addWidget(window)
    for key, _label, _target in PAGES:
        window.open_page(key)
        page = window.current_page()
        assert page is not None and page.key == key
    people = window.page("people")
    assert people.org_model.rowCount() > 0
