"""Forms of the language app: the species a curator's unknown words mean."""

from django import forms

from uid.models import Species


class SpeciesChoiceField(forms.ModelChoiceField):
    """Species by scientific and common name: "Ovis aries (sheep)"."""

    def label_from_instance(self, obj: Species) -> str:
        return f"{obj.label} ({obj.common_name})" if obj.common_name else obj.label


class SpeciesWordForm(forms.Form):
    """One field per unknown word: the species it means."""

    def __init__(self, *args, words: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.words = words
        for index, word in enumerate(words):
            self.fields[f"word_{index}"] = SpeciesChoiceField(
                Species.objects.all(), label=f"“{word}” means"
            )

    def mappings(self) -> list[tuple[str, Species]]:
        return [(word, self.cleaned_data[f"word_{i}"]) for i, word in enumerate(self.words)]
