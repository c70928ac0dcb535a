"""The submit page: what a submit would do, then one click."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters

from biosample import services, tokens
from biosample.forms import BROKER_REFUSED, SubmitForm
from uid import selectors
from uid.services.tasks import SubmissionStateError


@sensitive_post_parameters("webin_password")
@login_required
def submission_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Preview what goes to BioSamples (new, updated, unchanged; each document, and what
    changed since it was last sent); sign in to Webin when needed; submit."""
    from biosample.client import BioSamplesError

    submission = selectors.submission_get_for_user(user=request.user, pk=pk)
    profile = getattr(request.user, "profile", None)
    initial = {"webin_username": getattr(profile, "webin_username", ""),
               "release_date": submission.release_date}  # fmt: skip
    form = SubmitForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        account = data["webin_username"]
        try:
            if data["webin_password"]:
                tokens.token_obtain(user=request.user, username=account,
                                    password=data["webin_password"])  # fmt: skip
            elif tokens.token_for(user=request.user, account=account) is None:
                if data.get("use_broker"):
                    form.add_error("use_broker", BROKER_REFUSED)
                else:
                    form.add_error("webin_password", "Give the password of this Webin account.")
                raise _Stop
            services.submission_submit_start(
                submission=submission, user=request.user, account=account,
                release=data["release_date"],
            )  # fmt: skip
        except _Stop:
            pass
        except BioSamplesError as exc:
            form.add_error("webin_password" if exc.permanent else None, exc.message)
        except SubmissionStateError as exc:
            messages.error(request, str(exc).capitalize() + ".")
        else:
            messages.info(
                request, "The submission to BioSamples has started; its progress is below."
            )
            return redirect("uid:submission_detail", pk=pk)
    plan = services.submit_plan(submission=submission, release=submission.release_date)
    account = form["webin_username"].value() or ""
    context = {
        "submission": submission,
        "form": form,
        "plan": plan,
        "can_submit": submission.status in services.SUBMIT_FROM and plan.to_send > 0,
        "token_until": tokens.token_valid_until(user=request.user, account=account)
        if account
        else None,
        "busy": selectors.submission_task(submission=submission),
        "stopped": services.submit_stopped(submission=submission),
    }
    return render(request, "biosample/submission_submit.html", context)


class _Stop(Exception):
    """The form has an error to show."""


@sensitive_post_parameters("webin_password")
@login_required
def submission_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw records from BioSamples (chosen on a table's delete page): signed in to
    Webin, at once; else after the sign-in on this page."""
    from biosample.client import BioSamplesError

    submission = selectors.submission_get_for_user(user=request.user, pk=pk)
    if request.method != "POST":
        return redirect("uid:submission_detail", pk=pk)
    kind = "sample" if request.POST.get("kind") == "samples" else "animal"
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    from biosample.models import LinkState, SampleLink

    profile = getattr(request.user, "profile", None)
    # Only the account a record was sent under may change it in BioSamples.
    linked = (
        SampleLink.objects.filter(submission=submission, state=LinkState.CREATED)
        .values_list("webin_account", flat=True)
        .first()
    )
    account = request.POST.get("webin_username") or linked or getattr(profile, "webin_username", "")
    form = SubmitForm(request.POST if "webin_username" in request.POST else None,
                      initial={"webin_username": account})  # fmt: skip
    signed_in = bool(account) and tokens.token_for(user=request.user, account=account)
    try:
        if form.is_bound and form.is_valid() and form.cleaned_data["webin_password"]:
            account = form.cleaned_data["webin_username"]
            tokens.token_obtain(user=request.user, username=account,
                                password=form.cleaned_data["webin_password"])  # fmt: skip
            signed_in = True
        if signed_in:
            services.records_withdraw_start(
                submission=submission, user=request.user, account=account, kind=kind, ids=ids
            )
            messages.info(
                request, "The withdrawal from BioSamples has started; its progress is below."
            )
            return redirect("uid:submission_detail", pk=pk)
    except BioSamplesError as exc:
        form.add_error("webin_password", exc.message)
    except SubmissionStateError as exc:
        messages.error(request, str(exc).capitalize() + ".")
    context = {"submission": submission, "form": form, "kind": kind, "ids": ids}
    return render(request, "biosample/submission_withdraw.html", context)


@login_required
def submission_sync(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Compare with BioSamples now": queue the check the hourly sync makes."""
    from biosample.models import SampleLink

    submission = selectors.submission_get_for_user(user=request.user, pk=pk)
    if request.method == "POST":
        account = (
            SampleLink.objects.filter(submission=submission)
            .values_list("webin_account", flat=True)
            .first()
        )
        try:
            services.submission_sync_start(
                submission=submission, user=request.user, account=account
            )
        except SubmissionStateError as exc:
            messages.error(request, str(exc).capitalize() + ".")
        else:
            messages.info(request, "The comparison with BioSamples has started.")
    return redirect("uid:submission_detail", pk=pk)
