"""Command line: `check [DATA_DIR]` validates data, `import PAGE` imports an operation page, `refresh` fetches
the statistics series again from UNHCR's API, `run` serves."""

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
    ref = sub.add_parser("refresh", help="fetch the statistics series again from UNHCR's API into the data directory")
    ref.add_argument("--data-dir", help="default: $DASHBOARD_DATA_DIR or the shipped data/")
    ref.add_argument("--operation", action="append", help="ISO3 code (repeatable); default: every operation")
    ref.add_argument(
        "--api", help="API base address; default: $DASHBOARD_UNHCR_API or https://api.unhcr.org/population/v1/"
    )
    ref.add_argument("--release", help="the release the new figures belong to, as UNHCR names it (e.g. 2026.06)")
    ref.add_argument("--dry-run", action="store_true", help="print what would change, write nothing")
    ref.add_argument("--accept-changes", action="store_true", help="write figures removed or moved by more than half")
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
    if args.command == "refresh":
        return _refresh(args)
    from .serving import run

    return run(args.host, args.port, debug=os.environ.get("DASHBOARD_DEBUG") == "1")


def _refresh(args) -> int:
    from pathlib import Path

    from .importer import PageError
    from .importer.refresh import refresh, report
    from .importer.unhcr_api import api_base

    target = Path(args.data_dir) if args.data_dir else data_dir_from_env()
    try:
        options = {"release": args.release, "dry_run": args.dry_run, "accept_changes": args.accept_changes}
        outcome = refresh(target, api_base(args.api), args.operation, **options)
    except PageError as exc:
        for line in exc.problems:
            print(f"refresh: {line}", file=sys.stderr)
        print(f"refresh: nothing was written to {target}", file=sys.stderr)
        return 1
    print("\n".join(report(outcome, target, args.dry_run)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
