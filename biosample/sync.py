"""Keeping InjectTool and BioSamples in step: what a sync finds, and what a curator does
about it.

A sync is a task of kind SYNC on a submission (hourly from beat, or "Compare with
BioSamples now" on its BioSamples page), run with the curator's kept Webin token:

- each of the submission's records in BioSamples is read back and compared with what was
  last sent: as sent, changed there (drift: a curation, say), or lost (BioSamples no
  longer gives it, or it is not the account's);
- the Webin account's samples are paged through (the server's ``webinId:`` filter, cursor
  paging); each one that no record of this environment links to is an orphan
  (``biosample.Orphan``), kept for the curator whose token found it; those no longer
  there, or linked since, are forgotten.

The same task kind, by ``params["action"]``, does what the BioSamples page offers:

- ``"pull"``: fetch BioSamples records by accession (orphans chosen on the page, or a
  list pasted into the pull form) and adopt each into the submission (biosample.adopt);
  every accession that is not adopted says why;
- ``"withdraw_orphans"``: make orphans private (release in 2100), as a withdrawal does.
"""

from __future__ import annotations

import re

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from biosample import adopt
from biosample.models import LinkState, Orphan, RemoteStatus, SampleLink, StoredToken
from uid.models import Submission, Task, TaskKind
from uid.services.tasks import (
    SubmissionStateError,
    TaskFailed,
    TaskRun,
    format_count,
    task_queue,
    task_runner_register,
)
from validation.registry import ACCESSION_RE

PULL = "pull"
WITHDRAW_ORPHANS = "withdraw_orphans"
# Accessions a pull takes at once: a longer list is split by the curator.
PULL_MAX = 10_000
# Drifted records whose changes a comparison keeps for the page (the counts are all).
_CHANGES_KEPT = 200
# Not-adopted accessions a pull's message names (the page lists them all).
_NAMED = 5


def _environment() -> str:
    from biosample.services import environment

    return environment()


def sync_account(*, submission: Submission, user) -> str:
    """The Webin account a submission's sync speaks for: its records' in BioSamples, else
    the one on the curator's profile, else the one they last signed in to ("" if none)."""
    account = (
        SampleLink.objects.filter(submission=submission, environment=_environment())
        .values_list("webin_account", flat=True)
        .first()
    )
    if account:
        return account
    profile = getattr(user, "profile", None)
    if profile is not None and profile.webin_username:
        return profile.webin_username
    signed_in = StoredToken.objects.filter(user=user, expires_at__gt=timezone.now())
    return signed_in.order_by("-expires_at").values_list("webin_account", flat=True).first() or ""


def _token(*, user, account: str) -> str:
    from biosample.tokens import token_for

    if not account:
        raise SubmissionStateError("sign in to Webin first: say which Webin account")
    token = token_for(user=user, account=account)
    if token is None:
        raise SubmissionStateError("sign in to Webin first: your token has expired")
    return token


# --- Compare ----------------------------------------------------------------------------------


def submission_sync_start(*, submission: Submission, user, account: str, orphans: bool = True):
    """Queue a check of the submission's records against their BioSamples copies and,
    with ``orphans``, a look for the account's samples no record links to.
    SubmissionStateError without a kept Webin token, SubmissionBusy while a task works."""
    _token(user=user, account=account)
    return task_queue(
        submission=submission, kind=TaskKind.SYNC, user=user,
        params={"account": account, "orphans": orphans},
        message="Waiting for a worker to compare the records with BioSamples.",
    )  # fmt: skip


def submissions_sync_due() -> int:
    """Beat's hourly sync: queue a check of every submission with records in BioSamples
    whose owner's Webin token still serves (a private sample is read with it only). The
    account's orphans are looked for once per owner and account, not once per submission."""
    from biosample.tokens import token_for
    from uid.services.tasks import SubmissionBusy

    queued = 0
    environment = _environment()
    scanned: set[tuple[int, str]] = set()
    linked = SampleLink.objects.filter(environment=environment).values("submission_id")
    for submission in Submission.objects.present().filter(pk__in=linked).select_related("owner"):
        account = (
            SampleLink.objects.filter(submission=submission, environment=environment)
            .values_list("webin_account", flat=True)
            .first()
        )
        if token_for(user=submission.owner, account=account) is None:
            continue
        key = (submission.owner_id, account)
        try:
            submission_sync_start(submission=submission, user=submission.owner,
                                  account=account, orphans=key not in scanned)  # fmt: skip
        except SubmissionBusy:
            continue
        scanned.add(key)
        queued += 1
    return queued


