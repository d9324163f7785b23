"""`python -m gongkao …` and the `gongkao` console script.

Must not import Django: `gongkao eligibility check` runs without the web app.
Other sub-commands register themselves on the same subparsers.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from gongkao.eligibility import cli as eligibility_cli


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gongkao", description="工勤技能岗位等级考核命令行工具"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    eligibility_cli.register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    return handler(args)


if __name__ == "__main__":
    sys.exit(main())
