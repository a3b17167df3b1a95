"""Soak test: gunicorn + PostgreSQL + Redis on loopback under readers and writers, with faults.

``make soak`` (or ``.venv/bin/python bench/soak.py``) builds its own PostgreSQL database
(``eurasia_soak``) from the seed, starts gunicorn on 127.0.0.1 (2 sync workers, DEBUG off,
REDIS_URL set), and for ``--duration`` seconds runs 64 reader threads over pages and the API and
4 writer threads that create, edit (PATCH) and delete membership spells through the API with a
token (a Reviewer's, so they go live), and 2 review threads in which an Editor edits a published,
cited spell (answered 202: only proposed) and a Reviewer approves or rejects the change set.
Mid-run it restarts PostgreSQL once and stops Redis for a while (``--no-faults`` skips both:
use it while others share the machine's PostgreSQL).

Afterwards it checks, through the database, that every write answered 2xx is there (and in
history) and that none answered with an error is; that every proposal answered 202 is a
change set, applied exactly when its approval answered 200 and never when rejected. It prints requests, statuses, p50/p99 and the
outage figures, and exits non-zero on a 500, a lost or phantom write, a 503 without Retry-After,
or a failed read while only Redis was down. Loopback only; every loop is bounded in time.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
HOST = "127.0.0.1"

PAGES = [
    "/",
    "/organizations/",
    "/organizations/sco/",
    "/organizations/brics/",
    "/countries/",
    "/countries/by/",
    "/compare/?organizations=sco,brics",
    "/search/?q=sco",
    "/sources/",
    "/quotes/",
    "/changes/",
    "/changes.atom",
]
API_READS = [
    "/api/v1/organizations/",
    "/api/v1/countries/",
    "/api/v1/memberships/?organization=sco",
    "/api/v1/memberships/?as_of=2020-01-01",
    "/api/v1/overlap/?organizations=sco,brics",
    "/api/v1/sources/?format=csv",
]


@dataclass
class Result:
    kind: str  # page, api, write
    started: float
    seconds: float
    status: int  # 0: no answer (connection refused, reset, timed out)
    retry_after: str | None = None


@dataclass
class Write:
    method: str
    spell_id: int | None
    status: int
    note: str
    at: float


@dataclass
class Proposal:
    """An Editor's edit of a published spell and the Reviewer's decision on it."""

    spell_id: int
    note: str
    status: int  # the Editor's PATCH: 202 proposed
    change_set: int | None = None
    decision: str = ""  # approve or reject
    decision_status: int = 0


@dataclass
class Run:
    results: list[Result] = field(default_factory=list)
    writes: list[Write] = field(default_factory=list)
    proposals: list[Proposal] = field(default_factory=list)
    events: list[tuple[float, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, result: Result):
        with self.lock:
            self.results.append(result)

    def event(self, started: float, text: str):
        with self.lock:
            self.events.append((time.monotonic() - started, text))
        print(f"  [{time.monotonic() - started:5.1f}s] {text}", flush=True)


def request(port, method, path, *, body=None, token=None, timeout=15.0):
    """One request on a fresh connection: (status, headers, body bytes); status 0 on no answer."""
    headers = {"X-Forwarded-Proto": "https", "Accept": "*/*"}
    payload = None
    if token:
        headers["Authorization"] = f"Token {token}"
    if body is not None:
        payload = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request(method, path, body=payload, headers=headers)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    except (OSError, http.client.HTTPException):
        return 0, {}, b""
    finally:
        connection.close()


def timed(run, port, kind, method, path, **kwargs):
    started = time.monotonic()
    status, headers, content = request(port, method, path, **kwargs)
    run.record(
        Result(kind, started, time.monotonic() - started, status, headers.get("Retry-After"))
    )
    return status, headers, content


def reader(run, port, deadline, seed):
    chooser = random.Random(seed)
    while time.monotonic() < deadline:
        if chooser.random() < 0.6:
            timed(run, port, "page", "GET", chooser.choice(PAGES))
        else:
            timed(run, port, "api", "GET", chooser.choice(API_READS))


def writer(run, port, deadline, number, token, organization, countries):
    """Create a spell, edit it, delete every third: distinct organization, so no overlaps."""
    count = 0
    while time.monotonic() < deadline:
        country = countries[count % len(countries)]
        year = 1800 + count // len(countries)
        note = f"soak w{number} n{count} created"
        body = {
            "organization": organization,
            "member_country": country,
            "status": "observer",
            "start": str(year),
            "end": str(year + 1),
            "note": note,
        }
        status, _, content = timed(
            run, port, "write", "POST", "/api/v1/memberships/", body=body, token=token
        )
        spell_id = json.loads(content)["id"] if status == 201 else None
        with run.lock:
            run.writes.append(Write("POST", spell_id, status, note, time.monotonic()))
        if spell_id is not None:
            note = f"soak w{number} n{count} edited"
            status, _, _ = timed(
                run,
                port,
                "write",
                "PATCH",
                f"/api/v1/memberships/{spell_id}/",
                body={"note": note, "qualifier": "soak"},
                token=token,
            )
            with run.lock:
                run.writes.append(Write("PATCH", spell_id, status, note, time.monotonic()))
            if count % 3 == 0:
                status, _, _ = timed(
                    run, port, "write", "DELETE", f"/api/v1/memberships/{spell_id}/", token=token
                )
                with run.lock:
                    run.writes.append(Write("DELETE", spell_id, status, "", time.monotonic()))
        count += 1


def review_loop(run, port, deadline, number, tokens, spells):
    """An Editor edits published spells (only proposed: 202); a Reviewer approves three in
    four and rejects the fourth, with a reason."""
    count = 0
    while time.monotonic() < deadline:
        spell_id = spells[count % len(spells)]
        note = f"soak r{number} n{count} proposed"
        status, _, content = timed(
            run,
            port,
            "write",
            "PATCH",
            f"/api/v1/memberships/{spell_id}/",
            body={"note": note},
            token=tokens["editor"],
        )
        proposal = Proposal(spell_id, note, status)
        if status == 202:
            proposal.change_set = json.loads(content)["change_set"]
            proposal.decision = "reject" if count % 4 == 3 else "approve"
            body = {"reason": "soak: not this one"} if proposal.decision == "reject" else {}
            proposal.decision_status, _, _ = timed(
                run,
                port,
                "write",
                "POST",
                f"/api/v1/reviews/{proposal.change_set}/{proposal.decision}/",
                body=body,
                token=tokens["reviewer"],
            )
        with run.lock:
            run.proposals.append(proposal)
        count += 1


# --- setup -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def environment(args, database_url) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DJANGO_SETTINGS_MODULE", "TESTING", "TEST_DATABASE_NAME")
    }
    env.update(
        DEBUG="0",
        TESTING="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=database_url,
        REDIS_URL=f"redis://{HOST}:{args.redis_port}/13",
        # The soak measures serving, not the throttles: every reader shares one address.
        API_THROTTLE_ANON="10000000/minute",
        API_THROTTLE_USER="10000000/minute",
        PAGE_THROTTLE_PER_MINUTE="0",
        PYTHONUNBUFFERED="1",
    )
    return env


def manage(env, *args, capture=False):
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=capture,
        text=True,
        timeout=600,
    )
    return result.stdout if capture else ""


SETUP_SHELL = """
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token
from orgs.models import Citation, Country, Membership, Organization, Source
user, _ = get_user_model().objects.get_or_create(username="soak-editor", defaults={{"is_staff": True}})
user.groups.add(Group.objects.get(name="Reviewer"))
slugs = []
for number in range({writers}):
    organization, _ = Organization.objects.get_or_create(
        slug=f"soak-writer-{{number}}", defaults={{"name": f"Soak writer {{number}}", "is_published": True}}
    )
    slugs.append(organization.slug)
