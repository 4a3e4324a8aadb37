"""Command line: `check [DATA_DIR]` validates data, `import PAGE` imports an operation page, `run` serves."""

from __future__ import annotations

import argparse
import os
import sys

from .data import DataError, data_dir_from_env, load


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate a data directory; prints 'ok' or one line per problem")
    check.add_argument("data_dir", nargs="?", help="default: $DASHBOARD_DATA_DIR or the shipped data/")
    imp = sub.add_parser("import", help="import a saved operation page into the data directory")
    imp.add_argument("page", help="the saved page (text)")
    imp.add_argument("--data-dir", help="default: $DASHBOARD_DATA_DIR or the shipped data/")
    imp.add_argument("--operation", help="ISO3 code, when the page's own should be overridden")
    imp.add_argument("--as-of", help="date of the figures (YYYY-MM-DD), for pages that do not say")
    run = sub.add_parser(
        "run", help="serve the dashboard on http://127.0.0.1:8050 with gunicorn (DASHBOARD_DEBUG=1: Flask's dev server)"
    )
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8050)
    args = parser.parse_args(argv)

    if args.command == "check":
        try:
            load(args.data_dir or data_dir_from_env())
        except DataError as exc:
            for line in exc.problems:
                print(line)
            return 1
        print("ok")
        return 0
    if args.command == "import":
        from pathlib import Path

        from .importer import PageError, import_page

        target = Path(args.data_dir) if args.data_dir else data_dir_from_env()
        try:
            page = import_page(Path(args.page), target, operation=args.operation, as_of=args.as_of)
        except PageError as exc:
            for line in exc.problems:
                print(f"{args.page}: {line}")
            return 1
        counts = ", ".join(f"{len(rows)} {name}" for name, rows in page.rows.items())
        print(f"imported {page.operation} into {target}: {counts}")
        return 0
    from .serving import run

    return run(args.host, args.port, debug=os.environ.get("DASHBOARD_DEBUG") == "1")


if __name__ == "__main__":
    sys.exit(main())
