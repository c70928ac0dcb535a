"""Submitting a submission's records to BioSamples and keeping them linked.

The documents are validation's (validation.documents): what was checked is what is sent.
A submit is a task of kind SUBMIT:

- records go out parents first (generation by generation), animals before samples;
- before a record's first POST its link is written (state CREATING, under its name); a
  link still CREATING when a run starts (the last one died after BioSamples may have
  stored it) is looked up by name in the Webin account before anything is posted again,
  so a retry never mints a second accession;
- records go out several at once (BIOSAMPLES_CONCURRENCY) in chunks: a chunk's links are
  written before its first POST, and its accessions stored on its records and links
  together as its answers come (the records are COMPLETED);
- a record BioSamples refuses keeps the server's message and goes to NEED_REVISION while
  the others go on;
- a record already in BioSamples is PUT whole when its document changed (its hash
  differs from the last one sent) and left alone when not;
- when the Webin token expires the run stops with a message and can be resumed: nothing
  sent is sent twice;
- a record BioSamples did not answer (after the client's retries) may have been stored:
  the run ends asking to be run again, and the next run looks it up by name first.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import deque
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from biosample.models import LinkState, SampleLink
from uid.models import Animal, Sample, Status, Submission, TaskKind, TaskState
from uid.services.tasks import (
    SubmissionStateError,
    TaskFailed,
    TaskRun,
    format_count,
    submission_status_refresh,
    task_queue,
    task_runner_register,
)
from validation import registry

_CHUNK = 100  # records whose links are written, sent, and their answers stored, together
# Consecutive transient failures after which BioSamples is taken to be down: stop.
_DOWN_AFTER = 20
SUBMIT_FROM = (Status.READY, Status.COMPLETED, Status.NEED_REVISION)


def document_hash(document: dict) -> str:
    """The hash of what a document says (the key order does not count)."""
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def environment() -> str:
    return settings.BIOSAMPLES_URL.rstrip("/")


def concurrency() -> int:
    """Records sent at once (each its own HTTP call): BioSamples is a shared service, so
    a few, not many (BIOSAMPLES_CONCURRENCY)."""
    return settings.BIOSAMPLES_CONCURRENCY


# --- Plan -----------------------------------------------------------------------------------


@dataclass
class Plan:
    """What a submit would do: per record, new (POST), update (PUT) or unchanged."""

    new: int = 0
    update: int = 0
    unchanged: int = 0
    blocked: int = 0  # records with a validation Error: not sent
    examples: list[dict] = field(default_factory=list)

    @property
    def to_send(self) -> int:
        return self.new + self.update


def _links(submission: Submission) -> dict[tuple[str, int], SampleLink]:
    return {
        (link.kind, link.record_id): link
        for link in SampleLink.objects.filter(submission=submission, environment=environment())
    }


def submit_plan(*, submission: Submission, examples: int = 30, release: dt.date | None = None):
    """What submitting ``submission`` would send: counts, and the first ``examples``
    records to send with their document and, for updates, what changed."""
    from validation.documents import submission_documents

    links = _links(submission)
    blocked = _blocked(submission)
    accessions = _accessions(submission)
    plan = Plan()
    for built in submission_documents(submission=submission):
        if (built.kind, built.pk) in blocked:
            plan.blocked += 1
            continue
        document = _outgoing(built.document, accessions, release or submission.release_date)
        link = links.get((built.kind, built.pk))
        sent = link is not None and link.state == LinkState.CREATED and link.accession
        if sent:
            document["accession"] = link.accession
        if sent and link.payload_hash == document_hash(document):
            plan.unchanged += 1
            continue
        if sent:
            plan.update += 1
        else:
            plan.new += 1
        if len(plan.examples) < examples:
            plan.examples.append({
                "kind": built.kind, "id": built.pk, "name": built.document["name"],
                "action": "update" if sent else "new", "document": document,
                "json": json.dumps(document, indent=2, ensure_ascii=False),
                "changes": _changes(link.payload, document) if sent else [],
            })  # fmt: skip
    return plan


def _changes(before: dict, after: dict) -> list[dict]:
    """What differs between two documents: per characteristic (and the release), the
    text before and after."""
    found = []
    old = before.get("characteristics", {})
    new = after.get("characteristics", {})
    for name in sorted(set(old) | set(new)):
        was = ", ".join(str(v.get("text")) for v in old.get(name, []))
        now = ", ".join(str(v.get("text")) for v in new.get(name, []))
        if was != now:
            found.append({"field": name, "was": was, "now": now})
    if before.get("release") != after.get("release"):
        found.append(
            {"field": "release", "was": before.get("release"), "now": after.get("release")}
        )
    if before.get("relationships") != after.get("relationships"):
        found.append({"field": "relationships", "was": str(before.get("relationships")),
                      "now": str(after.get("relationships"))})  # fmt: skip
    return found


def _blocked(submission: Submission) -> set[tuple[str, int]]:
    """Records whose last validation found an Error: they are not sent."""
    from validation.models import RecordResult

    return set(
        RecordResult.objects.filter(submission=submission, status="Error").values_list(
            "kind", "record_id"
        )
    )


def _accessions(submission: Submission) -> dict[str, str]:
    """Name → accession of the animals a relationship may name (the submission's own)."""
    return dict(
        Animal.objects.filter(submission=submission, accession__isnull=False).values_list(
            "name", "accession"
        )
    )


def _outgoing(document: dict, accessions: dict[str, str], release) -> dict:
    """The document as BioSamples takes it: relationships to accessions, the release."""
    document = dict(document)
    document["relationships"] = [
        {**rel, "target": accessions.get(rel["target"], rel["target"])}
        for rel in document.get("relationships", [])
        if rel.get("target")
    ]
    for rel in document["relationships"]:
        rel.pop("source", None)  # BioSamples fills it in: it is this sample
    if release:
        document["release"] = f"{release.isoformat()}T00:00:00Z"
    return document


# --- Start ----------------------------------------------------------------------------------


def submit_stopped(*, submission: Submission):
    """The submission's last submit when it stopped because the Webin token expired (the
    curator signs in again and goes on), else None."""
    from uid.models import Task

    last = (
        Task.objects.filter(submission=submission, kind=TaskKind.SUBMIT)
        .exclude(params__contains={"action": "withdraw"})
        .order_by("-created_at", "-pk")
        .first()
    )
    if last is None or last.state != TaskState.FAILED or not last.result.get("token_expired"):
        return None
    return last


def submission_submit_start(*, submission: Submission, user, account: str, release=None):
    """Queue the submission of ``submission`` to BioSamples under the Webin ``account``
    (the user's kept token for it is used). SubmissionStateError when it cannot go."""
    from biosample.tokens import token_for

    if submission.status not in SUBMIT_FROM:
        raise SubmissionStateError(
            "records go to BioSamples once they are validated (validate them first)"
        )
    if token_for(user=user, account=account) is None:
        raise SubmissionStateError("sign in to Webin first: your token has expired")
    params = {"account": account, "release": release.isoformat() if release else None}
    return task_queue(
        submission=submission, kind=TaskKind.SUBMIT, user=user, params=params,
        message="Waiting for a worker to start the submission to BioSamples.",
    )  # fmt: skip


# --- Withdrawal ------------------------------------------------------------------------------

# BioSamples has no delete for submitters: a withdrawn sample is made private again by a
# release date this far ahead.
WITHDRAWN_RELEASE = "2100-01-01T00:00:00Z"


def records_withdraw_start(*, submission: Submission, user, account: str, kind: str, ids):
    """Queue the withdrawal of records in BioSamples (those of ``ids`` that are there):
    each is made private, its record stays here (marked withdrawn). SubmissionStateError
    without a kept Webin token, SubmissionBusy while a task works on the submission."""
    from biosample.tokens import token_for

    if token_for(user=user, account=account) is None:
        raise SubmissionStateError("sign in to Webin first: your token has expired")
    params = {"action": "withdraw", "account": account, "kind": kind, "ids": list(ids)}
    return task_queue(
        submission=submission, kind=TaskKind.SUBMIT, user=user, params=params,
        message="Waiting for a worker to withdraw records from BioSamples.",
    )  # fmt: skip


def _withdraw_run(run: TaskRun, submission: Submission, client) -> None:
    params = run.task.params
    links = list(
        SampleLink.objects.filter(
            submission=submission, environment=environment(), kind=params["kind"],
            record_id__in=params["ids"], state=LinkState.CREATED,
        )
    )  # fmt: skip
    total = len(links)
    run.progress("send", 0, total, f"Withdrawing {format_count(total)} records…", force=True)
    for done, link in enumerate(links, start=1):
        document = {**link.payload, "release": WITHDRAWN_RELEASE}
        client.sample_update(document)
        SampleLink.objects.filter(pk=link.pk).update(
            state=LinkState.WITHDRAWN, payload=document, payload_hash=document_hash(document),
            last_sent=timezone.now(),
        )  # fmt: skip
        run.progress("send", done, total,
                     f"Withdrawing: {format_count(done)} of {format_count(total)}")  # fmt: skip
    run.succeed(
        f"Withdrew {format_count(total)} record{'s' if total != 1 else ''} from BioSamples: "
        "private there from now on; kept here, marked withdrawn.",
        result={"withdrawn": total},
    )


# --- Run -------------------------------------------------------------------------------------


@dataclass
class _Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: int = 0
    blocked: int = 0
    not_sent: int = 0  # a parent is not in BioSamples
    unanswered: int = 0  # no answer after retries: maybe stored, looked up by name next run
    down: int = 0  # consecutive transient failures
    done: int = 0


def _generations(submission: Submission) -> list[set[int]]:
    """The submission's animals by generation: those whose parents are not of the
    submission first, then their children, and so on (parents before children)."""
    parents = {
        pk: {p for p in (father, mother) if p is not None}
        for pk, father, mother in Animal.objects.filter(submission=submission).values_list(
            "pk", "father_id", "mother_id"
        )
    }
    placed: set[int] = set()
    generations = []
    while len(placed) < len(parents):
        level = {
            pk for pk, own in parents.items()
            if pk not in placed and all(p in placed or p not in parents for p in own)
        }  # fmt: skip
        if not level:  # a cycle (the loader refuses them): send the rest as they come
            level = set(parents) - placed
        generations.append(level)
        placed |= level
    return generations


def submit_run(run: TaskRun) -> None:
    """The submit task (see the module's docstring)."""
    from biosample.client import BioSamplesClient, BioSamplesError
    from biosample.tokens import token_for
    from validation.documents import submission_documents

    task = run.task
    submission = Submission.objects.select_related(
        "owner", "owner__profile", "organisation", "gene_bank_country"
    ).get(pk=task.submission_id)
    account = task.params["account"]
    release = dt.date.fromisoformat(task.params["release"]) if task.params.get("release") else None
    token = token_for(user=task.created_by, account=account)
    if token is None:
        raise TaskFailed(_expired_message(0), retryable=True, result={"token_expired": True})
    if task.params.get("action") == "withdraw":
        with BioSamplesClient(token=token) as client:
            try:
                _withdraw_run(run, submission, client)
            except BioSamplesError as exc:
                raise TaskFailed(
                    f"BioSamples did not take the withdrawal ({exc.message}); run it again: "
                    "records already withdrawn stay so.", retryable=True,
                ) from None  # fmt: skip
        return
    blocked = _blocked(submission)
    total = sum(m.objects.filter(submission=submission).count() for m in (Animal, Sample))
    tally = _Tally()
    run.progress("send", 0, total, f"Sending {format_count(total)} records to BioSamples…",
                 force=True)  # fmt: skip
    workers = concurrency()
    client = BioSamplesClient(token=token, pool_size=workers)
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="biosamples")
    sending = _Sending(run=run, client=client, pool=pool, submission=submission,
                       account=account, release=release, blocked=blocked, tally=tally,
                       total=total)  # fmt: skip
    try:
        _links_resolve(submission, client, pool, run)
        passes = [(registry.ANIMAL, level) for level in _generations(submission)]
        passes.append((registry.SAMPLE, None))
        for kind, level in passes:
            sending.send_pass(submission_documents(submission=submission, kinds=(kind,), ids=level))
    except BioSamplesError as exc:
        sending.stop()
        if exc.token_expired:  # the submit page offers to sign in again and go on
            result = {**_result(tally), "token_expired": True}
            raise TaskFailed(_expired_message(tally.done), retryable=True,
                             result=result) from None  # fmt: skip
        raise TaskFailed(
            f"BioSamples did not answer ({exc.message}) after {format_count(tally.done)} "
            "records; those are kept. Run the submission again to go on.",
            retryable=True, result=_result(tally),
        ) from None  # fmt: skip
    finally:
        # Whatever ended the run, nothing more goes out (a record queued but not sent
        # keeps its CREATING link: the next run looks it up by name).
        pool.shutdown(wait=True, cancel_futures=True)
        client.close()
    submission_status_refresh(submission_id=submission.pk)
    if tally.unanswered:
        raise TaskFailed(
            f"{_done_message(tally)} BioSamples did not answer for "
            f"{format_count(tally.unanswered)}: run the submission again to send them (and "
            "the records that name them); none is sent twice.",
            retryable=True, result=_result(tally),
        )  # fmt: skip
    run.succeed(_done_message(tally), result=_result(tally))


