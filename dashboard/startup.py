"""Refuse to start on invalid data: print every problem, one line each, and exit without a traceback."""

import sys

from .data import DataError, Dataset, data_dir_from_env, get_dataset, split_by_operation

# Gunicorn treats exit code 3 from a worker as "failed to boot" and stops instead of restarting it forever.
EXIT_INVALID_DATA = 3


def dataset_or_exit() -> Dataset:
    try:
        ds = get_dataset()
    except DataError as exc:
        print(f"Invalid data in {data_dir_from_env()}; the dashboard will not start:", file=sys.stderr)
        for line in exc.problems:
            print(line, file=sys.stderr)
        sys.stderr.flush()
        raise SystemExit(EXIT_INVALID_DATA) from None
    split_by_operation(ds)
    return ds
