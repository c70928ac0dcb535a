"""A curator adds their organisation from the profile; staff merge duplicates in admin."""

import pytest
from django.urls import reverse

from uid.models import Country, Organisation, Role
from uid.services.dictionaries import dictionaries_seed
from uid.tests.factories import OrganisationFactory, SubmissionFactory

pytestmark = pytest.mark.django_db


def test_a_curator_adds_their_organisation_and_it_is_their_affiliation(client, alice):
    dictionaries_seed()
    client.force_login(alice)
    assert "Add it" in client.get(reverse("profile")).content.decode()
    data = {
        "name": "  INRAE   CRB-Anim ", "address": "Domaine de Vilvert, Jouy-en-Josas",
        "country": Country.objects.get(label="France").pk, "role": Role.objects.first().pk,
        "uri": "crb-anim.fr",
    }  # fmt: skip

    response = client.post(reverse("organisation_add"), data, follow=True)

    assert "“INRAE CRB-Anim” is added and is now your affiliation." in response.content.decode()
    organisation = Organisation.objects.get()
    assert (organisation.name, organisation.uri) == ("INRAE CRB-Anim", "https://crb-anim.fr")
    alice.profile.refresh_from_db()
    assert alice.profile.affiliation == organisation
    # The upload form offers it, and starts with it.
    form = client.get(reverse("uid:submission_create")).context["form"]
    assert organisation in form.fields["organisation"].queryset
    assert form["organisation"].value() == organisation.pk


def test_a_name_in_the_list_in_other_letters_is_refused_naming_it(client, alice):
    OrganisationFactory(name="Roslin Institute")
    client.force_login(alice)

    response = client.post(reverse("organisation_add"), {"name": "ROSLIN institute"})

    assert response.status_code == 200
    assert "“Roslin Institute” is in the list already" in response.content.decode()
    assert Organisation.objects.count() == 1


def test_staff_merge_duplicates_and_every_reference_follows(admin_client, alice, outsider):
    from accounts.services import profile_get_or_create

    kept = OrganisationFactory(name="Roslin Institute")
    duplicate = OrganisationFactory(name="The Roslin Institute")
    other = OrganisationFactory(name="INRAE")
    profile = profile_get_or_create(user=outsider)
    profile.affiliation = duplicate
    profile.save()
    submission = SubmissionFactory(owner=alice, organisation=duplicate)

    response = admin_client.post(
        reverse("admin:uid_organisation_changelist"),
        {"action": "merge", "_selected_action": [kept.pk, duplicate.pk]},
        follow=True,
    )

    assert "Merged 1 organisation(s) into “Roslin Institute”" in response.content.decode()
    assert set(Organisation.objects.values_list("name", flat=True)) == {
        "Roslin Institute", other.name
    }  # fmt: skip
    profile.refresh_from_db()
    submission.refresh_from_db()
    assert profile.affiliation == kept and submission.organisation == kept


@pytest.mark.attack
def test_a_curator_cannot_reach_the_merge(client, alice):
    first, second = OrganisationFactory(), OrganisationFactory()
    client.force_login(alice)
    response = client.post(
        reverse("admin:uid_organisation_changelist"),
        {"action": "merge", "_selected_action": [first.pk, second.pk]},
    )
    assert response.status_code in (302, 403)
    assert Organisation.objects.count() == 2
