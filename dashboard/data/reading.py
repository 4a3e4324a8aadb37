"""Reading the data files safely and parsing them: regular files only, never past a size limit, CSV rows
through their row model, GeoJSON checked for shape. Every problem becomes one line naming the file, the line,
the field, the value and what was expected.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import re
import stat
from pathlib import Path

import pandas as pd
from pydantic import ValidationError

from ..safety import nests_deeper, quote
from .schema import Row

# Size limits (stated in data/README.md): far above the real files (8 kB, 18 kB), far below what would make
# the check slow or the server's memory large.
MAX_CSV_BYTES = 20 * 1024 * 1024
MAX_GEOJSON_BYTES = 20 * 1024 * 1024
MAX_GEOJSON_DEPTH = 16  # a MultiPolygon feature collection nests 7 deep
MAX_PROBLEMS_PER_FILE = 50


class DataFileError(Exception):
    """A file of the data directory that cannot be read as a file; `reason` says why in a few words."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class DataError(Exception):
    """Invalid data: `problems` holds one human-readable line per problem."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


_EXPECTED = {
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_parsing": "a number",
    "finite_number": "a finite number",
    "greater_than_equal": "a number >= {ge}",
    "less_than_equal": "a number <= {le}",
    "date_from_datetime_parsing": "a date YYYY-MM-DD",
    "date_parsing": "a date YYYY-MM-DD",
    "bool_parsing": "true or false",
    "string_pattern_mismatch": "text matching {pattern}",
    "string_too_short": "a non-empty text",
    "string_too_long": "at most {max_length} characters",
    "literal_error": "one of {expected}",
    "missing": "a value",
    "extra_forbidden": "no such column",
}


DATE_LIKE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _expected(error: dict) -> str:
    template = _EXPECTED.get(error["type"])
    if template is None:
        return error["msg"]
    ctx = error.get("ctx") or {}
    if any(isinstance(v, str) and DATE_LIKE.fullmatch(v) for v in ctx.values()):
        template = template.replace("a number", "a date")
    return template.format(**ctx)


_FILE_TYPES = {stat.S_IFDIR: "a directory", stat.S_IFIFO: "a FIFO", stat.S_IFSOCK: "a socket"}


def read_limited(path: Path, limit: int) -> bytes:
    """The bytes of regular file `path`, or DataFileError saying in a few words why it cannot be read.

    Opened without blocking (a FIFO would otherwise wait forever for a writer) and checked on the open file,
    so what is read is what was checked; at most `limit` bytes are ever read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        if path.is_symlink():
            raise DataFileError(f"a symbolic link to {quote(os.readlink(path))}, which does not exist") from None
        raise DataFileError("missing") from None
    except OSError as exc:
        reason = "a symbolic link that loops" if exc.errno == errno.ELOOP else exc.strerror or "unreadable"
        raise DataFileError(f"cannot be opened: {reason.lower()}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = _FILE_TYPES.get(stat.S_IFMT(info.st_mode), "a device")
            raise DataFileError(f"is {kind}, expected a file")
        if info.st_size > limit:
            raise DataFileError(f"{info.st_size:,} bytes, larger than the limit of {limit:,} bytes (data/README.md)")
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(limit + 1)
    except OSError as exc:
        raise DataFileError(f"cannot be read: {(exc.strerror or 'unreadable').lower()}") from None
    finally:
        os.close(fd)
    if len(data) > limit:  # grew after it was checked
        raise DataFileError(f"larger than the limit of {limit:,} bytes")
    return data


def read_csv(
    path: Path, model: type[Row], problems: list[str], content: bytes | None = None, digest=None
) -> tuple[list[dict], list[int]]:
    name = path.name
    file_problems: list[str] = []
    try:
        data = read_limited(path, MAX_CSV_BYTES) if content is None else content
        if digest is not None:
            _digest_file(digest, name, data)
        rows, lines = _parse_csv(name, data, model, file_problems)
    except DataFileError as exc:
        file_problems.append(
            f"{name}: " + (f"file missing in {path.parent}" if exc.reason == "missing" else exc.reason)
        )
        rows, lines = [], []
    if len(file_problems) > MAX_PROBLEMS_PER_FILE:
        more = len(file_problems) - MAX_PROBLEMS_PER_FILE
        file_problems[MAX_PROBLEMS_PER_FILE:] = [f"{name}: {more:,} more problems not shown"]
    problems.extend(file_problems)
    return rows, lines


def _parse_csv(name: str, data: bytes, model: type[Row], problems: list[str]) -> tuple[list[dict], list[int]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(f"{name}: byte {exc.start}: not UTF-8 text (expected a UTF-8 CSV file)")
        return [], []
    # Only CR and LF end a line (str.splitlines would also split at U+2028 and other separators in a name).
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return _parse_rows(name, reader, model, problems)
    except csv.Error as exc:
        # The csv module's own limit: a field longer than csv.field_size_limit() (131,072 characters).
        problems.append(f"{name}: line {reader.line_num}: {exc} (expected a CSV field of at most 200 characters)")
        return [], []


def _parse_rows(name: str, reader, model: type[Row], problems: list[str]) -> tuple[list[dict], list[int]]:
    header = next(reader, None)
    expected = list(model.model_fields)
    if header is None:
        problems.append(f"{name}: empty file (expected a header line: {','.join(expected)})")
        return [], []
    header = [h.strip() for h in header]
    missing = [c for c in expected if c not in header]
    extra = [c for c in header if c not in expected]
    for column in missing:
        problems.append(f"{name}: line 1, header: column '{column}' missing (expected columns: {','.join(expected)})")
    for column in extra:
        problems.append(
            f"{name}: line 1, header: unknown column {quote(column)} (expected columns: {','.join(expected)})"
        )
    if missing or extra or len(set(header)) != len(header):
        if not (missing or extra):
            problems.append(f"{name}: line 1, header: a column appears twice")
        return [], []
    rows, lines = [], []
    end = reader.line_num
    for cells in reader:
        # A row starts on the line after the previous one ended (a quoted field may span lines).
        line, end = end + 1, reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            problems.append(f"{name}: line {line}: {len(cells)} fields, expected {len(header)}")
            continue
        raw = dict(zip(header, cells, strict=True))
        try:
            rows.append(model.model_validate(raw).model_dump())
            lines.append(line)
        except ValidationError as exc:
            for err in exc.errors():
                field = ".".join(str(p) for p in err["loc"]) or "row"
                value = raw.get(str(err["loc"][0]), "") if err["loc"] else ""
                problems.append(
                    f"{name}: line {line}, field '{field}': value {quote(str(value))}, expected {_expected(err)}"
                )
    return rows, lines


def to_frame(rows: list[dict], lines: list[int], model: type[Row]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(model.model_fields))
    frame["line"] = lines
    return frame


def _check_ring(name: str, index: int, ring, problems: list[str]) -> bool:
    ok = (
        isinstance(ring, list)
        and len(ring) >= 4
        and all(
            isinstance(p, list)
            and len(p) >= 2
            and all(isinstance(c, (int, float)) for c in p[:2])
            and -180 <= p[0] <= 180
            and -90 <= p[1] <= 90
            for p in ring
        )
        and ring[0][:2] == ring[-1][:2]
    )
    if not ok:
        problems.append(
            f"{name}: feature {index}, field 'geometry': invalid ring, expected a closed list of >= 4 [lon, lat] points"
        )
    return ok


def _digest_file(digest, name: str, data: bytes) -> None:
    digest.update(f"{name}\0{len(data)}\0".encode())
    digest.update(data)


def read_geojson(directory: Path, rel: str, keys: tuple[str, ...], problems: list[str], digest=None) -> dict | None:
    path = directory / rel
    if not os.path.lexists(path):
        return None
    try:
        raw = read_limited(path, MAX_GEOJSON_BYTES)
        if digest is not None:
            _digest_file(digest, rel, raw)
        data = json.loads(raw.decode("utf-8"))
    except DataFileError as exc:
        problems.append(f"{rel}: {exc}")
        return None
    except ValueError as exc:  # not UTF-8, not JSON, or a number of thousands of digits
        problems.append(f"{rel}: not valid GeoJSON ({str(exc)[:200]}), expected a UTF-8 JSON FeatureCollection")
        return None
    except RecursionError:
        data = None
    if data is None or nests_deeper(data, MAX_GEOJSON_DEPTH):
        problems.append(f"{rel}: lists or objects nested more than {MAX_GEOJSON_DEPTH} deep, expected GeoJSON")
        return None
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        problems.append(f"{rel}: top level, field 'type': expected a FeatureCollection with a list of features")
        return None
    for i, feature in enumerate(data["features"], start=1):
        props = feature.get("properties") if isinstance(feature, dict) else None
        geom = feature.get("geometry") if isinstance(feature, dict) else None
        for key in keys:
            if not isinstance(props, dict) or not isinstance(props.get(key), str) or not props[key]:
                problems.append(f"{rel}: feature {i}, field 'properties.{key}': missing, expected a text")
        kind = geom.get("type") if isinstance(geom, dict) else None
        if kind == "Polygon":
            polygons = [geom.get("coordinates")]
        elif kind == "MultiPolygon":
            polygons = geom.get("coordinates")
        else:
            problems.append(
                f"{rel}: feature {i}, field 'geometry.type': value {kind!r}, expected Polygon or MultiPolygon"
            )
            continue
        for polygon in polygons if isinstance(polygons, list) else [None]:
            if not isinstance(polygon, list) or not polygon:
                problems.append(f"{rel}: feature {i}, field 'geometry': empty polygon, expected rings")
                continue
            for ring in polygon:
                if not _check_ring(rel, i, ring, problems):
                    break
    return data
