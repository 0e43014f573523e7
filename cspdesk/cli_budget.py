"""Budget commands: `cspdesk export finance-report ...` and `cspdesk export budget-xlsx ...`."""

from __future__ import annotations

import argparse
from pathlib import Path

from cspdesk import cli, cli_io
from cspdesk.dates import parse_financial_year
from cspdesk.errors import UserError


def _year(text: str) -> int:
    try:
        return parse_financial_year(text)
    except ValueError as exc:
        raise UserError(f"'{text}' is not a financial year; write it like 2020/21.") from exc


def cmd_finance_report(args: argparse.Namespace) -> int:
    from cspdesk.services.budget_papers import export_finance_report
    from cspdesk.services.partnerships import find_partnership

    db = cli.open_db(args, read_only=True)
    try:
        partnership = find_partnership(db, args.partnership)
        path = export_finance_report(db, partnership.id, _year(args.year), args.kind,
                                     Path(args.out))
    finally:
        db.dispose()
    print(f"Wrote {path}")
    return 0


def cmd_budget_xlsx(args: argparse.Namespace) -> int:
    from cspdesk.services.budget_xlsx import export_budget_xlsx
    from cspdesk.services.partnerships import find_partnership

    db = cli.open_db(args, read_only=True)
    try:
        partnership = find_partnership(db, args.partnership)
        path = export_budget_xlsx(db, partnership.id, _year(args.year), Path(args.out))
    finally:
        db.dispose()
    print(f"Wrote {path}")
    return 0


@cli.subcommand
def register(sub: argparse._SubParsersAction) -> None:
    export = cli_io.export_parser(sub)
    p = export.add_parser("finance-report", help="spending plan or end of year statement (PDF)")
    p.add_argument("--partnership", required=True, help="partnership name or short name")
    p.add_argument("--year", required=True, help="financial year, e.g. 2020/21")
    p.add_argument("--kind", choices=("spending-plan", "year-end"), default="spending-plan")
    p.add_argument("--out", required=True, metavar="FILE.pdf")
    p.set_defaults(func=cmd_finance_report)
    p = export.add_parser("budget-xlsx", help="a year's streams, lines and ledger (XLSX)")
    p.add_argument("--partnership", required=True, help="partnership name or short name")
    p.add_argument("--year", required=True, help="financial year, e.g. 2020/21")
    p.add_argument("--out", required=True, metavar="FILE.xlsx")
    p.set_defaults(func=cmd_budget_xlsx)
