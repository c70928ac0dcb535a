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
