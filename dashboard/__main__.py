"""Command line: `python -m dashboard check [DATA_DIR]` validates a data directory; `run` serves the app."""

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
    run = sub.add_parser("run", help="serve the dashboard on http://127.0.0.1:8050 (development server)")
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
    from .app import app

    app.run(host=args.host, port=args.port, debug=os.environ.get("DASHBOARD_DEBUG") == "1")
    return 0


if __name__ == "__main__":
    sys.exit(main())
