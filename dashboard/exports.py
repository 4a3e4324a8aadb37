"""A view's download in the user's language: CSV in the dialect their spreadsheet opens, or a workbook.

Headers are words in the page's language (COLUMNS_EN / COLUMNS of i18n) in both. English CSV: ',' separator,
'.' decimals, no BOM. French CSV is what French Excel opens directly: ';' separator, decimal comma, UTF-8 with a
BOM, French comment lines. CSV keeps the codes a script filters on in its values (operation, series, kind,
pillar, group, dataset, ISO codes, true/false, ISO dates) and the source's full precision; the implementation
rate is a percentage. The workbook is for reading: per sheet a title row (the view and the selection), the
source and licence, the headers in words, coded values in words, money, percentages and dates formatted; a
sheet without rows says why; a last sheet lists the code behind every header.

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
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from . import names
from .catalogue import TEXT
from .data import Dataset
from .i18n import citation, column, data_version, source_field, t
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


# Columns holding a fraction that the CSV gives as a percentage ("Implementation rate (%)": 75.6).
PERCENT_COLUMNS = frozenset({"rate"})


def _percent(value):
    """'0.756' -> Decimal('75.6'), with the fraction's own digits; a missing value stays missing."""
    if _is_missing(value) or value == "":
        return None
    percent = (Decimal(str(value)) * 100).normalize()
    return percent.quantize(Decimal(1)) if percent == percent.to_integral() else percent


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
                citation=citation(src, lang),
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
        cells = _localised_row(ds, download, row, lang)
        cells = [_percent(v) if c in PERCENT_COLUMNS else v for c, v in zip(download.columns, cells, strict=True)]
        writer.writerow([_csv_cell(v, lang) for v in cells])
    return out.getvalue().encode("utf-8")


def _xlsx_value(value):
    """Numbers as numbers (Decimal keeps the source's digits), ISO dates as dates, the rest as text; an empty
    cell for a missing value."""
    if _is_missing(value) or value == "":
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


# Number formats by column (Excel's codes; Excel shows the reader's own separators). Dates carry their locale
# so the month reads in the page's language whatever the reader's Excel.
NUMBER_FORMATS = {
    "usd": '#,##0.00 "USD"',
    "amount_usd": '#,##0 "USD"',
    "usd_millions": "#,##0.00",
    "rate": "0.0%",
    "people": "#,##0",
    "value": "#,##0",
}
DATE_FORMATS = {"en": "[$-0809]d mmm yyyy", "fr": "[$-040C]d mmm yyyy"}
SERIES = {
    "by_year": "series_by_year",
    "by_pillar": "series_by_pillar",
    "by_group": "series_by_group",
    "trend": "series_trend",
}
TITLE_FONT = Font(bold=True, size=13)
BOLD = Font(bold=True)


def _word(ds: Dataset, name: str, value, lang: str):
    """A coded value in words for the workbook (the CSV keeps the code): groups, kinds, series, sources."""
    if not isinstance(value, str) or not value:
        return value
    if name == "group":
        return t("people_total", lang) if value == "total_selected" else t(value, lang) if value in TEXT else value
    if name == "kind":
        return t("rate" if value == "implementation_rate" else value, lang)
    if name == "series" and value in SERIES:
        return t(SERIES[value], lang)
    if name == "dataset":
        return t(f"src_{value}", lang)
    if name == "private_donor":
        return t("yes" if value == "true" else "no", lang)
    if name == "operation" and value in ds.operations.index:
        return names.operation_name(ds, value, lang)
    return value


