"""excel.views.template_download: the empty IMAGE template, for logged-in users."""

import io

import openpyxl
import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = "excel:template_download"


def test_it_serves_the_template_as_an_xlsx_attachment(client, alice):
    client.force_login(alice)

    response = client.get(reverse(URL))

    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == 'attachment; filename="IMAGE_template.xlsx"'
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[:3] == ["breed", "animal", "sample"]
    assert workbook["animal"]["A1"].value == "Animal id in data source"


def test_it_sends_anonymous_users_to_log_in(client):
    response = client.get(reverse(URL))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))
    assert "next=" in response["Location"]


def test_it_refuses_post(client, alice):
    client.force_login(alice)

    assert client.post(reverse(URL)).status_code == 405