def sync_run(run: TaskRun) -> None:
    """The SYNC task: a comparison, or (by ``params["action"]``) a pull or a withdrawal
    of orphans."""
    action = run.task.params.get("action")
    if action == PULL:
        _pull_run(run)
    elif action == WITHDRAW_ORPHANS:
        _orphans_withdraw_run(run)
    else:
        _compare_run(run)


def _task_token(task: Task) -> str:
    from biosample.services import _expired_message
    from biosample.tokens import token_for

    token = token_for(user=task.created_by, account=task.params["account"])
    if token is None:
        raise TaskFailed(_expired_message(0), retryable=True)
    return token


def _unanswered(exc, done: int, what: str) -> TaskFailed:
    """The task's failure when BioSamples stops answering (or the token expires)."""
    if exc.token_expired:
        return TaskFailed(
            f"The Webin token expired after {format_count(done)} records. Sign in to Webin "
            f"again, then {what} again.", retryable=True,
        )  # fmt: skip
    return TaskFailed(
        f"BioSamples did not answer ({exc.message}) after {format_count(done)} records; "
        f"{what} again.", retryable=True,
    )  # fmt: skip


def _compare_run(run: TaskRun) -> None:
    """Compare each record's BioSamples copy with what we last sent: the same, changed
    there (drift: curated, say) or lost (missing, or not ours any more); then look for
    the account's orphans."""
    from biosample.client import BioSamplesClient, BioSamplesError
    from biosample.services import _changes

    task = run.task
    account = task.params["account"]
    token = _task_token(task)
    links = list(
        SampleLink.objects.filter(
            submission_id=task.submission_id, environment=_environment(),
            state__in=(LinkState.CREATED, LinkState.WITHDRAWN),
        )
    )  # fmt: skip
    counts = {RemoteStatus.SAME: 0, RemoteStatus.DRIFT: 0, RemoteStatus.LOST: 0}
    changes: dict[str, list[dict]] = {}
    total = len(links)
    with BioSamplesClient(token=token) as client:
        for done, link in enumerate(links, start=1):
            try:
                remote = client.sample_get(link.accession)
            except BioSamplesError as exc:
                if exc.token_expired or not exc.permanent:
                    raise _unanswered(exc, done - 1, "compare") from None
                remote = None  # refused: not ours any more
            status = _compared(link, remote)
            counts[status] += 1
            if status == RemoteStatus.DRIFT and len(changes) < _CHANGES_KEPT:
                there = adopt.outgoing_form(remote)
                changes[str(link.pk)] = [
                    change for change in _changes(link.payload, there)
                    if change["field"] not in ("release", "relationships")
                ]  # fmt: skip
            SampleLink.objects.filter(pk=link.pk).update(
                remote_status=status,
                remote_updated=adopt.instant_parse(remote.get("update")) if remote else None,
            )
            text = f"Comparing with BioSamples: {format_count(done)} of {format_count(total)}"
            run.progress("check", done, total, text)
        orphans = None
        # The broker account holds every curator's samples: what no record links to there
        # is no one curator's to see, adopt or withdraw, but the admins'.
        if task.params.get("orphans", True) and _may_see_orphans(task.created_by, account):
            try:
                orphans = _orphans_scan(run, client, user=task.created_by, account=account)
            except BioSamplesError as exc:
                raise _unanswered(exc, total, "compare") from None
    if total:
        message = (
            f"Compared {format_count(total)} records with BioSamples: "
            f"{format_count(counts[RemoteStatus.SAME])} as sent, "
            f"{format_count(counts[RemoteStatus.DRIFT])} changed there, "
            f"{format_count(counts[RemoteStatus.LOST])} missing or not yours."
        )
    else:
        message = "No record of this submission is in BioSamples yet: nothing to compare."
    if orphans is not None:
        message += (
            f" Orphans: {format_count(orphans)} sample{'s' if orphans != 1 else ''} of "
            f"{account} that no InjectTool record links to."
        )
    result = {str(k): v for k, v in counts.items()}
    result.update(orphans=orphans, account=account, changes=changes)
    run.succeed(message, result=result)