def _xlsx_cell(sheet, row: int, col: int, name: str, value, lang: str) -> None:
    """One table cell: text as text, numbers as numbers with their column's format, dates as dates."""
    cell = sheet.cell(row=row, column=col, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    elif isinstance(value, dt.date):
        cell.number_format = DATE_FORMATS.get(lang, DATE_FORMATS["en"])
    elif isinstance(value, (int, float, Decimal)) and not isinstance(value, bool) and name in NUMBER_FORMATS:
        whole = name != "value" or float(value).is_integer()
        cell.number_format = NUMBER_FORMATS[name] if whole else "General"


def xlsx_bytes(
    ds: Dataset, downloads_by_sheet: Mapping[str, Download], lang: str, titles: Mapping[str, str] | None = None
) -> bytes:
    """A workbook with one sheet per download (keyed by sheet name): a title row (`titles`, by sheet name: the
    view and the selection), source and licence lines, notes, then the table with `lang`'s headers in words;
    a sheet without rows says why; the last sheet gives the code behind every header."""
    book = Workbook()
    if downloads_by_sheet:
        book.remove(book.active)
    taken: set[str] = set()
    codes: list[tuple[str, str, str]] = []
    for name, download in downloads_by_sheet.items():
        sheet = book.create_sheet(sheet_title(name, taken))
        taken.add(sheet.title)
        headers = _download_sheet(sheet, ds, download, (titles or {}).get(name, name), lang)
        codes += [(sheet.title, header, code) for header, code in zip(headers, download.columns, strict=True)]
    if codes:
        _codes_sheet(book.create_sheet(sheet_title(t("sheet_columns", lang), taken)), ds, codes, lang)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _download_sheet(sheet, ds: Dataset, download: Download, title: str, lang: str) -> list[str]:
    """One download's sheet: its heading, the table (or why it has no rows), headers frozen, columns sized.
    Returns the headers in words, for the sheet of codes."""
    lines = [t("source_line", lang, text=line) for line in source_lines(ds, download.source_ids, lang)]
    _heading(sheet, ds, title, [*lines, *download.notes], lang)
    headers = [column(c, lang) for c in download.columns]
    sheet.append(headers)
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = BOLD
        cell.data_type = "s"
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in download.rows:
        _table_row(sheet, ds, download, row, lang)
    if not download.rows:
        _text_cell(sheet, download.empty or t("sheet_no_rows", lang))
        sheet.cell(row=sheet.max_row, column=1).font = BOLD
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    _size_columns(sheet, headers, header_row)
    return headers


def _heading(sheet, ds: Dataset, title: str, lines: list[str], lang: str) -> None:
    """A sheet's first rows: its title, `lines` (sources, notes), the data's version, then a blank row."""
    _text_cell(sheet, title)
    sheet.cell(row=1, column=1).font = TITLE_FONT
    for line in lines:
        _text_cell(sheet, line)
    _text_cell(sheet, data_version("download_version", ds.version, ds.as_of, lang))
    sheet.append([])


def _table_row(sheet, ds: Dataset, download: Download, row: tuple, lang: str) -> None:
    """One row of the table: names in `lang`, codes in words, numbers and dates typed and formatted."""
    r = sheet.max_row + 1
    cells = _localised_row(ds, download, row, lang)
    for col, (code, value) in enumerate(zip(download.columns, cells, strict=True), start=1):
        value = _xlsx_value(_word(ds, code, value, lang))
        value = float(value) if code in PERCENT_COLUMNS and value is not None else value
        _xlsx_cell(sheet, r, col, code, value, lang)


def _size_columns(sheet, headers: list[str], header_row: int) -> None:
    """Each column as wide as its widest value (10 to 60 characters): headers wrap; formatted numbers gain
    separators and their unit."""
    for i in range(1, len(headers) + 1):
        shown = [sheet.cell(row=r, column=i).value for r in range(header_row + 1, sheet.max_row + 1)]
        widest = max([min(len(headers[i - 1]), 24), *(len(str(v)) + 6 for v in shown if v is not None)])
        sheet.column_dimensions[get_column_letter(i)].width = min(max(widest + 2, 10), 60)


def _codes_sheet(sheet, ds: Dataset, codes: list[tuple[str, str, str]], lang: str) -> None:
    """The last sheet: for every header of every sheet, the code a script finds in the CSV."""
    _heading(sheet, ds, t("sheet_columns", lang), [t("sheet_columns_note", lang)], lang)
    sheet.append([t("column_sheet", lang), t("column_header", lang), t("column_code", lang)])
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
    for entry in codes:
        sheet.append(list(entry))
        for cell in sheet[sheet.max_row]:
            cell.data_type = "s"
    for letter, width in zip("ABC", (28, 40, 20), strict=True):
        sheet.column_dimensions[letter].width = width


def _text_cell(sheet, text: str) -> None:
    sheet.append([text])
    sheet.cell(row=sheet.max_row, column=1).data_type = "s"