def _expired_message(done: int) -> str:
    return (
        f"The Webin token expired after {format_count(done)} records. Sign in to Webin again "
        "to go on: records already in BioSamples are not sent twice."
    )


def _result(tally: _Tally) -> dict:
    names = ("created", "updated", "unchanged", "refused", "blocked", "not_sent", "unanswered")
    return {name: getattr(tally, name) for name in names}


def _done_message(tally: _Tally) -> str:
    parts = [f"{format_count(tally.created)} new in BioSamples",
             f"{format_count(tally.updated)} updated",
             f"{format_count(tally.unchanged)} unchanged"]  # fmt: skip
    text = "Sent to BioSamples: " + ", ".join(parts) + "."
    if tally.refused:
        text += (f" BioSamples refused {format_count(tally.refused)}: each record says why; "
                 "they need revision.")  # fmt: skip
    if tally.blocked or tally.not_sent:
        text += (f" Not sent: {format_count(tally.blocked + tally.not_sent)} (validation "
                 "errors, or a parent that is not in BioSamples).")  # fmt: skip
    return text


def _chunks(items: Iterable, size: int):
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _links_resolve(submission: Submission, client, pool: ThreadPoolExecutor, run=None) -> None:
    """Links left CREATING by a run that died or got no answer: each sample is looked for
    by its name in our account (several at once); found, the record gets its accession;
    not found, the link goes (the record is posted again). BioSamples makes a new sample
    findable only after a while (BIOSAMPLES_INDEX_WAIT): a link sent more recently than
    that is looked for again once that time has passed, before it is given up."""
    import time

    links = list(
        SampleLink.objects.filter(
            submission=submission, environment=environment(), state=LinkState.CREATING
        )
    )

    def find(link: SampleLink) -> tuple[SampleLink, list[dict]]:
        return link, [s for s in client.samples_find_by_name(link.name) if s.get("accession")]

    found = list(pool.map(find, links))
    missing = [link for link, samples in found if not samples]
    wait = dt.timedelta(seconds=settings.BIOSAMPLES_INDEX_WAIT)
    recent = [
        link for link in missing if link.attempted_at and link.attempted_at + wait > timezone.now()
    ]
    if recent:
        until = max(link.attempted_at for link in recent) + wait
        if run is not None:
            run.progress("send", 0, 0, (
                f"Waiting until {timezone.localtime(until):%H:%M:%S} for BioSamples to index "
                f"{format_count(len(recent))} record{'s' if len(recent) != 1 else ''} whose "
                "answer was lost, so that none is sent twice…"
            ), force=True)  # fmt: skip
        time.sleep(max(0.0, (until - timezone.now()).total_seconds()))
        again = dict(pool.map(find, recent))
        found = [(link, again.get(link, samples)) for link, samples in found]
    SampleLink.objects.filter(pk__in=[link.pk for link, samples in found if not samples]).delete()
    for kind in (registry.ANIMAL, registry.SAMPLE):
        _answers_store(kind, [
            (link, {**link.payload, "accession": samples[0]["accession"]})
            for link, samples in found if samples and link.kind == kind
        ])  # fmt: skip