def _compared(link: SampleLink, remote: dict | None) -> str:
    if remote is None:
        return RemoteStatus.LOST
    if remote.get("webinSubmissionAccountId") not in (None, link.webin_account):
        return RemoteStatus.LOST  # public, but another account's now
    sent = link.payload.get("characteristics", {})
    there = remote.get("characteristics", {})

    def texts(chars: dict) -> dict:
        return {name: [v.get("text") for v in values] for name, values in chars.items()}

    # BioSamples may add characteristics of its own; what we sent must be there as sent.
    theirs = texts(there)
    changed = any(theirs.get(name) != values for name, values in texts(sent).items())
    return RemoteStatus.DRIFT if changed else RemoteStatus.SAME


# --- Orphans ----------------------------------------------------------------------------------


def _snapshot(remote: dict) -> dict:
    return {key: value for key, value in remote.items() if key != "_links"}


def _orphan_kind(document: dict) -> str:
    try:
        return adopt.document_kind(document)
    except adopt.NotAdoptable:
        return ""


def _orphans_scan(run: TaskRun, client, *, user, account: str) -> int:
    """Page through the account's samples; keep those no record of this environment
    links to as ``user``'s orphans, forget the ones gone or linked since; return how
    many there are."""
    from biosample.services import _chunks

    environment = _environment()
    started = timezone.now()
    # A link still being created has no accession yet: its sample is not an orphan.
    creating = set(
        SampleLink.objects.filter(
            environment=environment, webin_account=account, state=LinkState.CREATING
        ).values_list("name", flat=True)
    )
    read = 0
    text = f"Looking for samples of {account} that no record links to…"
    run.progress("orphans", 0, 0, text, force=True)
    for page in _chunks(client.samples_of_account(account), 200):
        read += len(page)
        accessions = [sample["accession"] for sample in page]
        linked = set(
            SampleLink.objects.filter(
                environment=environment, accession__in=accessions
            ).values_list("accession", flat=True)
        )
        found = [
            Orphan(owner=user, webin_account=account, environment=environment,
                   accession=sample["accession"], name=str(sample.get("name") or "")[:255],
                   kind=_orphan_kind(sample), document=_snapshot(sample),
                   remote_updated=adopt.instant_parse(sample.get("update")), first_seen=started,
                   last_seen=started)
            for sample in page
            if sample["accession"] not in linked and sample.get("name") not in creating
        ]  # fmt: skip
        Orphan.objects.bulk_create(
            found, update_conflicts=True, unique_fields=["owner", "environment", "accession"],
            update_fields=["webin_account", "name", "kind", "document", "remote_updated",
                           "last_seen"],
        )  # fmt: skip
        text = f"Looking for samples of {account} that no record links to: {read:,} read"
        run.progress("orphans", 0, 0, text)
    mine = Orphan.objects.filter(owner=user, environment=environment, webin_account=account)
    mine.filter(last_seen__lt=started).delete()
    return mine.count()


def orphans_withdraw_start(*, submission: Submission, user, orphans: list[Orphan]):
    """Queue the withdrawal of ``user``'s ``orphans`` from BioSamples (each made private
    there), as a task on ``submission`` (the page it was asked from)."""
    account = _one_account(orphans)
    _token(user=user, account=account)
    params = {"action": WITHDRAW_ORPHANS, "account": account, "ids": [o.pk for o in orphans]}
    return task_queue(
        submission=submission, kind=TaskKind.SYNC, user=user, params=params,
        message="Waiting for a worker to withdraw samples from BioSamples.",
    )  # fmt: skip


def _one_account(orphans: list[Orphan]) -> str:
    accounts = {orphan.webin_account for orphan in orphans}
    if len(accounts) != 1:
        raise SubmissionStateError("choose samples of one Webin account at a time")
    return accounts.pop()


