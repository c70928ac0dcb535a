"""The submit page: what a submit would do, then one click."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from biosample import services, sync, tokens
from biosample.forms import BROKER_REFUSED, PullForm, SubmitForm, WebinSignInForm
from uid import selectors
from uid.services.tasks import SubmissionStateError, task_percent


def _account_expected(submission, user) -> str:
    """The Webin account a submit goes under by default: the one its records already in
    BioSamples were sent under (only it may change them), else the profile's, else the
    one the curator last signed in to."""
    from biosample.models import SampleLink, StoredToken

    linked = (
        SampleLink.objects.filter(submission=submission)
        .order_by(F("last_sent").desc(nulls_last=True))
        .values_list("webin_account", flat=True)
        .first()
    )
    profile = getattr(user, "profile", None)
    last = (
        StoredToken.objects.filter(user=user)
        .order_by("-expires_at")
        .values_list("webin_account", flat=True)
        .first()
    )
    return linked or getattr(profile, "webin_username", "") or last or ""


@sensitive_post_parameters("webin_password")
@login_required
def submission_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Preview what goes to BioSamples (new, updated, unchanged; each document, and what
    changed since it was last sent); sign in to Webin when needed; submit."""
    from biosample.client import BioSamplesError

    submission = selectors.submission_get_for_user(user=request.user, pk=pk)
    broker = tokens.broker_account()
    account = _account_expected(submission, request.user)
    initial = {"webin_username": account if account != broker else "",
               "use_broker": bool(broker) and account == broker,
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
    """The submission's BioSamples page: its records there by what the last comparison
    saw, the Webin account's orphans (adopt, withdraw), the pull form. POST: "Compare
    with BioSamples now" (the check the hourly sync makes)."""
    submission = selectors.submission_get_for_user(user=request.user, pk=pk)
    if request.method == "POST":
        account = sync.sync_account(submission=submission, user=request.user)
        try:
            sync.submission_sync_start(submission=submission, user=request.user, account=account)
        except SubmissionStateError as exc:
            messages.error(request, _sentence(exc))
        else:
            messages.info(request, "The comparison with BioSamples has started: below is how far.")
        return redirect("biosample:submission_sync", pk=pk)
    return _sync_page(request, submission)


def _sentence(exc: Exception) -> str:
    """A service's message as a sentence ("sign in to Webin first" → "Sign in to Webin first.")."""
    text = str(exc)
    return text[:1].upper() + text[1:] + "."


def _sync_page(request: HttpRequest, submission, **forms) -> HttpResponse:
    from uid.models import Submission

    report = sync.sync_report(submission=submission, user=request.user)
    busy = selectors.submission_task(submission=submission)
    context = {
        "submission": submission,
        **report,
        "busy": busy if busy is not None and busy.is_active else None,
        "busy_percent": task_percent(busy) if busy is not None else None,
        "pull_form": forms.get("pull_form") or PullForm(),
        "signin_form": forms.get("signin_form")
        or WebinSignInForm(initial={"webin_username": report["account"]}),
        "targets": Submission.objects.present().filter(owner=request.user).only("pk", "title"),
    }
    return render(request, "biosample/submission_sync.html", context)


@login_required
@require_POST
def submission_sync_signin(request: HttpRequest, pk: int) -> HttpResponse:
    """Sign in to Webin from the BioSamples page (the token is kept until it expires)."""
    from biosample.client import BioSamplesError

    submission = selectors.submission_get_for_user(user=request.user, pk=pk)
    form = WebinSignInForm(request.POST)
    if form.is_valid():
        account = form.cleaned_data["webin_username"]
        try:
            token = tokens.token_obtain(user=request.user, username=account,
                                        password=form.cleaned_data["webin_password"])  # fmt: skip
        except BioSamplesError as exc:
            form.add_error("webin_password" if exc.permanent else None, exc.message)
        else:
            until = tokens.token_valid_until(user=request.user, account=token.principle)
            messages.success(request, f"Signed in to Webin as {account}"
                             + (f" until {until:%H:%M}." if until else "."))  # fmt: skip
            return redirect("biosample:submission_sync", pk=pk)
    return _sync_page(request, submission, signin_form=form)


@login_required
@require_POST
def submission_pull(request: HttpRequest, pk: int) -> HttpResponse:
    """Pull BioSamples records into the submission by accession (a task)."""
    submission = selectors.submission_get_for_user(user=request.user, pk=pk)
    form = PullForm(request.POST)
    if form.is_valid():
        account = sync.sync_account(submission=submission, user=request.user)
        try:
            sync.pull_start(submission=submission, user=request.user, account=account,
                            accessions=form.cleaned_data["accessions"])  # fmt: skip
        except SubmissionStateError as exc:
            form.add_error(None, _sentence(exc))
        else:
            messages.info(request, "The pull from BioSamples has started: below is how far.")
            return redirect("biosample:submission_sync", pk=pk)
    return _sync_page(request, submission, pull_form=form)


def _orphans_get_for_user(request: HttpRequest) -> list:
    """The user's orphans the form names, or 404: an outsider must not learn of any."""
    from biosample.models import Orphan

    ids = {int(i) for i in request.POST.getlist("orphans") if i.isdigit()}
    found = list(Orphan.objects.filter(owner=request.user, pk__in=ids))
    if not ids or len(found) != len(ids):
        raise Http404("No such sample")
    return found


@login_required
@require_POST
def orphans_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    """Adopt orphans into one of the user's submissions (``into``; this one by default):
    a task on that submission, whose BioSamples page then shows how far it is."""
    selectors.submission_get_for_user(user=request.user, pk=pk)
    orphans = _orphans_get_for_user(request)
    into = request.POST.get("into") or str(pk)
    if not into.isdigit():
        raise Http404("No such submission")
    target = selectors.submission_get_for_user(user=request.user, pk=int(into))
    try:
        sync.orphans_adopt_start(submission=target, user=request.user, orphans=orphans)
    except SubmissionStateError as exc:
        messages.error(request, f"Not adopted into “{target.title}”: {exc}.")
        return redirect("biosample:submission_sync", pk=pk)
    n = len(orphans)
    messages.info(request, f"The adoption of {n:,} sample{'s' if n != 1 else ''} into this "
                           "submission has started: below is how far.")  # fmt: skip
    return redirect("biosample:submission_sync", pk=target.pk)


@login_required
@require_POST
def orphans_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw orphans from BioSamples (each made private there): a task on this
    submission."""
    submission = selectors.submission_get_for_user(user=request.user, pk=pk)
    orphans = _orphans_get_for_user(request)
    try:
        sync.orphans_withdraw_start(submission=submission, user=request.user, orphans=orphans)
    except SubmissionStateError as exc:
        messages.error(request, _sentence(exc))
    else:
        messages.info(request, "The withdrawal from BioSamples has started: below is how far.")
    return redirect("biosample:submission_sync", pk=pk)