class _Sending:
    """The sending of one run. The chunks of a pass (a generation of animals, or the
    samples) go out back to back: while one chunk's answers come, the next chunk's links
    are written (before any of its POSTs) and its records queued, so the concurrent
    connections never wait for the database. Each chunk's answers are stored together.
    A pass ends when all its answers are stored: the next one names its accessions."""

    def __init__(self, *, run, client, pool, submission, account, release, blocked, tally,
                 total) -> None:  # fmt: skip
        self.run, self.client, self.pool = run, client, pool
        self.submission, self.account, self.release = submission, account, release
        self.blocked, self.tally, self.total = blocked, tally, total
        self.in_flight: deque[tuple[str, list[Future]]] = deque()

    def send_pass(self, built: Iterable) -> None:
        """Send the records of ``built`` (one kind), chunk after chunk; return once every
        answer is stored."""
        accessions = _accessions(self.submission)
        for chunk in _chunks(built, _CHUNK):
            work = self._prepare(chunk, accessions)
            futures = [self.pool.submit(self._send, item) for item in work]
            self.in_flight.append((chunk[0].kind, futures))
            # Two chunks in flight: the one just queued goes out while the oldest is stored.
            while len(self.in_flight) > 1:
                self._store(*self.in_flight.popleft())
        while self.in_flight:
            self._store(*self.in_flight.popleft())

    def stop(self) -> None:
        """The run stops (the token expired, BioSamples is down): queue nothing more, and
        keep the accessions of what was stored meanwhile."""
        for _, futures in self.in_flight:
            for future in futures:
                future.cancel()
        while self.in_flight:
            kind, futures = self.in_flight.popleft()
            answers = [f.result() for f in futures if not f.cancelled() and f.exception() is None]
            _answers_store(kind, [
                (link, _stored_document(document, answer, action))
                for (link, document, action), answer, error in answers if error is None
            ])  # fmt: skip

    def _prepare(self, chunk: list, accessions: dict[str, str]) -> list:
        """What a chunk sends, (link, document, "create" or "update") per record; the
        links of new records written (committed) first: a crash from here on is resolved
        by name."""
        tally, kind = self.tally, chunk[0].kind
        links = {
            link.record_id: link
            for link in SampleLink.objects.filter(
                submission=self.submission, environment=environment(),
                kind=kind, record_id__in=[b.pk for b in chunk],
            )
        }  # fmt: skip
        work = []
        for built in chunk:
            if (built.kind, built.pk) in self.blocked:
                tally.blocked += 1
                tally.done += 1
                continue
            document = _outgoing(
                built.document, accessions, self.release or self.submission.release_date
            )
            if any(not rel["target"].startswith("SAM") for rel in document["relationships"]):
                tally.not_sent += 1
                tally.done += 1
                continue
            link = links.get(built.pk)
            if link is not None and link.state == LinkState.CREATED and link.accession:
                document["accession"] = link.accession
                if link.payload_hash == document_hash(document):
                    tally.unchanged += 1
                    tally.done += 1
                    continue
                work.append((link, document, "update"))
                continue
            if link is None:
                link = SampleLink(submission=self.submission, kind=built.kind,
                                  record_id=built.pk, environment=environment())  # fmt: skip
            link.name, link.webin_account, link.state = (
                built.document["name"],
                self.account,
                LinkState.CREATING,
            )
            link.payload, link.message = document, ""
            work.append((link, document, "create"))
        _links_write([link for link, _, action in work if action == "create"])
        return work

    def _send(self, item: tuple) -> tuple:
        """In a pool thread: one record's POST or PUT; (item, answer, error)."""
        from biosample.client import BioSamplesError

        link, document, action = item
        try:
            if action == "create":
                return item, self.client.sample_create(document), None
            return item, self.client.sample_update(document), None
        except BioSamplesError as exc:
            return item, None, exc

    def _store(self, kind: str, futures: list[Future]) -> None:
        """Wait for a chunk's answers and store them together; refusals are kept per
        record. Raises the error that ends the run (an expired token, BioSamples down)
        once what came back is stored."""
        tally, stored, stop, latest = self.tally, [], None, ""
        for future in futures:
            (link, document, action), answer, error = future.result()
            tally.done += 1
            if error is None:
                tally.down = 0
                stored.append((link, _stored_document(document, answer, action)))
                if action == "create":
                    tally.created += 1
                    latest = f"; the latest, {link.name}, is {answer['accession']}"
                else:
                    tally.updated += 1
            elif error.token_expired:
                stop = stop or error
            elif error.permanent:
                _refused(link, action, error)
                tally.refused += 1
            else:  # transient after retries: a POST may have been stored; its link says so
                tally.unanswered += 1
                tally.down += 1
                if tally.down >= _DOWN_AFTER:
                    stop = stop or error
        _answers_store(kind, stored)
        # The curator watches the accessions come back as they are stored.
        done, total = format_count(tally.done), format_count(self.total)
        self.run.progress("send", tally.done, self.total,
                          f"Sending to BioSamples: {done} of {total}{latest}.")  # fmt: skip
        if stop is not None:
            raise stop


