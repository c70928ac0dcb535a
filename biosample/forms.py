from django import forms

WEBIN_INVALID = "A Webin account is written Webin- and its number, e.g. Webin-12345."


class SubmitForm(forms.Form):
    """Submit to BioSamples: under which Webin account (its password once, when no kept
    token serves), public from when."""

    webin_username = forms.RegexField(
        regex=r"^Webin-[0-9]+$", label="Webin account",
        error_messages={"invalid": WEBIN_INVALID},
    )  # fmt: skip
    webin_password = forms.CharField(
        required=False, label="Webin password", strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Used once, to sign in to Webin; never kept.",
    )  # fmt: skip
    release_date = forms.DateField(
        required=False, label="Public from",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The records stay private in BioSamples until this day (empty: the "
        "submission's date, or at once).",
    )  # fmt: skip
