"""A view's download in the user's language: CSV in the dialect their spreadsheet opens, or a workbook.

English CSV is what it has always been (',' separator, '.' decimals, column ids, no BOM). French CSV is
what French Excel opens directly: ';' separator, decimal comma, UTF-8 with a BOM, French headers and
comment lines. Both keep the source's full precision. The workbook has one sheet per view, with the
source and licence on each sheet and numbers stored as numbers.

Text cells that a spreadsheet would run as a formula (= + - @ tab CR first) are neutralised with a
leading apostrophe in CSV (OWASP "CSV injection"); in the workbook they are stored as text cells.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Mapping
from decimal import Decimal
from functools import cache

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from . import names
from .data import Dataset
from .i18n import column, data_version, source_field, t
from .safety import neutralise
from .views.common import Download

CSV_TYPE = "text/csv"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOM = "\ufeff"
DIALECT = {"en": {"delimiter": ",", "decimal": "."}, "fr": {"delimiter": ";", "decimal": ","}}
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Excel's limits on sheet names.
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_SHEET_MAX = 31


def _plain_number(value) -> str:
    """A number in plain decimal notation at full precision, without float noise (0.1 stays 0.1)."""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        value = Decimal(repr(value))
    return format(value, "f")


def _is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


@cache
def _region_names(ds: Dataset) -> dict[tuple[str, str], str]:
    frame = ds.region_figures
    return dict(zip(zip(frame["operation"], frame["region_en"], strict=True), frame["region_fr"], strict=True))


def _localised_row(ds: Dataset, download: Download, row: tuple, lang: str) -> list:
    """The row with its name columns in `lang`: pillar, donor and region names (codes stay codes)."""
    if lang != "fr":
        return list(row)
    cells = dict(zip(download.columns, row, strict=True))
    out = []
    for name, value in cells.items():
        if name == "pillar_name" and cells.get("pillar"):
            value = t(str(cells["pillar"]), lang)
        elif name == "donor" and isinstance(value, str):
            code = cells.get("donor_code") or names.donor_code(value)
            value = names.donor_name(code, value, lang)
        elif name == "region" and isinstance(value, str):
            value = _region_names(ds).get((cells.get("operation"), value), value)
        out.append(value)
    return out


def _csv_cell(value, lang: str) -> str:
    if _is_missing(value):
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float, Decimal)):
        text = _plain_number(value)
    elif isinstance(value, str) and _NUMBER.match(value):
        text = value
    else:
        # Line breaks as '\n' only: the writer quotes those, but a lone CR would end the row in Excel.
        return re.sub(r"\r\n?", "\n", neutralise(str(value)))
    return text.replace(".", DIALECT[lang]["decimal"])


def _comment(text: str, delimiter: str) -> str:
    """A '#' line: kept on one line, with no part after a separator that a spreadsheet would run."""
    text = re.sub(r"[\r\n]+", " ", text).replace('"', "'")
    first, *rest = text.split(delimiter)
    return delimiter.join([first, *(neutralise(p) for p in rest)])


def source_lines(ds: Dataset, source_ids, lang: str) -> list[str]:
    """'citation. title. Licence: licence.' for each source, in `lang`."""
    lines = []
    for sid in dict.fromkeys(source_ids):
        src = ds.source(sid)
        lines.append(
            t(
                "csv_source",
                lang,
                citation=source_field(src, "citation", lang),
                title=source_field(src, "title", lang),
                licence=source_field(src, "licence", lang),
            )
        )
    return lines


def csv_bytes(ds: Dataset, download: Download, lang: str) -> bytes:
    """The download as CSV bytes in `lang`'s dialect, with its sources and notes in '#' lines above the header."""
    lang = lang if lang in DIALECT else "en"
    delimiter = DIALECT[lang]["delimiter"]
    out = io.StringIO()
    if lang == "fr":
        out.write(BOM)
    version = data_version("download_version", ds.version, ds.as_of, lang)
    for line in [*source_lines(ds, download.source_ids, lang), *download.notes, version]:
        out.write(f"# {_comment(line, delimiter)}\n")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow([column(c, lang) for c in download.columns])
    for row in download.rows:
        writer.writerow([_csv_cell(v, lang) for v in _localised_row(ds, download, row, lang)])
    return out.getvalue().encode("utf-8")


def _xlsx_value(value):
    """Numbers as numbers (Decimal keeps the source's digits), ISO dates as dates, the rest as text."""
    if _is_missing(value):
        return None
    if isinstance(value, (bool, int, float, Decimal)):
        return value
    text = str(value)
    if _NUMBER.match(text):
        return int(text) if "." not in text else Decimal(text)
    if _DATE.match(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return text
    return text


def sheet_title(name: str, taken: set[str]) -> str:
    """A valid, unique Excel sheet name (at most 31 characters, none of [ ] : * ? / \\)."""
    base = _SHEET_FORBIDDEN.sub(" ", name).strip().strip("'")[:_SHEET_MAX] or "Sheet"
    title, n = base, 1
    while title.lower() in {s.lower() for s in taken}:
        n += 1
        suffix = f" ({n})"
        title = base[: _SHEET_MAX - len(suffix)] + suffix
    return title


def xlsx_bytes(ds: Dataset, downloads_by_sheet: Mapping[str, Download], lang: str) -> bytes:
    """A workbook with one sheet per download (keyed by sheet name): source and licence lines, notes, then
    the table with `lang`'s headers; numbers are numbers, text never runs as a formula."""
    book = Workbook()
    if downloads_by_sheet:
        book.remove(book.active)
    taken: set[str] = set()
    bold = Font(bold=True)
    for name, download in downloads_by_sheet.items():
        sheet = book.create_sheet(sheet_title(name, taken))
        taken.add(sheet.title)
        for line in source_lines(ds, download.source_ids, lang):
            _text_cell(sheet, t("source_line", lang, text=line))
        for note in download.notes:
            _text_cell(sheet, note)
        _text_cell(sheet, data_version("download_version", ds.version, ds.as_of, lang))
        sheet.append([])
        sheet.append([column(c, lang) for c in download.columns])
        header_row = sheet.max_row
        for cell in sheet[header_row]:
            cell.font = bold
            cell.data_type = "s"
        for row in download.rows:
            sheet.append([_xlsx_value(v) for v in _localised_row(ds, download, row, lang)])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
                elif isinstance(cell.value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
        sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
        for i, name_ in enumerate(download.columns, start=1):
            widest = max([len(column(name_, lang)), *(len(str(r[i - 1])) for r in download.rows)])
            sheet.column_dimensions[get_column_letter(i)].width = min(max(widest + 2, 8), 60)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _text_cell(sheet, text: str) -> None:
    sheet.append([text])
    sheet.cell(row=sheet.max_row, column=1).data_type = "s"