def _stored_document(document: dict, answer: dict, action: str) -> dict:
    """What we sent, with the accession BioSamples gave it (an update has its own)."""
    return {**document, "accession": answer["accession"]} if action == "create" else document


def _record_model(kind: str):
    return Animal if kind == registry.ANIMAL else Sample


def _links_write(links: list[SampleLink]) -> None:
    """Write the links of records (of one kind) about to be POSTed: state CREATING, their
    name and document, new or over an old link of the record; each link gets its id."""
    if not links:
        return
    rows = json.dumps([
        {"submission": link.submission_id, "kind": link.kind, "record": link.record_id,
         "name": link.name, "account": link.webin_account, "environment": link.environment,
         "payload": link.payload}
        for link in links
    ])  # fmt: skip
    # As bulk_create(update_conflicts=True) would, with the rows as one JSON parameter:
    # quoting an array of documents per column costs far more.
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {SampleLink._meta.db_table} AS l (submission_id, kind, record_id,"  # noqa: S608
            " name, webin_account, environment, state, payload, payload_hash, remote_status,"
            " message, attempted_at) SELECT v.submission, v.kind, v.record, v.name, v.account,"
            " v.environment, %s, v.payload, '', '', '', now() FROM jsonb_to_recordset(%s::jsonb) AS"
            " v(submission bigint, kind text, record bigint, name text, account text,"
            " environment text, payload jsonb)"
            " ON CONFLICT (kind, record_id, environment) DO UPDATE SET name = excluded.name,"
            " webin_account = excluded.webin_account, state = excluded.state,"
            " payload = excluded.payload, message = '', attempted_at = excluded.attempted_at"
            " RETURNING l.id, l.record_id",
            [LinkState.CREATING.value, rows],
        )
        ids = {record: pk for pk, record in cursor.fetchall()}
    for link in links:
        link.pk = ids[link.record_id]


