"""Excel exports: a write-only openpyxl workbook fed row by row from an iterator, so memory
stays flat whatever the number of rows. Pure: rows in, bytes out (to a file object).

Each sheet is ready to read: the header row is frozen, an autofilter covers the data and
each column is as wide as its header and its first rows ask (within bounds)."""

import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A cell starting with one of these would be read as a formula by Excel or LibreOffice.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


# A write-only sheet writes its column widths before its first row: they are measured on the
# header and this many rows, held in memory meanwhile.
WIDTH_SAMPLE_ROWS = 200
MIN_WIDTH, MAX_WIDTH = 8, 60
# Room for the autofilter's drop-down button beside the header text.
FILTER_BUTTON_WIDTH = 3


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]
    number_format: str | None = None
    # At least this wide (characters); otherwise as wide as the content.
    width: int | None = None


def escape_cell(value: Any) -> Any:
    """Text that looks like a formula is prefixed with a quote so it stays text; the control
    characters a worksheet cannot hold (openpyxl refuses the whole file) are dropped."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if value.startswith(FORMULA_TRIGGERS):
            return "'" + value
        return value
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        from django.utils import timezone

        return timezone.localtime(value).replace(tzinfo=None)
    return value


def write_xlsx(*, columns: list[Column], rows: Iterable[Any], out: IO[bytes],
               title: str = "Export") -> int:
    """Write the rows to `out` as an .xlsx; returns how many rows were written."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    rows = iter(rows)
    sample = [[escape_cell(column.value(row)) for column in columns]
              for row in islice(rows, WIDTH_SAMPLE_ROWS)]
    for index, column in enumerate(columns):
        sheet.column_dimensions[_letter(index)].width = column_width(
            column, (values[index] for values in sample))
    sheet.freeze_panes = "A2"  # the header stays in view while scrolling
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=str(column.header))
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    count = 0
    for values in sample:
        sheet.append(_cells(sheet, columns, values))
        count += 1
    for row in rows:
        sheet.append(_cells(sheet, columns,
                            [escape_cell(column.value(row)) for column in columns]))
        count += 1
    # The filter covers the header and every row (written after the rows: the count is known).
    sheet.auto_filter.ref = f"A1:{_letter(len(columns) - 1)}{count + 1}"
    workbook.save(out)
    return count


def _cells(sheet, columns: list[Column], values: list[Any]) -> list[Any]:
    cells = []
    for column, value in zip(columns, values, strict=True):
        if column.number_format and value is not None:
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = column.number_format
            cells.append(cell)
        else:
            cells.append(float(value) if isinstance(value, Decimal) else value)
    return cells


def column_width(column: Column, values: Iterable[Any]) -> int:
    """The column's width in characters: its header (with the filter button) or its widest
    value, at least `column.width`, within MIN_WIDTH and MAX_WIDTH."""
    widest = max((display_width(value, column.number_format) for value in values), default=0)
    width = max(len(str(column.header)) + FILTER_BUTTON_WIDTH, widest + 1, column.width or 0)
    return min(max(width, MIN_WIDTH), MAX_WIDTH)


def display_width(value: Any, number_format: str | None = None) -> int:
    """About how many characters the value takes once shown in the sheet."""
    if value is None:
        return 0
    if isinstance(value, datetime.datetime):
        return len("31/12/2026 23:59")
    if isinstance(value, datetime.date):
        return len("31/12/2026")
    if isinstance(value, bool):
        return 4
    if isinstance(value, int | float | Decimal):
        if number_format == MONEY_FORMAT:
            return len(f"{value:,.2f} €")
        return len(str(value))
    return max((len(line) for line in str(value).splitlines()), default=0)


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


MONEY_FORMAT = '#,##0.00 "€"'
DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"


def iterate(queryset, chunk_size: int = 2000) -> Iterator:
    """Stream a queryset (server-side cursor on PostgreSQL)."""
    return queryset.iterator(chunk_size=chunk_size)
