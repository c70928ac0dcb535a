from django import forms

from biosample.tokens import broker_account

WEBIN_INVALID = "A Webin account is written Webin- and its number, e.g. Webin-12345."
BROKER_REFUSED = (
    "Webin did not accept the shared account's password: tell your administrator, or "
    "submit under a Webin account of your own."
)


class SubmitForm(forms.Form):
    """Submit to BioSamples: under which Webin account (its password once, when no kept
    token serves; or the broker account the admin enabled), public from when."""

    use_broker = forms.BooleanField(required=False)
    webin_username = forms.RegexField(
        regex=r"^Webin-[0-9]+$", label="Webin account", required=False,
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

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.broker = broker_account()
        if self.broker:
            self.fields["use_broker"].label = (
                f"Submit under the genebank network's shared Webin account ({self.broker}), "
                "set up by your administrator: no Webin account of your own needed"
            )
        else:
            del self.fields["use_broker"]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("use_broker"):
            data["webin_username"] = self.broker
            data["webin_password"] = ""  # the server signs in for the broker account
        elif not data.get("webin_username") and "webin_username" not in self.errors:
            self.add_error("webin_username", "Give your Webin account, e.g. Webin-12345.")
        return data

    @property
    def account(self) -> str:
        """The account chosen (valid form)."""
        return self.cleaned_data["webin_username"]


class WebinSignInForm(forms.Form):
    """Sign in to Webin on the BioSamples page: the password once, exchanged for a token
    that is kept (encrypted) until it expires."""

    webin_username = forms.RegexField(
        regex=r"^Webin-[0-9]+$", label="Webin account",
        error_messages={"invalid": WEBIN_INVALID},
    )  # fmt: skip
    webin_password = forms.CharField(
        label="Webin password", strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Used once, to sign in to Webin; never kept.",
    )  # fmt: skip


class PullForm(forms.Form):
    """BioSamples accessions to pull into a submission."""

    accessions = forms.CharField(
        label="BioSamples accessions",
        widget=forms.Textarea(attrs={"rows": 5, "placeholder": "SAMEA7654321\nSAMEA7654322"}),
        help_text="One a line, or separated by commas.",
    )

    def clean_accessions(self) -> list[str]:
        from biosample.sync import PULL_MAX, accessions_parse

        found, wrong = accessions_parse(self.cleaned_data["accessions"])
        if wrong:
            shown = ", ".join(f"“{word}”" for word in wrong[:10])
            more = f" and {len(wrong) - 10:,} more" if len(wrong) > 10 else ""
            raise forms.ValidationError(
                f"Not accessions: {shown}{more}. A BioSamples accession is SAMEA, SAMN or SAMD "
                "followed by digits, e.g. SAMEA7654321."
            )
        if not found:
            raise forms.ValidationError("Give at least one BioSamples accession.")
        if len(found) > PULL_MAX:
            raise forms.ValidationError(
                f"At most {PULL_MAX:,} accessions at once: this list has {len(found):,}."
            )
        return found
