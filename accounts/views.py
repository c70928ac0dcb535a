"""Pages of accounts beyond allauth's: the profile and the terms of use."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts import forms, services, tokens


@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    profile = services.profile_get_or_create(user=request.user)
    form = forms.ProfileForm(request.POST or None, user=request.user, profile=profile)
    if request.method == "POST" and form.is_valid():
        services.profile_update(user=request.user, **form.cleaned_data)
        messages.success(request, "Your profile was saved.")
        return redirect("profile")
    context = {
        "form": form,
        "profile": profile,
        "tokens": tokens.tokens_for_user(user=request.user),
        "organisation_form": forms.OrganisationForm(),
    }
    return render(request, "accounts/profile.html", context)


@login_required
def organisation_add(request: HttpRequest) -> HttpResponse:
    """Add the curator's organisation to the shared list; it becomes their affiliation."""
    form = forms.OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request, f"“{organisation.name}” is added and is now your affiliation."
            )
            return redirect("profile")
    return render(request, "accounts/organisation_add.html", {"form": form})


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of the user's API tokens; anyone else's is not found."""
    if not tokens.token_revoke(user=request.user, pk=pk):
        raise Http404("no such token")
    messages.success(request, "The token is revoked: whatever used it must log in again.")
    return redirect("profile")


def terms(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/terms.html")
