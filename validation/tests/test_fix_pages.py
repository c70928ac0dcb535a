"""Mending what the validation found: the submission page lists each message with where it
is mended; a message about a record's value opens a form of the records that have it, one
input each and "set all to", saved in one request."""

import pytest
from django.urls import reverse

from excel.tests.workbooks import pig, sample, simple_workbook
from uid.models import Sample, SubmissionEvent
from uid.tests.test_record_exports import imported
from validation.models import Finding
from validation.tests.test_validate import complete_submitter, validated

pytestmark = pytest.mark.django_db


@pytest.fixture
def straws(alice):
    """Three straws stored as "frozen", which is not an IMAGE storage value."""
    workbook = simple_workbook(
        [pig("boar", Sex="male")],
        [sample(f"straw-{n}", "boar", **{"Sample storage": "frozen"}) for n in range(1, 4)],
    )
    submission = imported(alice, "straws.xlsx", workbook)
    complete_submitter(alice, submission)
    validated(submission, alice)
    return submission


def storage_finding(submission) -> Finding:
    return Finding.objects.get(validation__submission=submission, field="Sample storage",
                               severity="Error")  # fmt: skip


def fix_url(submission, finding) -> str:
    return reverse("uid:submission_finding", args=[submission.pk, finding.number]) + "?kind=samples"


def test_the_submission_page_says_where_each_finding_is_mended(client, alice, straws):
    client.force_login(alice)
    page = client.get(reverse("uid:submission_detail", args=[straws.pk])).content.decode()
    findings = page.split('data-testid="findings"')[1].split("</ul>")[0]
    assert "Sample storage" in findings and "3 samples" in findings
    assert fix_url(straws, storage_finding(straws)).replace("&", "&amp;") in findings


def test_the_form_lists_the_records_with_their_value(client, alice, straws):
    client.force_login(alice)
    page = client.get(fix_url(straws, storage_finding(straws))).content.decode()
    assert page.count('data-testid="fix-row"') == 3
    assert page.count('data-testid="fix-now">frozen</td>') == 3
    assert 'name="all-value"' in page


def test_each_record_gets_its_own_value_in_one_request(client, alice, straws):
    client.force_login(alice)
    ids = dict(Sample.objects.values_list("name", "pk"))
    data = {f"{ids['straw-1']}-value": "frozen, liquid nitrogen",
            f"{ids['straw-2']}-value": "frozen, -80 degrees Celsius freezer",
            f"{ids['straw-3']}-value": "frozen, liquid nitrogen"}  # fmt: skip
    response = client.post(fix_url(straws, storage_finding(straws)), data, follow=True)
    assert "Saved: 3 samples changed. Validate again to check them." in response.content.decode()
    stored = dict(Sample.objects.values_list("name", "storage"))
    assert stored["straw-2"] == "frozen, -80 degrees Celsius freezer"
    assert SubmissionEvent.objects.filter(submission=straws).first().summary == (
        "Corrected Sample storage of 3 samples."
    )


def test_a_refused_value_saves_nothing_and_is_marked(client, alice, straws):
    client.force_login(alice)
    ids = dict(Sample.objects.values_list("name", "pk"))
    data = {f"{ids['straw-1']}-value": "frozen, liquid nitrogen",
            f"{ids['straw-2']}-value": "in the fridge",
            f"{ids['straw-3']}-value": "frozen, liquid nitrogen"}  # fmt: skip
    page = client.post(fix_url(straws, storage_finding(straws)), data).content.decode()
    assert "Nothing is saved" in page and page.count('data-testid="fix-error"') == 1
    assert set(Sample.objects.values_list("storage", flat=True)) == {"frozen"}


def test_set_all_to_mends_every_record_with_the_message(client, alice, straws):
    client.force_login(alice)
    data = {"action": "all", "all-value": "frozen, liquid nitrogen"}
    response = client.post(fix_url(straws, storage_finding(straws)), data, follow=True)
    assert "Set Sample storage on 3 samples." in response.content.decode()
    assert set(Sample.objects.values_list("storage", flat=True)) == {"frozen, liquid nitrogen"}


def test_a_finding_about_the_submitter_points_to_the_profile(client, alice):
    workbook = simple_workbook([pig("boar", Sex="male")], [])
    submission = imported(alice, "boar.xlsx", workbook)
    validated(submission, alice)
    client.force_login(alice)
    page = client.get(reverse("uid:submission_detail", args=[submission.pk])).content.decode()
    line = next(
        item for item in page.split('data-testid="finding"')[1:] if "Person last name" in item
    )
    assert reverse("profile") in line and "in your profile" in line


def test_an_outsider_gets_404(client, outsider, straws):
    client.force_login(outsider)
    url = fix_url(straws, storage_finding(straws))
    assert client.get(url).status_code == 404
    assert (
        client.post(url, {"action": "all", "all-value": "frozen, liquid nitrogen"}).status_code
        == 404
    )
    assert set(Sample.objects.values_list("storage", flat=True)) == {"frozen"}
