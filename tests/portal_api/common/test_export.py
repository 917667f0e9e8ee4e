import io

import pytest
from openpyxl import load_workbook

from portal_api.accounts.factories import SiteFactory
from portal_api.common.export import Column, escape_cell, write_xlsx
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


def test_export_needs_the_right(client, dupond):
    client.force_login(dupond)
    assert client.get("/api/v1/equipment/?format=xlsx").status_code == 403
