"""Excel exports: a write-only openpyxl workbook fed row by row from an iterator, so memory
stays flat whatever the number of rows. Pure: rows in, bytes out (to a file object)."""

import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A cell starting with one of these would be read as a formula by Excel or LibreOffice.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]
    number_format: str | None = None
    width: int = 18


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
    for index, column in enumerate(columns):
        sheet.column_dimensions[_letter(index)].width = column.width
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=str(column.header))
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    count = 0
    for row in rows:
        cells = []
        for column in columns:
            value = escape_cell(column.value(row))
            if column.number_format and value is not None:
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = column.number_format
                cells.append(cell)
            else:
                cells.append(float(value) if isinstance(value, Decimal) else value)
        sheet.append(cells)
        count += 1
    workbook.save(out)
    return count


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


MONEY_FORMAT = '#,##0.00 "€"'
DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"


def iterate(queryset, chunk_size: int = 2000) -> Iterator:
    """Stream a queryset (server-side cursor on PostgreSQL)."""
    return queryset.iterator(chunk_size=chunk_size)
