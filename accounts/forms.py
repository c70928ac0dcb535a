"""Forms of accounts: the extra sign-up fields (allauth) and the profile."""

from django import forms
from django.urls import reverse
from django.utils.html import format_html

from accounts import services
from accounts.models import Profile
from uid.models import Country, Organisation, Role


class ProfileFields(forms.Form):
    """What IMAGE asks of a submitter: names, initials, affiliation and role."""

    first_name = forms.CharField(max_length=150, label="First name")
    last_name = forms.CharField(max_length=150, label="Last name")
    initials = forms.CharField(
        max_length=16,
        required=False,
        help_text="As they go with your name, e.g. “J. A.”.",
    )
    affiliation = forms.ModelChoiceField(
        Organisation.objects.all(),
        required=False,
        empty_label="— none of these —",
        help_text="Your organisation, as BioSamples will show it. "
        "Missing from the list? Add it below.",
    )
    role = forms.ModelChoiceField(
        Role.objects.all(),
        required=False,
        empty_label="— choose your role —",
        help_text="Your role in the submissions you make (IMAGE's submitter role).",
    )


class SignupForm(ProfileFields):
    """Extra fields of allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    # allauth honours it: the account first, then the person, then the terms.
    field_order = [
        "username",
        "email",
        "password1",
        "password2",
        "first_name",
        "last_name",
        "initials",
        "affiliation",
        "role",
        "accept_terms",
    ]

    accept_terms = forms.BooleanField(
        required=True,
        label="I accept the terms of use",
        error_messages={"required": "You can only sign up if you accept the terms of use."},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Built here, not at import time: reverse() needs the URLconf loaded.
        self.fields["accept_terms"].help_text = format_html(
            'Read the <a href="{}" target="_blank" rel="noopener">terms of use</a>: records '
            "you submit become public in BioSamples after their release date.",
            reverse("terms"),
        )

    def signup(self, request, user) -> None:
        """Called by allauth once the user exists: store the profile and the terms' acceptance."""
        services.profile_update(
            user=user,
            first_name=self.cleaned_data["first_name"],
            last_name=self.cleaned_data["last_name"],
            initials=self.cleaned_data["initials"],
            affiliation=self.cleaned_data["affiliation"],
            role=self.cleaned_data["role"],
            accept_terms=self.cleaned_data["accept_terms"],
        )


class ProfileForm(ProfileFields):
    """The profile page: starts from the user's names and their profile."""

    webin_username = forms.RegexField(
        regex=r"^Webin-[0-9]+$",
        required=False,
        label="Webin account",
        help_text="The ENA Webin account your records go to BioSamples under, e.g. Webin-12345. "
        "Its password is asked for when you submit, used once and never kept.",
        error_messages={
            "invalid": "A Webin account is written Webin- and its number, e.g. Webin-12345."
        },
    )

    def __init__(self, *args, user, profile: Profile, **kwargs) -> None:
        kwargs.setdefault(
            "initial",
            {
                "first_name": user.first_name,
                "last_name": user.last_name,
                "initials": profile.initials,
                "affiliation": profile.affiliation,
                "role": profile.role,
                "webin_username": profile.webin_username,
            },
        )
        super().__init__(*args, **kwargs)


class OrganisationForm(forms.Form):
    """A curator's organisation, when it is not in the list yet (IMAGE's Organization *)."""

    name = forms.CharField(max_length=255, label="Organisation name")
    address = forms.CharField(max_length=255, required=False, label="Address")
    country = forms.ModelChoiceField(
        Country.objects.all(), required=False, empty_label="— choose —", label="Country"
    )
    role = forms.ModelChoiceField(
        Role.objects.all(), required=False, empty_label="— choose —", label="Its role",
        help_text="e.g. submitter, biobank",
    )  # fmt: skip
    uri = forms.URLField(required=False, assume_scheme="https", label="Web address")
