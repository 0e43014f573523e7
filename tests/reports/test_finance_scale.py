"""A finance report for a year with many budget lines still lays out (found by benchmarks/run.py:
the budget-against-spend chart grew taller than the landscape page and reportlab gave up)."""

from __future__ import annotations

from pypdf import PdfReader

from cspdesk.models.budget import BudgetLine
from cspdesk.services.budget_papers import export_finance_report
from cspdesk.services.partnerships import find_partnership


def test_spending_plan_with_sixty_lines_has_its_chart_on_a_page(demo_db, fixed_today,
                                                                 tmp_path) -> None:
    pid = find_partnership(demo_db, "South Cambs CSP").id
    with demo_db.session() as s:
        s.add_all(BudgetLine(partnership_id=pid, year=2018, position=200 + i,
                             item=f"Scale line {i}", category="Scale", status="agreed")
                  for i in range(60))
    out = export_finance_report(demo_db, pid, 2018, "spending-plan", tmp_path / "plan.pdf")
    reader = PdfReader(out)
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "Scale line 59" in text
    assert sum(len(p.images) for p in reader.pages) >= 2  # both charts printed