def _orphans_withdraw_run(run: TaskRun) -> None:
    from biosample.client import BioSamplesClient, BioSamplesError
    from biosample.services import WITHDRAWN_RELEASE

    task = run.task
    account = task.params["account"]
    token = _task_token(task)
    environment = _environment()
    orphans = list(
        Orphan.objects.filter(owner=task.created_by, environment=environment,
                              webin_account=account, pk__in=task.params["ids"])
    )  # fmt: skip
    linked = set(
        SampleLink.objects.filter(
            environment=environment, accession__in=[o.accession for o in orphans]
        ).values_list("accession", flat=True)
    )
    skipped: list[str] = []
    withdrawn = 0
    total = len(orphans)
    run.progress("send", 0, total, f"Withdrawing {format_count(total)} samples…", force=True)
    with BioSamplesClient(token=token) as client:
        for done, orphan in enumerate(orphans, start=1):
            if orphan.accession in linked:
                skipped.append(f"{orphan.accession}: a record links to it now (withdraw it "
                               "from its submission)")  # fmt: skip
                continue
            try:
                remote = client.sample_get(orphan.accession)
                if remote is None or remote.get("webinSubmissionAccountId") != account:
                    skipped.append(f"{orphan.accession}: no longer a sample of {account}")
                    Orphan.objects.filter(pk=orphan.pk).delete()
                    continue
                document = {**adopt.sendable(remote), "release": WITHDRAWN_RELEASE}
                answer = client.sample_update(document)
            except BioSamplesError as exc:
                if exc.token_expired or not exc.permanent:
                    raise _unanswered(exc, done - 1, "withdraw them") from None
                skipped.append(f"{orphan.accession}: BioSamples refused it ({exc.message})")
                continue
            Orphan.objects.filter(pk=orphan.pk).update(
                document=_snapshot(answer), last_seen=timezone.now(),
                remote_updated=adopt.instant_parse(answer.get("update")),
            )  # fmt: skip
            withdrawn += 1
            run.progress("send", done, total,
                         f"Withdrawing: {format_count(done)} of {format_count(total)}")  # fmt: skip
    message = (
        f"Withdrew {format_count(withdrawn)} sample{'s' if withdrawn != 1 else ''} of {account} "
        "from BioSamples: private there from now on."
    )
    if skipped:
        message += f" Not withdrawn: {format_count(len(skipped))}.\n" + "\n".join(skipped)
    run.succeed(message, result={"action": WITHDRAW_ORPHANS, "withdrawn": withdrawn,
                                 "skipped": skipped})  # fmt: skip


# --- Pull (and adoption of orphans) -----------------------------------------------------------


def accessions_parse(text: str) -> tuple[list[str], list[str]]:
    """The accessions of a pasted list (one a line, or separated by commas, semicolons or
    spaces), each once, in order; and the words that are not accessions."""
    accessions: list[str] = []
    wrong: list[str] = []
    for word in re.split(r"[\s,;]+", text or ""):
        if not word:
            continue
        accession = word.upper()
        if not ACCESSION_RE.match(accession):
            wrong.append(word)
        elif accession not in accessions:
            accessions.append(accession)
    return accessions, wrong


def _may_see_orphans(user, account: str) -> bool:
    """Orphans and pulls of ``account``: the user's own account, or the broker account
    for staff only."""
    from biosample.tokens import broker_account

    return account != broker_account() or user.is_staff


def pull_start(*, submission: Submission, user, account: str, accessions: list[str]):
    """Queue the pull of BioSamples records by accession into ``submission``: each one
    of ``account`` that is an IMAGE animal or sample is adopted (biosample.adopt).
    SubmissionStateError without accessions or a kept token; SubmissionBusy while a task
    works on the submission."""
    if not accessions:
        raise SubmissionStateError("give at least one BioSamples accession")
    if len(accessions) > PULL_MAX:
        raise SubmissionStateError(
            f"pull at most {format_count(PULL_MAX)} accessions at once "
            f"(this list has {format_count(len(accessions))})"
        )
    if not _may_see_orphans(user, account):
        raise SubmissionStateError(
            f"records of the shared Webin account {account} are pulled by an administrator"
        )
    _token(user=user, account=account)
    params = {"action": PULL, "account": account, "accessions": list(accessions)}
    n = len(accessions)
    return task_queue(
        submission=submission, kind=TaskKind.SYNC, user=user, params=params,
        message=f"Waiting for a worker to pull {format_count(n)} record{'s' if n != 1 else ''} "
        "from BioSamples.",
    )  # fmt: skip


