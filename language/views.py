"""Pages of the language app: mapping the unknown species words of a failed import."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from language import forms, services
from uid import selectors
from uid.models import TaskState
from uid.selectors import submission_task
from uid.services.submissions import SubmissionStateError, submission_retry


@login_required
def species_words(request: HttpRequest, pk: int) -> HttpResponse:
    """Map the unknown species words of a failed import, then retry it in one click."""
    submission = selectors.submission_get_for_user(user=request.user, pk=pk)
    last = submission_task(submission=submission)
    words = last.result.get("unknown_species_words", []) if last is not None else []
    country_language = getattr(submission.gene_bank_country, "language", None)
    language = country_language.language if country_language else "en"
    form = forms.SpeciesWordForm(request.POST or None, words=words)
    if request.method == "POST" and form.is_valid():
        for word, species in form.mappings():
            try:
                services.species_word_create(
                    word=word, language=language, species=species, user=request.user
                )
            except ValidationError as error:
                # Mapped meanwhile (another curator, another tab): say so, keep the rest.
                form.add_error(None, "; ".join(error.messages))
        if form.errors:
            return render(
                request,
                "language/species_words.html",
                {"submission": submission, "form": form, "language": language},
            )
        if last is not None and last.state == TaskState.FAILED and last.retryable:
            try:
                submission_retry(submission=submission, user=request.user)
            except SubmissionStateError as error:
                messages.error(request, str(error))
            else:
                messages.info(request, "The words are saved and the import was queued again.")
        return redirect("uid:submission_detail", pk=pk)
    return render(
        request,
        "language/species_words.html",
        {"submission": submission, "form": form, "language": language},
    )