def _answers_store(kind: str, stored: list[tuple[SampleLink, dict]]) -> None:
    """Records of ``kind`` that BioSamples took, (link, document sent with its accession)
    each: the links CREATED with the document and its hash, the records COMPLETED with
    the accession; one statement per table, one transaction."""
    if not stored:
        return
    now = timezone.now()
    # The rows go as one JSON parameter: quoting arrays of documents costs far more.
    rows = json.dumps([
        {"id": link.pk, "record": link.record_id, "accession": document["accession"],
         "payload": document, "hash": document_hash(document)}
        for link, document in stored
    ])  # fmt: skip
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {SampleLink._meta.db_table} AS l SET accession = v.accession,"  # noqa: S608
            " state = %s, payload = v.payload, payload_hash = v.hash, last_sent = %s,"
            " message = '' FROM jsonb_to_recordset(%s::jsonb)"
            " AS v(id bigint, accession text, payload jsonb, hash text) WHERE l.id = v.id",
            [LinkState.CREATED.value, now, rows],
        )
        cursor.execute(
            f"UPDATE {_record_model(kind)._meta.db_table} AS r SET accession = v.accession,"  # noqa: S608
            " status = %s, last_submitted = %s FROM jsonb_to_recordset(%s::jsonb)"
            " AS v(record bigint, accession text) WHERE r.id = v.record",
            [Status.COMPLETED.value, now, rows],
        )