countries = list(Country.objects.order_by("iso2").values_list("iso2", flat=True)[:40])
editor, _ = get_user_model().objects.get_or_create(username="soak-proposer", defaults={{"is_staff": True}})
editor.groups.add(Group.objects.get(name="Editor"))
source = Source.objects.create(title="Soak source", url="https://soak.example.org/", is_published=True)
reviewed = []
for number in range({reviewers}):
    organization, _ = Organization.objects.get_or_create(
        slug=f"soak-review-{{number}}", defaults={{"name": f"Soak review {{number}}", "is_published": True}}
    )
    spells = []
    for offset, iso2 in enumerate(countries[:10]):
        spell = Membership(organization=organization, member_country=Country.objects.get(iso2=iso2),
                           status="member", is_published=True, note="soak published")
        spell.start_partial = str(1700 + offset)
        spell.end_partial = str(1701 + offset)
        spell.full_clean()
        spell.save()
        Citation.objects.create(claim=spell, source=source, excerpt="soak")
        spells.append(spell.pk)
    reviewed.append(spells)
token = lambda someone: Token.objects.get_or_create(user=someone)[0].key
print("SETUP" + __import__("json").dumps({{"token": token(user), "organizations": slugs, "countries": countries, "review": {{"editor": token(editor), "reviewer": token(user)}}, "reviewed": reviewed}}))
"""


def setup_database(args, env):
    server = args.pg_server
    print(f"Creating database {args.database} on {server}…", flush=True)
    for sql in (
        f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)',
        f'CREATE DATABASE "{args.database}"',
    ):
        subprocess.run(["psql", f"{server}/postgres", "-qc", sql], check=True, timeout=60)
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "loaddata", "seed", "-v", "0")
    manage(env, "collectstatic", "--no-input", "-v", "0")
    output = manage(
        env,
        "shell",
        "-c",
        SETUP_SHELL.format(writers=args.writers, reviewers=args.reviews),
        capture=True,
    )
    return json.loads(output[output.index("SETUP") + 5 :])


def start_gunicorn(env, port, log):
    process = subprocess.Popen(
        [
            GUNICORN,
            "eurasia.wsgi:application",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            "2",
            "--no-control-socket",
            "--timeout",
            "30",
            "--graceful-timeout",
            "5",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if request(port, "GET", "/api/v1/countries/", timeout=2)[0] == 200:
            return process
        if process.poll() is not None:
            break
        time.sleep(0.3)
    process.terminate()
    raise SystemExit("gunicorn did not start: see the log")


# --- faults ----------------------------------------------------------------------------------


def restart_postgresql(args):
    version = args.pg_version or sorted(os.listdir("/etc/postgresql"))[-1]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, args.pg_cluster, "restart"],
        check=True,
        timeout=120,
    )


def stop_redis(args):
    subprocess.run(
        ["redis-cli", "-h", HOST, "-p", str(args.redis_port), "shutdown", "nosave"],
        timeout=30,
        capture_output=True,
    )


def start_redis(args):
    subprocess.run(
        [
            "redis-server",
            "--daemonize",
            "yes",
            "--bind",
            HOST,
            "--port",
            str(args.redis_port),
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        check=True,
        timeout=30,
    )


def faults(args, run, started, deadline, windows):
    """PostgreSQL restart at 30% of the run, Redis down from 55% to 75%."""
    duration = deadline - started

    def wait_until(fraction):
        while time.monotonic() < started + duration * fraction:
            time.sleep(0.05)

    if "postgresql" in args.faults:
        wait_until(0.30)
        begin = time.monotonic()
        run.event(started, "restarting PostgreSQL")
        restart_postgresql(args)
        windows["postgresql"] = (begin, time.monotonic())
        run.event(started, f"PostgreSQL back after {time.monotonic() - begin:.1f}s")
    if "redis" in args.faults:
        wait_until(0.55)
        begin = time.monotonic()
        run.event(started, "stopping Redis")
        stop_redis(args)
        wait_until(0.75)
        start_redis(args)
        windows["redis"] = (begin, time.monotonic())
        run.event(started, "Redis started again")


# --- verification ----------------------------------------------------------------------------


def verify_writes(run, env) -> list[str]:
    """Every 2xx write is in the database and in history; no errored write is."""
    os.environ.update({key: env[key] for key in ("DATABASE_URL", "SECRET_KEY", "DEBUG")})
    os.environ["DJANGO_SETTINGS_MODULE"] = "eurasia.settings"
    os.environ["REDIS_URL"] = ""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from orgs.models import Membership

    problems = []
    history = Membership.history.filter(note__startswith="soak w")
    notes_in_history = defaultdict(set)
    for spell_id, note, kind in history.values_list("id", "note", "history_type"):
        notes_in_history[note].add((spell_id, kind))
    live = {
        spell.pk: spell.note
        for spell in Membership.objects.filter(note__startswith="soak w").only("note")
    }
    by_spell = defaultdict(list)
    for write in run.writes:
        if write.spell_id is not None:
            by_spell[write.spell_id].append(write)
        elif write.method == "POST" and write.status != 0 and write.note in notes_in_history:
            problems.append(f"POST answered {write.status} but {write.note!r} was saved")
    for spell_id, writes in by_spell.items():
        deleted = any(w.method == "DELETE" and 200 <= w.status < 300 for w in writes)
        unknown = any(w.status == 0 for w in writes)
        ok_patches = [w for w in writes if w.method == "PATCH" and 200 <= w.status < 300]
        if (spell_id, "+") not in {(s, k) for s, k in notes_in_history[writes[0].note]}:
            problems.append(f"spell {spell_id}: created (201) but no creation in history")
        for patch in ok_patches:
            if (spell_id, "~") not in notes_in_history[patch.note]:
                problems.append(f"spell {spell_id}: PATCH 2xx not in history")
        for patch in writes:
            failed = patch.method == "PATCH" and patch.status >= 300
            if failed and (spell_id, "~") in notes_in_history[patch.note]:
                problems.append(f"spell {spell_id}: PATCH answered {patch.status} but was saved")
        if deleted:
            if spell_id in live:
                problems.append(f"spell {spell_id}: DELETE answered 2xx but the spell is there")
            continue
        if spell_id not in live:
            if not unknown:
                problems.append(f"spell {spell_id}: lost (created, never deleted with 2xx)")
            continue
        expected = ok_patches[-1].note if ok_patches else writes[0].note
        if live[spell_id] != expected and not unknown:
            problems.append(f"spell {spell_id}: note {live[spell_id]!r}, expected {expected!r}")
    return problems


def verify_proposals(run) -> list[str]:
    """Every 202 is a change set; approved (200) ones applied, rejected ones never, and no
    refused edit left a change set behind."""
    from orgs.models import ChangeSet, Membership, ProposedChange

    problems = []
    states = dict(ChangeSet.objects.values_list("pk", "state"))
    history = Membership.history.filter(note__contains=" proposed")
    applied = set(history.values_list("id", "note"))
    proposed_notes = {
        after.get("note") for after in ProposedChange.objects.values_list("after", flat=True)
    }
    # An Editor's edit of a record that already has their pending change joins that change
    # set: a set left pending by a lost decision may be decided with a later proposal.
    by_set = defaultdict(list)
    for proposal in run.proposals:
        if proposal.status == 202:
            by_set[proposal.change_set].append(proposal)
        elif proposal.status != 0 and proposal.note in proposed_notes:
            problems.append(f"proposal {proposal.note!r}: answered {proposal.status} but proposed")
    for change_set, proposals in by_set.items():
        state = states.get(change_set)
        if state is None:
            problems.append(f"change set {change_set}: answered 202, not in the database")
            continue
        decided = [p for p in proposals if 200 <= p.decision_status < 300]
        if decided:
            last = decided[-1]
            expected = "approved" if last.decision == "approve" else "rejected"
            if state != expected:
                problems.append(f"change set {change_set}: {last.decision} answered 200, {state}")
            if last.decision == "approve" and (last.spell_id, last.note) not in applied:
                problems.append(f"change set {change_set}: approved, {last.note!r} not applied")
            if last.decision == "reject" and any(
                (p.spell_id, p.note) in applied for p in proposals
            ):
                problems.append(f"change set {change_set}: rejected, yet applied")
        elif all(p.decision_status != 0 for p in proposals) and state != "pending":
            problems.append(f"change set {change_set}: no decision answered 2xx, yet {state}")
    return problems


def percentile(values, fraction):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def report(run, started, windows, problems) -> int:
    results = run.results
    failures = []
    print("\n=== soak results ===")
    duration = max((r.started + r.seconds for r in results), default=started) - started
    print(f"requests: {len(results)} in {duration:.0f}s ({len(results) / max(duration, 1):.0f}/s)")
    for kind in ("page", "api", "write"):
        subset = [r for r in results if r.kind == kind]
        latencies = [r.seconds * 1000 for r in subset if r.status]
        statuses = Counter(r.status for r in subset)
        print(
            f"  {kind:5}: {len(subset):6} requests, p50 {percentile(latencies, 0.5):6.0f} ms, "
            f"p99 {percentile(latencies, 0.99):6.0f} ms, statuses {dict(sorted(statuses.items()))}"
        )
    all_latencies = [r.seconds * 1000 for r in results if r.status]
    print(
        f"  all  : p50 {percentile(all_latencies, 0.5):.0f} ms, "
        f"p99 {percentile(all_latencies, 0.99):.0f} ms, "
        f"mean {statistics.fmean(all_latencies) if all_latencies else 0:.0f} ms"
    )
    print(
        f"errors by status: {dict(sorted(Counter(r.status for r in results if r.status >= 400 or r.status == 0).items()))}"
    )

    server_errors = [r for r in results if r.status == 500]
    if server_errors:
        failures.append(f"{len(server_errors)} answers were 500")
    no_retry = [r for r in results if r.status == 503 and not r.retry_after]
    if no_retry:
        failures.append(f"{len(no_retry)} answers were 503 without Retry-After")

    if "postgresql" in windows:
        begin, end = windows["postgresql"]
        # Answers in flight at any moment of the restart (a request may wait seconds first).
        during = [r for r in results if r.started <= end + 1 and r.started + r.seconds >= begin - 1]
        outside = [r for r in results if r.status == 503 and r not in during]
        print(f"  503 outside the planned outage: {len(outside)}")
        if outside:
            failures.append(f"{len(outside)} answers were 503 outside the planned outage")
        print(
            f"PostgreSQL restart: {end - begin:.1f}s; answers around it "
            f"{dict(sorted(Counter(r.status for r in during).items()))}"
        )
        recovered = [r for r in results if r.started > end and r.kind != "write"]
        recovered = sorted(recovered, key=lambda r: r.started)
        first_ok = next((r for r in recovered if r.status == 200), None)
        later_503 = [r for r in recovered if r.status == 503 and r.started > end + 10]
        if first_ok:
            print(f"  first 200 {first_ok.started - end:.2f}s after PostgreSQL was back")
        if later_503:
            failures.append(f"{len(later_503)} reads still 503 10s after PostgreSQL was back")
    if "redis" in windows:
        begin, end = windows["redis"]
        during = [r for r in results if begin <= r.started <= end and r.kind != "write"]
        bad = [r for r in during if r.status != 200]
        print(
            f"Redis down {end - begin:.1f}s: {len(during)} reads, "
            f"{len(bad)} not 200 {dict(Counter(r.status for r in bad))}"
        )
        if bad:
            failures.append(f"{len(bad)} reads failed while only Redis was down")

    writes = Counter((w.method, w.status) for w in run.writes)
    print(f"writes: {dict(sorted(writes.items()))}")
    proposals = Counter(
        (p.status, p.decision, p.decision_status) for p in run.proposals if p.status == 202
    )
    print(
        f"review: {len(run.proposals)} Editor edits of published spells, "
        f"{sum(p.status == 202 for p in run.proposals)} proposed (202); "
        f"decisions (PATCH, decision, answer): {dict(sorted(proposals.items()))}; "
        f"other answers: {dict(Counter(p.status for p in run.proposals if p.status != 202))}"
    )
    print(f"lost or phantom writes: {len(problems)}")
    for problem in problems[:20]:
        print(f"  {problem}")
    failures += problems[:1] and [f"{len(problems)} lost or phantom writes"]
    for text in failures:
        print(f"FAIL: {text}")
    print("soak: " + ("FAILED" if failures else "passed"))
    return 1 if failures else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--readers", type=int, default=64)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument(
        "--reviews", type=int, default=2, help="Editor-proposes, Reviewer-decides threads"
    )
    parser.add_argument("--no-faults", action="store_true", help="no PostgreSQL or Redis fault")
    parser.add_argument(
        "--faults", default="postgresql,redis", help="which faults: postgresql,redis"
    )
    parser.add_argument("--database", default="eurasia_soak")
    parser.add_argument("--pg-server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--pg-version", default="", help="default: the one in /etc/postgresql")
    parser.add_argument("--pg-cluster", default="main")
    parser.add_argument("--redis-port", type=int, default=6379)
    args = parser.parse_args(argv)
    if not args.pg_server.startswith(("postgres://postgres@127.", "postgres://postgres@localhost")):
        parser.error("the soak runs on loopback only")
    args.faults = set() if args.no_faults else set(args.faults.split(","))
    args.duration = min(args.duration, 600)  # bounded, whatever is asked

    env = environment(args, f"{args.pg_server}/{args.database}")
    if subprocess.run(
        ["redis-cli", "-p", str(args.redis_port), "ping"], capture_output=True
    ).returncode:
        start_redis(args)
    setup = setup_database(args, env)
    port = free_port()
    log_path = ROOT / "test-artifacts" / "soak-gunicorn.log"
    log_path.parent.mkdir(exist_ok=True)
    run, windows = Run(), {}
    with open(log_path, "w") as log:
        server = start_gunicorn(env, port, log)
        try:
            print(
                f"gunicorn on {HOST}:{port}: {args.readers} readers, {args.writers} writers, "
                f"{args.duration:.0f}s, faults: {', '.join(sorted(args.faults)) or 'none'}",
                flush=True,
            )
            started = time.monotonic()
            deadline = started + args.duration
            threads = (
                [
                    threading.Thread(target=reader, args=(run, port, deadline, n), daemon=True)
                    for n in range(args.readers)
                ]
                + [
                    threading.Thread(
                        target=writer,
                        args=(
                            run,
                            port,
                            deadline,
                            n,
                            setup["token"],
                            setup["organizations"][n],
                            setup["countries"],
                        ),
                        daemon=True,
                    )
                    for n in range(args.writers)
                ]
                + [
                    threading.Thread(
                        target=review_loop,
                        args=(run, port, deadline, n, setup["review"], setup["reviewed"][n]),
                        daemon=True,
                    )
                    for n in range(args.reviews)
                ]
            )
            if args.faults:
                threads.append(
                    threading.Thread(
                        target=faults, args=(args, run, started, deadline, windows), daemon=True
                    )
                )
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=args.duration + 180)
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
            if (
                "redis" in args.faults
                and subprocess.run(
                    ["redis-cli", "-p", str(args.redis_port), "ping"], capture_output=True
                ).returncode
            ):
                start_redis(args)
    problems = verify_writes(run, env) + verify_proposals(run)
    return report(run, started, windows, problems)


if __name__ == "__main__":
    sys.exit(main())