def orphans_adopt_start(*, submission: Submission, user, orphans: list[Orphan]):
    """Queue the adoption of ``user``'s ``orphans`` into ``submission`` (one of theirs):
    a pull of their accessions, so that each is read afresh from BioSamples."""
    account = _one_account(orphans)
    return pull_start(submission=submission, user=user, account=account,
                      accessions=[orphan.accession for orphan in orphans])  # fmt: skip


def _pull_run(run: TaskRun) -> None:
    from biosample.client import BioSamplesClient, BioSamplesError

    task = run.task
    account = task.params["account"]
    accessions = task.params["accessions"]
    token = _task_token(task)
    environment = _environment()
    submission = Submission.objects.select_related("owner", "gene_bank_country").get(
        pk=task.submission_id
    )
    refused = adopt.accessions_taken(
        accessions=accessions, user=submission.owner, environment=environment
    )
    fetched = []
    total = len(accessions)
    run.progress("fetch", 0, total, f"Reading {format_count(total)} records from BioSamples…",
                 force=True)  # fmt: skip
    with BioSamplesClient(token=token) as client:
        for done, accession in enumerate(accessions, start=1):
            if accession not in refused:
                try:
                    remote = client.sample_get(accession)
                except BioSamplesError as exc:
                    if exc.token_expired or not exc.permanent:
                        raise _unanswered(exc, done - 1, "pull (nothing was adopted yet)") from None
                    refused[accession] = _refusal(exc, account)
                else:
                    why = _not_ours(remote, account, environment)
                    if why:
                        refused[accession] = why
                    else:
                        fetched.append(remote)
            text = f"Reading from BioSamples: {format_count(done)} of {format_count(total)}"
            run.progress("fetch", done, total, text)
    run.progress("adopt", 0, len(fetched), f"Adopting {format_count(len(fetched))} records…",
                 force=True)  # fmt: skip
    with transaction.atomic():
        adoption = adopt.documents_adopt(
            submission=submission, documents=fetched, account=account, environment=environment
        )
        refused.update(adoption.refused)
        message, result = _pulled(accessions, adoption, refused)
        run.succeed(message, result=result)


def _refusal(exc, account: str) -> str:
    if exc.status == 403:
        return f"not yours: BioSamples keeps it private for another Webin account than {account}"
    return f"BioSamples refused to give it: {exc.message}"


def _not_ours(remote: dict | None, account: str, environment: str) -> str:
    """Why a fetched sample cannot be pulled before its content is looked at ("" if it can)."""
    if remote is None:
        return f"not found in BioSamples ({environment})"
    owner = remote.get("webinSubmissionAccountId")
    if owner != account:
        return f"not yours: it belongs to {owner or 'another Webin account'}, not {account}"
    try:
        adopt.document_kind(remote)
    except adopt.NotAdoptable as exc:
        return str(exc)
    return ""