def _refused(link: SampleLink, action: str, error) -> None:
    """BioSamples refused the record (``error``, a BioSamplesError): it keeps the message
    and needs revision."""
    with transaction.atomic():
        if action == "create":  # nothing was stored: no link to keep
            SampleLink.objects.filter(pk=link.pk).delete()
        else:
            SampleLink.objects.filter(pk=link.pk).update(message=error.message)
        _record_model(link.kind).objects.filter(pk=link.record_id).update(
            status=Status.NEED_REVISION
        )
        _refusal_noted(link, error)


def _refusal_noted(link: SampleLink, error) -> None:
    """The server's message, kept as a finding of the record's last validation, on the
    IMAGE attribute it is about (biosample.refusals); records refused alike share one
    finding, as validation's own findings do."""
    from biosample.refusals import refusal_field
    from validation.models import Finding, RecordResult, SubmissionValidation

    validation = (
        SubmissionValidation.objects.select_for_update()
        .filter(submission_id=link.submission_id)
        .first()
    )
    if validation is None:
        return
    field = refusal_field(link.kind, error.message, error.errors)
    message = f"BioSamples refused it: {error.message}"
    finding = Finding.objects.filter(
        validation=validation, source="biosamples", field=field, message=message
    ).first()
    if finding is None:
        number = (
            validation.findings.order_by("-number").values_list("number", flat=True).first() or 0
        ) + 1
        finding = Finding.objects.create(
            validation=validation, number=number, severity="Error", field=field,
            message=message, source="biosamples",
        )  # fmt: skip
    result, _ = RecordResult.objects.get_or_create(
        kind=link.kind, record_id=link.record_id,
        defaults={"submission_id": link.submission_id, "status": "Error"},
    )  # fmt: skip
    if finding.number in result.findings:
        return  # refused alike before: counted already
    result.status = "Error"
    result.findings = [*result.findings, finding.number]
    result.save(update_fields=["status", "findings"])
    counted = "animals" if link.kind == registry.ANIMAL else "samples"
    Finding.objects.filter(pk=finding.pk).update(**{counted: F(counted) + 1})


task_runner_register(TaskKind.SUBMIT, submit_run)

# The sync (comparison, orphans, pull) lives in biosample.sync; its entry points stay
# importable from here. Imported last: biosample.sync reads this module's names.
from biosample.sync import (  # noqa: E402, F401
    submission_sync_start,
    submissions_sync_due,
    sync_run,
)
