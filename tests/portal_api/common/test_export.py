import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from portal_api.accounts.factories import SiteFactory
from portal_api.common.export import (
    MAX_WIDTH,
    MIN_WIDTH,
    MONEY_FORMAT,
    WIDTH_SAMPLE_ROWS,
    Column,
    escape_cell,
    write_xlsx,
)
from portal_api.service.factories import EquipmentFactory


@pytest.mark.parametrize("value", ["=1+1", "+33 6 12", "-2", "@SUM(A1)", "\tx"])
def test_formula_like_text_is_escaped(value):
    assert escape_cell(value) == "'" + value


def test_plain_values_are_kept():
    assert escape_cell("Chaudière") == "Chaudière"
    assert escape_cell(-2) == -2


def test_write_xlsx_streams_rows_from_an_iterator():
    out = io.BytesIO()
    rows = ({"n": i, "label": f"=ligne {i}"} for i in range(3))
    count = write_xlsx(columns=[Column("N", lambda r: r["n"]),
                                Column("Libellé", lambda r: r["label"])], rows=rows, out=out)
    assert count == 3
    sheet = load_workbook(io.BytesIO(out.getvalue())).active
    assert [c.value for c in sheet[1]] == ["N", "Libellé"]
    assert sheet["B2"].value == "'=ligne 0"
    assert sheet.max_row == 4


def _sheet(columns, rows):
    out = io.BytesIO()
    count = write_xlsx(columns=columns, rows=iter(rows), out=out)
    return count, load_workbook(io.BytesIO(out.getvalue())).active


def test_the_header_is_frozen_and_filtered_over_every_row():
    count, sheet = _sheet([Column("N", lambda r: r), Column("Carré", lambda r: r * r),
                           Column("Cube", lambda r: r ** 3)], range(WIDTH_SAMPLE_ROWS + 50))
    assert count == WIDTH_SAMPLE_ROWS + 50
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:C{WIDTH_SAMPLE_ROWS + 51}"
    # Rows past the measured sample are written too, in order.
    assert sheet.max_row == WIDTH_SAMPLE_ROWS + 51
    assert sheet[f"C{WIDTH_SAMPLE_ROWS + 51}"].value == (WIDTH_SAMPLE_ROWS + 49) ** 3


def test_an_empty_export_keeps_its_header_filter():
    count, sheet = _sheet([Column("N", lambda r: r), Column("Libellé", lambda r: r)], [])
    assert count == 0
    assert sheet.auto_filter.ref == "A1:B1" and sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == ["N", "Libellé"]


def test_columns_are_as_wide_as_their_content_within_bounds():
    rows = [{"code": "A1", "label": "Chaudière murale à condensation 24 kW",
             "note": "x" * 300, "day": datetime.date(2026, 3, 1),
             "amount": Decimal("1234567.50"), "free": "",
             "multi": "court\nune ligne plus longue"}]
    columns = [Column("Code", lambda r: r["code"]), Column("Désignation", lambda r: r["label"]),
               Column("Note", lambda r: r["note"]), Column("Date", lambda r: r["day"]),
               Column("Montant", lambda r: r["amount"], MONEY_FORMAT),
               Column("Motif", lambda r: r["free"], width=40),
               Column("Texte", lambda r: r["multi"])]
    _, sheet = _sheet(columns, rows)
    width = {letter: sheet.column_dimensions[letter].width for letter in "ABCDEFG"}
    assert width["A"] == MIN_WIDTH  # a short code: the floor
    assert width["B"] == len("Chaudière murale à condensation 24 kW") + 1
    assert width["C"] == MAX_WIDTH  # a long note: the ceiling
    assert width["D"] == len("31/12/2026") + 1
    assert width["E"] == len("1,234,567.50 €") + 1
    assert width["F"] == 40  # an explicit minimum
    assert width["G"] == len("une ligne plus longue") + 1  # the longest line


def test_list_export_keeps_the_filters_and_the_scope(client, martin, dupond_company,
                                                     other_company):
    first, second = SiteFactory(client_account=dupond_company), SiteFactory(
        client_account=dupond_company)
    EquipmentFactory(site=first, serial_number="=HYPERLINK()")
    EquipmentFactory(site=second, serial_number="SN-B")
    EquipmentFactory(site=SiteFactory(client_account=other_company), serial_number="SN-OTHER")
    client.force_login(martin)
    response = client.get(f"/api/v1/equipment/?format=xlsx&site={first.pk}")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="equipements-')
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    serials = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert serials == ["'=HYPERLINK()"]
    # Ready to read: frozen header, filter over the rows, widths from the content.
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}2"
    assert all(MIN_WIDTH <= sheet.column_dimensions[cell.column_letter].width <= MAX_WIDTH
               for cell in sheet[1])


def test_export_needs_the_right(client, dupond):
    client.force_login(dupond)
    assert client.get("/api/v1/equipment/?format=xlsx").status_code == 403