def _pulled(accessions: list[str], adoption, refused: dict[str, str]) -> tuple[str, dict]:
    """The pull's message and result: counts, what differs, and each accession's outcome."""
    adopted = {item["accession"]: item for item in adoption.adopted}
    animals = sum(1 for item in adoption.adopted if item["kind"] == "animal")
    samples = len(adopted) - animals
    total = len(accessions)
    message = (
        f"Adopted {format_count(len(adopted))} of {format_count(total)} BioSamples "
        f"record{'s' if total != 1 else ''} into this submission "
        f"({format_count(animals)} animal{'s' if animals != 1 else ''}, "
        f"{format_count(samples)} sample{'s' if samples != 1 else ''}), each linked to its "
        "accession and completed."
    )
    differing = adoption.differing
    if differing:
        fields = sorted({name for item in differing for name in item["differs"]})
        message += (
            f" {format_count(len(differing))} of them differ from their BioSamples copy in "
            f"what this submission says ({', '.join(fields[:6])}"
            f"{', …' if len(fields) > 6 else ''}): the next submit updates them there."
        )
    outcomes = []
    for accession in accessions:
        item = adopted.get(accession)
        if item is not None:
            outcomes.append({"accession": accession, "adopted": True, "kind": item["kind"],
                             "name": item["name"], "id": item["id"],
                             "differs": item["differs"]})  # fmt: skip
        else:
            outcomes.append({"accession": accession, "adopted": False,
                             "why": refused.get(accession, "not adopted")})  # fmt: skip
    not_adopted = [o for o in outcomes if not o["adopted"]]
    if not_adopted:
        named = "\n".join(f"{o['accession']}: {o['why']}" for o in not_adopted[:_NAMED])
        more = len(not_adopted) - _NAMED
        message += f" Not adopted: {format_count(len(not_adopted))}.\n{named}"
        if more > 0:
            message += f"\n… and {format_count(more)} more, listed on the BioSamples page."
    result = {"action": PULL, "adopted": len(adopted), "animals": animals, "samples": samples,
              "not_adopted": len(not_adopted), "differ": len(differing),
              "outcomes": outcomes}  # fmt: skip
    return message, result


# --- The BioSamples page ----------------------------------------------------------------------

_LISTED = 200  # rows of each list on the page (the counts are all of them)


def sync_report(*, submission: Submission, user) -> dict:
    """What the submission's BioSamples page shows: the account, the records in
    BioSamples by what the last comparison saw (drift and lost listed, with what changed),
    the account's orphans, and the last comparison, pull and withdrawal."""
    from biosample.tokens import token_valid_until

    environment = _environment()
    account = sync_account(submission=submission, user=user)
    links = SampleLink.objects.filter(
        submission=submission, environment=environment, accession__isnull=False
    )
    found = dict(links.values_list("remote_status").annotate(n=Count("id")).order_by())
    counts = {
        "total": sum(found.values()),
        "same": found.get(RemoteStatus.SAME, 0),
        "drift": found.get(RemoteStatus.DRIFT, 0),
        "lost": found.get(RemoteStatus.LOST, 0),
        "unchecked": found.get(RemoteStatus.UNCHECKED, 0),
        "withdrawn": links.filter(state=LinkState.WITHDRAWN).count(),
    }
    tasks = Task.objects.filter(submission=submission, kind=TaskKind.SYNC)
    compared = tasks.exclude(params__has_key="action").order_by("-created_at", "-pk").first()
    pulled = tasks.filter(params__action=PULL).order_by("-created_at", "-pk").first()
    withdrew = tasks.filter(params__action=WITHDRAW_ORPHANS).order_by("-created_at", "-pk").first()
    changes = (compared.result or {}).get("changes", {}) if compared else {}
    drift = list(links.filter(remote_status=RemoteStatus.DRIFT).order_by("kind", "name")[:_LISTED])
    for link in drift:
        link.changes = changes.get(str(link.pk), [])
    lost = links.filter(remote_status=RemoteStatus.LOST).order_by("kind", "name")
    orphans = Orphan.objects.filter(owner=user, environment=environment, webin_account=account)
    orphan_counts = dict(orphans.values_list("kind").annotate(n=Count("id")).order_by())
    return {
        "account": account,
        "environment": environment,
        "token_until": token_valid_until(user=user, account=account) if account else None,
        "counts": counts,
        "drift": drift,
        "lost": list(lost[:_LISTED]),
        "orphans": list(orphans[:_LISTED]),
        "orphan_counts": {
            "total": sum(orphan_counts.values()),
            "adoptable": orphan_counts.get("animal", 0) + orphan_counts.get("sample", 0),
            "other": orphan_counts.get("", 0),
        },
        "compared": compared,
        "pulled": pulled,
        "withdrew": withdrew,
        "listed": _LISTED,
    }


task_runner_register(TaskKind.SYNC, sync_run)
