"""Pages of accounts beyond allauth's: the profile and the terms of use."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accounts import forms, services


@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    profile = services.profile_get_or_create(user=request.user)
    form = forms.ProfileForm(request.POST or None, user=request.user, profile=profile)
    if request.method == "POST" and form.is_valid():
        services.profile_update(user=request.user, **form.cleaned_data)
        messages.success(request, "Your profile was saved.")
        return redirect("profile")
    return render(request, "accounts/profile.html", {"form": form, "profile": profile})


def terms(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/terms.html")
