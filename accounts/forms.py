from django import forms

from accounts import services
from uid.models import Organisation, Role


class ProfileFields(forms.Form):
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    initials = forms.CharField(max_length=16, required=False)
    affiliation = forms.ModelChoiceField(
        Organisation.objects.all(), required=False, help_text="Your organisation, as BioSamples will show it."
    )
    role = forms.ModelChoiceField(Role.objects.all(), required=False, help_text="Your role in the submission.")


class SignupForm(ProfileFields):
    """Extra fields of allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    accept_terms = forms.BooleanField(
        required=True,
        label="I accept the terms of use",
        help_text="Records you submit become public in BioSamples after their release date.",
    )

    def signup(self, request, user) -> None:
        services.profile_update(user=user, **self.cleaned_data)


class ProfileForm(ProfileFields):
    def __init__(self, *args, user, profile, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "first_name": user.first_name,
                "last_name": user.last_name,
                "initials": profile.initials,
                "affiliation": profile.affiliation,
                "role": profile.role,
            },
        )
        super().__init__(*args, **kwargs)
