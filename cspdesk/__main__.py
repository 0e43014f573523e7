"""Composition root: parse arguments, set up logging, then run a subcommand or the desktop app."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    from cspdesk import cli

    args = cli.parse(argv)
    cli.setup_logging()
    if getattr(args, "command", None):
        return cli.run_command(args)
    from cspdesk.ui.app import run_app

    return run_app(args)


if __name__ == "__main__":
    sys.exit(main())
