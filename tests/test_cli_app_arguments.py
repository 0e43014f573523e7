"""Starting the app with only its own options parses exactly as the full parser would."""

from __future__ import annotations

import pytest

from cspdesk import cli


@pytest.mark.parametrize("argv", [
    [], ["--db", "x.sqlite"], ["--db=x.sqlite"], ["--db="], ["--demo"],
    ["--database-url", "postgresql://u@h/db"], ["--database-url=sqlite:///a b.sqlite"],
    ["--db", "a.sqlite", "--db", "b.sqlite", "--demo"], ["--demo", "--db", "my file.sqlite"],
])
def test_app_options_parse_as_the_full_parser_parses_them(argv: list[str]) -> None:
    fast = cli.app_arguments(argv)
    assert fast is not None
    assert vars(fast) == vars(cli.build_parser().parse_args(argv))


@pytest.mark.parametrize("argv", [
    ["info"], ["--db", "x", "info"], ["--help"], ["--version"], ["--db"], ["--db", "--demo"],
    ["--dem"], ["--demo=yes"], ["demo", "--db", "x"], ["--db", "x", "extra"],
])
def test_anything_else_goes_to_the_full_parser(argv: list[str]) -> None:
    assert cli.app_arguments(argv) is None

