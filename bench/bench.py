"""The benchmark behind ``make bench``: the atlas against its floor and against Datasette.

    make bench                                    # scale 1, 3 runs of 5 s a URL: ~10 minutes
    BENCH_SCALE=10 make bench                     # ten times the data: about 25 minutes
    BENCH_SCALE=0.05 BENCH_RUNS=1 BENCH_SECONDS=3 make bench   # a quick end-to-end check
    python bench/bench.py --report                # rewrite the report from the saved runs
    python bench/bench.py --invalidation          # measure the invalidation figure again
    python bench/bench.py --growth                # single requests at the smallest and largest

It builds a PostgreSQL database (``eurasia_bench``) and an SQLite copy of the same data (the seed
fixture, then ``generate_atlas`` with the same scale and seed), serves the first with gunicorn
(2 sync workers, DEBUG off, Redis cache) and the second with Datasette (from its own virtualenv,
``bench/.venv``) answering the same questions as canned queries (``bench/datasette.yaml``), then
drives every URL with wrk on 127.0.0.1 for a fixed time at one concurrency, in three runs (the
median is reported), cached (the same URL again and again) and uncached (the same URL to a second gunicorn with every cache off,
``bench/uncached_settings.py``). It prints requests/s, p50 and p99 with the ratios to the floor
(``/healthz``: a trivial view through the same stack) and to Datasette, keeps them in
``bench/.work/results-scale-<scale>.json``, and writes ``docs/benchmarks.md`` with the last run
of every scale side by side and how each uncached answer's time grew from the smallest scale to
the largest. What is written below the notes marker there is kept from run to run.

It starts PostgreSQL and Redis if they are down, installs wrk (Debian) if missing, and stops
every process it started when it ends, however it ends. Only loopback addresses are used.

Settings (environment): BENCH_SCALE (1), BENCH_SEED (1), BENCH_SECONDS (5), BENCH_RUNS (3), BENCH_CONNECTIONS
(16), BENCH_THREADS (2), BENCH_AS_OF (2025-07-01), BENCH_DATABASE (eurasia_bench),
BENCH_PG (postgres://postgres@127.0.0.1:5432), BENCH_REDIS_DB (1: flushed before each run),
BENCH_PORT (8701), BENCH_DATASETTE_PORT (8702), BENCH_UNCACHED_PORT (8703), BENCH_FLOOR (/healthz), BENCH_REUSE (0; 1 keeps
the databases of the previous run when scale, seed, generator, seed fixture and migrations are
unchanged), BENCH_OUTPUT (docs/benchmarks.md).
"""

from __future__ import annotations

import ast
import datetime
import hashlib
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import invalidation  # bench/invalidation.py, beside this script

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
WORK = BENCH / ".work"  # databases, logs, the reuse stamp (not committed)
BENCH_VENV = BENCH / ".venv"  # Datasette's own environment (not committed)
PYTHON = ROOT / ".venv" / "bin" / "python"
NOTES_MARKER = "<!-- notes: everything below this line is kept by bench/bench.py -->"


def env(name: str, default: str) -> str:
    value = os.environ.get(name, "").strip()
    return value or default


SCALE = float(env("BENCH_SCALE", "1"))
SEED = int(env("BENCH_SEED", "1"))
SECONDS = int(env("BENCH_SECONDS", "5"))
RUNS = int(env("BENCH_RUNS", "3"))  # every URL measured once per run; the median is reported
CONNECTIONS = int(env("BENCH_CONNECTIONS", "16"))
THREADS = int(env("BENCH_THREADS", "2"))
AS_OF = env("BENCH_AS_OF", "2025-07-01")
DATABASE = env("BENCH_DATABASE", "eurasia_bench")
PG = env("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
REDIS_DB = int(env("BENCH_REDIS_DB", "1"))
PORT = int(env("BENCH_PORT", "8701"))
DATASETTE_PORT = int(env("BENCH_DATASETTE_PORT", "8702"))
UNCACHED_PORT = int(env("BENCH_UNCACHED_PORT", "8703"))  # the app with its caches off
FLOOR = env("BENCH_FLOOR", "/healthz")
REUSE = env("BENCH_REUSE", "0") == "1"
OUTPUT = ROOT / env("BENCH_OUTPUT", "docs/benchmarks.md")
SQLITE = WORK / "atlas.sqlite3"

CACHED_TARGET = 0.7  # × floor, every cached URL
UNCACHED_TARGET = 0.05  # × floor, the uncached home, SCO, compare and country pages
LARGEST_TARGET = 0.02  # × floor, the uncached largest synthetic profile (it may page its lists)
DATASETTE_TARGET = 1.0  # × Datasette, the uncached API answers
CACHED_DATASETTE_TARGET = 3.0  # × Datasette, the cached API answers


@dataclass
class Case:
    name: str
    path: str
    cached: bool | None  # None: neither (the floor, Datasette)
    server: str = "app"  # or "datasette"
    floor_target: float | None = None
    datasette: str | None = None  # the name of the Datasette case answering the same question
    result: dict = field(default_factory=dict)


def cases() -> list[Case]:
    members = f"/api/v1/memberships/?organization=sco&as_of={AS_OF}"
    overlap = f"/api/v1/overlap/?organizations=sco,brics,eaeu&as_of={AS_OF}"
    largest = f"/api/v1/memberships/?organization=org-00001&as_of={AS_OF}"
    ds_members = "/atlas/memberships_as_of.json?organization={}&as_of=" + AS_OF
    pages = [
        ("home", "/", UNCACHED_TARGET),
        ("SCO profile", "/organizations/sco/", UNCACHED_TARGET),
        ("compare of 3", "/compare/?organizations=sco,brics,eaeu", UNCACHED_TARGET),
        ("country profile", "/countries/by/", UNCACHED_TARGET),
        ("largest synthetic profile", "/organizations/org-00001/", LARGEST_TARGET),
    ]
    api = [
        ("API memberships (SCO)", members, "Datasette memberships (SCO)"),
        ("API overlap of 3", overlap, "Datasette overlap of 3"),
        ("API memberships (org-00001)", largest, "Datasette memberships (org-00001)"),
    ]
    result = [Case("floor", FLOOR, None)]
    for name, path, uncached_target in pages:
        result.append(Case(name, path, True, floor_target=CACHED_TARGET))
        result.append(Case(name, path, False, floor_target=uncached_target))
    for name, path, datasette in api:
        result.append(Case(name, path, True, floor_target=CACHED_TARGET, datasette=datasette))
        result.append(Case(name, path, False, datasette=datasette))
    result += [
        Case("Datasette memberships (SCO)", ds_members.format("sco"), None, "datasette"),
        Case(
            "Datasette overlap of 3",
            f"/atlas/overlap.json?first=sco&second=brics&third=eaeu&as_of={AS_OF}",
            None,
            "datasette",
        ),
        Case(
            "Datasette memberships (org-00001)", ds_members.format("org-00001"), None, "datasette"
        ),
    ]
    return result


# --- processes -----------------------------------------------------------------------------

started: list[subprocess.Popen] = []
stop_commands: list[list[str]] = []


def log(message: str):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def run(command: list, *, env_extra: dict | None = None, log_name: str | None = None, **kwargs):
    """Run a command to completion; its output goes to a log file under bench/.work/."""
    environment = {**os.environ, **(env_extra or {})}
    if log_name:
        with open(WORK / f"{log_name}.log", "a") as output:
            completed = subprocess.run(
                [str(part) for part in command],
                env=environment,
                stdout=output,
                stderr=subprocess.STDOUT,
                cwd=ROOT,
                **kwargs,
            )
        if completed.returncode:
            tail = (WORK / f"{log_name}.log").read_text()[-2000:]
            raise SystemExit(f"{' '.join(map(str, command))} failed:\n{tail}")
        return completed
    return subprocess.run(
        [str(part) for part in command], env=environment, cwd=ROOT, check=True, **kwargs
    )


def output_of(command: list) -> str:
    try:
        completed = subprocess.run(
            [str(part) for part in command], capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return (completed.stdout or completed.stderr).strip()


def start(command: list, *, env_extra: dict, log_name: str) -> subprocess.Popen:
    """Start a long-running process in its own session, so it can be stopped with its children."""
    output = open(WORK / f"{log_name}.log", "a")  # noqa: SIM115 (kept open for the process)
    process = subprocess.Popen(
        [str(part) for part in command],
        env={**os.environ, **env_extra},
        stdout=output,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
        start_new_session=True,
    )
    started.append(process)
    return process


def stop_everything():
    for process in reversed(started):
        if process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                continue
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
    started.clear()
    for command in stop_commands:
        subprocess.run(command, check=False, capture_output=True)
    stop_commands.clear()


def on_signal(signum, frame):
    raise SystemExit(f"stopped by signal {signum}")


def listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def wait_for(url: str, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=5)
            return
        except urllib.error.HTTPError:
            return  # it answers, even if not 200
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within {seconds:.0f} s")


# --- services and tools --------------------------------------------------------------------


def ensure_wrk():
    if shutil.which("wrk"):
        return
    log("installing wrk (Debian)")
    apt = ["apt-get", "install", "-y", "-q", "wrk"]
    if subprocess.run(apt, capture_output=True).returncode:
        run(["apt-get", "update", "-q"], log_name="apt")
        run(apt, log_name="apt")


def ensure_postgresql():
    if subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432"]).returncode == 0:
        return
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    log(f"starting PostgreSQL {version}")
    cluster = ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main"]
    run([*cluster, "start"])
    stop_commands.append([*cluster, "stop"])
    for _ in range(50):
        if subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"]).returncode == 0:
            return
        time.sleep(0.2)
    raise SystemExit("PostgreSQL did not start")


def ensure_redis():
    if listening(6379):
        return
    if not shutil.which("redis-server"):
        run(["apt-get", "install", "-y", "-q", "redis-server"], log_name="apt")
    log("starting Redis")
    start(
        [
            "redis-server",
            "--bind",
            "127.0.0.1",
            "--port",
            "6379",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        env_extra={},
        log_name="redis",
    )
    for _ in range(50):
        if listening(6379):
            return
        time.sleep(0.1)
    raise SystemExit("Redis did not start")


def ensure_datasette():
    stamp = BENCH_VENV / ".installed"
    requirements = BENCH / "requirements.txt"
    if stamp.exists() and stamp.stat().st_mtime >= requirements.stat().st_mtime:
        return
    log("installing Datasette into bench/.venv")
    if not (BENCH_VENV / "bin" / "python").exists():
        run(["python3", "-m", "venv", BENCH_VENV])
    run(
        [BENCH_VENV / "bin" / "python", "-m", "pip", "install", "-q", "-r", requirements],
        log_name="pip",
    )
    stamp.touch()


def flush_cache():
    subprocess.run(
        ["redis-cli", "-h", "127.0.0.1", "-p", "6379", "-n", str(REDIS_DB), "flushdb"],
        check=True,
        capture_output=True,
    )


# --- data ----------------------------------------------------------------------------------


def app_env(database_url: str) -> dict:
    return {
        "DEBUG": "0",
        "SECRET_KEY": SECRET_KEY,
        "DATABASE_URL": database_url,
        "REDIS_URL": f"redis://127.0.0.1:6379/{REDIS_DB}",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        # Every wrk request comes from 127.0.0.1: one throttle key for all of them. Keep its
        # window to a second so the list of timestamps DRF keeps per client stays short.
        # DRF's user throttle also counts anonymous callers by address: raise both.
        "API_THROTTLE_ANON": "1000000/second",
        "API_THROTTLE_USER": "1000000/second",
        "TESTING": "0",
    }


def stamp() -> str:
    parts = [
        f"{SCALE}:{SEED}",
        (ROOT / "orgs/management/commands/generate_atlas.py").read_text(),
        (ROOT / "fixtures/seed.json").read_text(),
        " ".join(sorted(path.name for path in (ROOT / "orgs/migrations").glob("0*.py"))),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def build(database_url: str, label: str) -> float:
    """Migrate, load the seed, generate the atlas; returns generate_atlas's seconds."""
    environment = app_env(database_url)
    manage = [PYTHON, "manage.py"]
    run([*manage, "migrate", "--no-input", "-v0"], env_extra=environment, log_name=f"build-{label}")
    run([*manage, "loaddata", "seed", "-v0"], env_extra=environment, log_name=f"build-{label}")
    began = time.monotonic()
    run(
        [*manage, "generate_atlas", "--scale", SCALE, "--seed", SEED, "--force"],
        env_extra=environment,
        log_name=f"build-{label}",
    )
    return time.monotonic() - began


def build_databases() -> dict:
    stamp_file = WORK / "stamp.json"
    current = stamp()
    if REUSE and stamp_file.exists() and SQLITE.exists():
        saved = json.loads(stamp_file.read_text())
        if saved.get("stamp") == current:
            log("reusing the databases of the previous run (BENCH_REUSE=1)")
            return saved["timings"]
    admin = f"{PG}/postgres"
    log(f"PostgreSQL database {DATABASE}: migrate, seed, generate_atlas --scale {SCALE:g}")
    run(["psql", admin, "-q", "-c", f"DROP DATABASE IF EXISTS {DATABASE}"], log_name="psql")
    run(["psql", admin, "-q", "-c", f"CREATE DATABASE {DATABASE}"], log_name="psql")
    timings = {"postgresql": build(f"{PG}/{DATABASE}", "postgresql")}
    run(["psql", f"{PG}/{DATABASE}", "-q", "-c", "VACUUM ANALYZE"], log_name="psql")
    log(f"SQLite copy for Datasette: {SQLITE.relative_to(ROOT)}")
    SQLITE.unlink(missing_ok=True)
    timings["sqlite"] = build(f"sqlite:///{SQLITE}", "sqlite")
    run([PYTHON, "-c", f"import sqlite3; sqlite3.connect({str(SQLITE)!r}).execute('ANALYZE')"])
    stamp_file.write_text(json.dumps({"stamp": current, "timings": timings}))
    return timings


# --- measuring -----------------------------------------------------------------------------


def probe(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def milliseconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]


def wrk(url: str) -> dict:
    command = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency"]
    # As browsers and HTTP libraries do: the page cache sends its stored gzipped body as it is.
    command += ["-H", f"Accept-Encoding: {ACCEPT_ENCODING}", "--timeout", "10s", url]
    text = subprocess.run(command, capture_output=True, text=True, timeout=SECONDS + 60).stdout
    with open(WORK / "wrk.log", "a") as wrk_log:
        wrk_log.write(f"$ {' '.join(command)}\n{text}\n")
    rate = re.search(r"Requests/sec:\s+([\d.]+)", text)
    if not rate:
        return {"error": "wrk: no result"}
    if not float(rate.group(1)):
        return {"error": f"no answer within {SECONDS} s"}
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", text, re.MULTILINE))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    errors = re.search(r"Socket errors: (.*)", text)
    return {
        "rps": float(rate.group(1)),
        "p50": milliseconds(latency["50"]),
        "p99": milliseconds(latency["99"]),
        "non_2xx": int(bad.group(1)) if bad else 0,
        "socket_errors": errors.group(1).strip() if errors else "",
    }


ACCEPT_ENCODING = "gzip, deflate"


def median_result(results: list[dict]) -> dict:
    """The run with the median requests/s (the lower middle of an even count), with every run's
    requests/s beside it; an error in any run is reported instead."""
    failed = [result for result in results if "rps" not in result]
    if failed:
        return failed[0]
    ordered = sorted(results, key=lambda result: result["rps"])
    return {**ordered[(len(ordered) - 1) // 2], "runs": [result["rps"] for result in results]}


def drain(base: str, seconds: float = 120):
    """Wait until the server has worked off the requests wrk left queued when it stopped.

    A sync worker finishes every request in its backlog even after the client is gone; a
    slow URL would otherwise slow the next one down. Idle means two quick answers in a row.
    """
    deadline, quick = time.monotonic() + seconds, 0
    while time.monotonic() < deadline and quick < 2:
        began = time.monotonic()
        probe(base + FLOOR)
        quick = quick + 1 if time.monotonic() - began < 0.5 else 0


def measure(case: Case):
    port = PORT if case.cached is not False else UNCACHED_PORT
    base = f"http://127.0.0.1:{port if case.server == 'app' else DATASETTE_PORT}"
    url = base + case.path
    if case.server == "app":
        flush_cache()
    status = probe(url)  # also warms the cache for a cached run
    if status != 200:
        case.result = {"error": f"HTTP {status}" if status else "no answer"}
    else:
        case.result = wrk(url)
        drain(base)
    shown = case.result.get("rps", case.result.get("error"))
    log(f"{case.name} ({mode(case)}): {shown}")


# --- report --------------------------------------------------------------------------------


def mode(case: Case) -> str:
    return {True: "cached", False: "uncached", None: "—"}[case.cached]


def ratio(numerator: dict, denominator: dict) -> float | None:
    """The median of the runs' ratios, each of two figures measured in the same run (the
    machine's load moves both); the ratio of the two figures for a run without runs."""
    if "rps" not in numerator or not denominator.get("rps"):
        return None
    tops, bottoms = numerator.get("runs"), denominator.get("runs")
    if tops and bottoms and len(tops) == len(bottoms) and all(bottoms):
        return statistics.median(top / bottom for top, bottom in zip(tops, bottoms, strict=True))
    return numerator["rps"] / denominator["rps"]


def verdict(against: str, value: float | None, target: float) -> str:
    outcome = "n/a" if value is None else "met" if value >= target else "MISSED"
    return f"{against} ≥ {target:g}×: {outcome}"


def figure(value: float | None) -> str:
    """A ratio with two significant digits below 0.1 (0.0041×), else two decimals."""
    if value is None:
        return ""
    return f"{value:.2g}" if value < 0.1 else f"{value:.2f}"


def table(all_cases: list[Case]) -> str:
    by_name = {(case.name, case.server): case for case in all_cases}
    floor = all_cases[0].result
    header = (
        "| what | mode | URL | req/s | p50 ms | p99 ms | × floor | × Datasette | target |\n"
        "|---|---|---|---:|---:|---:|---:|---:|---|\n"
    )
    rows = []
    for case in all_cases:
        result = case.result
        to_floor = (
            ratio(result, floor) if case.server == "app" and case is not all_cases[0] else None
        )
        to_datasette = None
        targets = []
        if case.floor_target is not None:
            targets.append(verdict("floor", to_floor, case.floor_target))
        if case.datasette:
            to_datasette = ratio(result, by_name[(case.datasette, "datasette")].result)
            wanted = DATASETTE_TARGET if case.cached is False else CACHED_DATASETTE_TARGET
            targets.append(verdict("Datasette", to_datasette, wanted))
        if "rps" in result:
            numbers = f"{result['rps']:,.0f} | {result['p50']:.1f} | {result['p99']:.1f}"
            if result["non_2xx"] or result["socket_errors"]:
                numbers += f" (non-2xx {result['non_2xx']}; {result['socket_errors']})"
        else:
            numbers = f"{result.get('error', 'not run')} | | "
        rows.append(
            f"| {case.name} | {mode(case)} | `{case.path}` | {numbers} | "
            f"{figure(to_floor)} | {figure(to_datasette)} | {'; '.join(targets)} |"
        )
    return header + "\n".join(rows) + "\n"


def machine() -> dict:
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model = re.search(r"model name\s*:\s*(.*)", cpuinfo)
    memory = re.search(r"MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text())
    return {
        "cores": str(os.cpu_count()),
        "memory": f"{int(memory.group(1)) / 1024 / 1024:.1f} GiB" if memory else "?",
        "cpu": model.group(1).strip() if model else platform.processor() or "?",
        "os": platform.platform(),
    }


def version_in(text: str) -> str:
    """The first version number in a tool's --version answer: "gunicorn (version 27.0.1)"."""
    found = re.search(r"\d+(\.\d+)+\S*", text)
    return found.group(0).rstrip(")") if found else "?"


def versions() -> dict:
    django = output_of([PYTHON, "-c", "import django; print(django.get_version())"])
    python = output_of([PYTHON, "-c", "import platform; print(platform.python_version())"])
    redis = re.search(
        r"redis_version:(\S+)", output_of(["redis-cli", "-h", "127.0.0.1", "info", "server"])
    )
    return {
        "Python": python,
        "Django": django,
        "PostgreSQL": output_of(["psql", f"{PG}/postgres", "-tAc", "show server_version"]),
        "Redis": redis.group(1) if redis else "?",
        "gunicorn": version_in(output_of([ROOT / ".venv/bin/gunicorn", "--version"])),
        "wrk": version_in(output_of(["wrk", "-v"])),
        "Datasette": version_in(output_of([BENCH_VENV / "bin/datasette", "--version"])),
        "SQLite (Datasette)": output_of(
            [BENCH_VENV / "bin/python", "-c", "import sqlite3; print(sqlite3.sqlite_version)"]
        ),
    }


def edit_spell(qualifier: str) -> str:
    """Save the bench's spell with this qualifier through the app; the one it had."""
    completed = run(
        [PYTHON, "manage.py", "shell", "-v0", "-c", invalidation.edit_script(qualifier)],
        env_extra=app_env(f"{PG}/{DATABASE}"),
        capture_output=True,
        text=True,
    )
    previous = [line for line in completed.stdout.splitlines() if line.startswith("previous: ")]
    return ast.literal_eval(previous[-1].removeprefix("previous: "))


def measure_invalidation() -> dict:
    flush_cache()
    result = invalidation.measure(f"http://127.0.0.1:{PORT}", AS_OF, edit_spell)
    log(f"invalidation: {result['hits']}/{result['unrelated']} unrelated URLs still hits")
    return result


def results_file(scale: float) -> Path:
    return WORK / f"results-scale-{scale:g}.json"


def save_results(all_cases: list[Case], timings: dict, began: float, load: list, edited: dict):
    """What a run measured, kept under bench/.work/ so the report can set scales side by side."""
    results_file(SCALE).write_text(
        json.dumps(
            {
                "scale": SCALE,
                "seconds": SECONDS,
                "runs": RUNS,
                "database": DATABASE,
                "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
                "took": time.monotonic() - began,
                "timings": timings,
                "load": load,
                "edited": edited,
                "cases": [
                    {"name": c.name, "server": c.server, "cached": c.cached, "result": c.result}
                    for c in all_cases
                ],
            },
            indent=1,
        )
    )


def saved_runs() -> list[dict]:
    """Every scale's last run (``bench/.work/results-scale-*.json``), smallest scale first."""
    runs = [json.loads(path.read_text()) for path in WORK.glob("results-scale-*.json")]
    return sorted(runs, key=lambda run: run["scale"])


def cases_of(run: dict) -> list[Case]:
    """The bench's cases with what ``run`` measured for each."""
    measured = {(c["name"], c["server"], c["cached"]): c["result"] for c in run["cases"]}
    result = cases()
    for case in result:
        case.result = measured.get((case.name, case.server, case.cached), {})
    return result


def single_growth(small: dict, large: dict) -> str:
    """The growth table from single requests timed back to back (``--growth``)."""
    rows = []
    for name, before in small["single"].items():
        after = large["single"].get(name)
        grown = f"{after / before:.2f}×" if before and after else ""
        target = " (target < 2×)" if name != "home" else ""
        shown = [f"{value:,.0f}" if value else "no answer" for value in (before, after)]
        rows.append(f"| {name} | {shown[0]} | {shown[1]} | {grown}{target} |")
    return (
        f"### Growth of the uncached answers from scale {small['scale']:g} to "
        f"{large['scale']:g} ({large['scale'] / small['scale']:g}× the data)\n\n"
        "One uncached request at a time to one gunicorn worker with every cache off, the fastest "
        "of five after a first, on each scale's database one right after the other "
        f"(`bench/bench.py --growth`; load average {small['single_load']:.2f} and "
        f"{large['single_load']:.2f}). Pages about one organization should grow less than 2×.\n\n"
        f"| what | ms at {small['scale']:g} | ms at {large['scale']:g} | growth |\n"
        "|---|---:|---:|---:|\n" + "\n".join(rows) + "\n"
    )


def growth(runs: list[dict]) -> str:
    """How each uncached answer's time grew from the smallest scale to the largest: the ratio
    of their requests/s as shares of each run's floor, so that a run on a busier machine (a
    lower floor) does not pass for growth."""
    if len(runs) < 2:
        return ""
    small, large = runs[0], runs[-1]
    if "single" in small and "single" in large:
        return single_growth(small, large)
    times = large["scale"] / small["scale"]
    rows = []
    small_cases, large_cases = cases_of(small), cases_of(large)
    floors = small_cases[0].result, large_cases[0].result
    for before, after in zip(small_cases, large_cases, strict=True):
        if before.cached is not False:
            continue
        shares = ratio(before.result, floors[0]), ratio(after.result, floors[1])
        grown = shares[0] / shares[1] if shares[0] and shares[1] else None
        target = " (target < 2×)" if before.name != "home" else ""
        rows.append(
            f"| {before.name} | {rps(before.result)} ({figure(shares[0])}×) | "
            f"{rps(after.result)} ({figure(shares[1])}×) | "
            f"{'' if grown is None else f'{grown:.2f}×'}{target} |"
        )
    return (
        f"### Growth of the uncached answers from scale {small['scale']:g} to "
        f"{large['scale']:g} ({times:g}× the data)\n\n"
        f"Time per request at scale {large['scale']:g} over time per request at scale "
        f"{small['scale']:g}, each as a share of its own run's floor (in brackets), since the "
        "two runs met different loads. Pages about one organization should grow less than 2×. "
        "The notes below give single requests timed back to back.\n\n"
        f"| what | req/s at {small['scale']:g} (× floor) | req/s at {large['scale']:g} "
        "(× floor) | growth |\n"
        "|---|---:|---:|---:|\n" + "\n".join(rows) + "\n"
    )


def rps(result: dict) -> str:
    return f"{result['rps']:,.1f}" if "rps" in result else result.get("error", "not run")


def run_section(run: dict) -> str:
    timings, load = run["timings"], run["load"]
    busy = (
        " (the machine was shared with other work: compare the ratios, which were measured side "
        "by side, not the requests/s with another run's)"
        if max(load) > 1.0
        else ""
    )
    return f"""## Scale {run["scale"]:g}

Measured {run["date"]} ({run.get("runs", 1)} runs of {run["seconds"]} s a URL, the median shown;
the whole took {run["took"]:.0f} s).
`generate_atlas --scale {run["scale"]:g}` took {timings["postgresql"]:.1f} s on PostgreSQL and
{timings["sqlite"]:.1f} s on SQLite. Load average (1 min): {load[0]:.2f} before the runs,
{load[1]:.2f} after them{busy}.

{table(cases_of(run))}
{invalidation.report(run["edited"])}
"""


def write_report():
    """docs/benchmarks.md: every scale measured so far, the growth between them, the notes."""
    runs = saved_runs()
    kept = ""
    if OUTPUT.exists() and NOTES_MARKER in OUTPUT.read_text():
        kept = OUTPUT.read_text().split(NOTES_MARKER, 1)[1].lstrip("\n")
    host, tool_versions = machine(), versions()
    scales = " and ".join(f"{run['scale']:g}" for run in runs)
    text = f"""# Benchmarks

Written by `make bench` (`bench/bench.py`): the tables of its last run at each scale
({scales}; `BENCH_SCALE=10 make bench` measures scale 10, and each run rewrites the whole file
from the results kept in `bench/.work/`). Notes go below the marker at the end.

- **Data**: the seed fixture plus `generate_atlas --scale N --seed {SEED}`, in PostgreSQL for
  the app and in an SQLite copy for Datasette. Scale 1 is 600 organizations and 60,000 spells.
- **App**: gunicorn, 2 sync workers, `--no-control-socket`, DEBUG off, Redis cache (flushed
  before each URL), PostgreSQL over 127.0.0.1.
- **Datasette**: one process, `--immutable` SQLite file, canned queries from
  `bench/datasette.yaml` written to answer the same question as the API URL beside them.
- **Load**: wrk, {THREADS} threads, {CONNECTIONS} connections, a fixed time per URL, on
  127.0.0.1, every request with `Accept-Encoding: {ACCEPT_ENCODING}` as browsers and HTTP
  libraries send it; the server works off what wrk left queued before the next URL. Each run
  measures every URL once in turn; req/s is the median run's, and each ratio the median of the
  {RUNS} runs' ratios (each of two figures measured in the same run). *Cached*: the same
  URL every time (one request first warms the cache). *Uncached*: the same URL to a second
  gunicorn (same workers and database) whose settings switch every cache off
  (`bench/uncached_settings.py`), so each request does the work of a miss. A URL that does not
  answer 200 is reported, not measured.
- **Targets**: cached ≥ {CACHED_TARGET}× the floor's requests/s; uncached home, SCO
  profile, compare and country profile ≥ {UNCACHED_TARGET}× the floor, the largest synthetic
  profile (`org-00001`) ≥ {LARGEST_TARGET}×; API answers ≥ {DATASETTE_TARGET}× Datasette
  answering the same SQL uncached and ≥ {CACHED_DATASETTE_TARGET}× cached (a stretch for
  overlap), judged on the median of {RUNS} runs.

**Machine**: {host["cores"]} cores, {host["memory"]}, {host["cpu"]}; {host["os"]}. The load
generator, both app servers, Datasette and PostgreSQL share these cores.

**Versions**: {", ".join(f"{name} {version}" for name, version in tool_versions.items())}.

{"".join(run_section(run) for run in runs)}
{growth(runs)}
{NOTES_MARKER}

{kept}"""
    OUTPUT.write_text(text.rstrip() + "\n")


# --- main ----------------------------------------------------------------------------------


def serve():
    log(f"gunicorn on 127.0.0.1:{PORT}; Datasette on 127.0.0.1:{DATASETTE_PORT}")
    for port in (PORT, DATASETTE_PORT, UNCACHED_PORT):
        if listening(port):
            raise SystemExit(f"127.0.0.1:{port} is in use: set BENCH_PORT / BENCH_DATASETTE_PORT")
    environment = app_env(f"{PG}/{DATABASE}")
    run([PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"], env_extra=environment)
    start(
        [
            ROOT / ".venv/bin/gunicorn",
            "eurasia.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            "2",
            "--worker-class",
            "sync",
            "--no-control-socket",
        ],
        env_extra=environment,
        log_name="gunicorn",
    )
    start(
        [
            BENCH_VENV / "bin/datasette",
            "serve",
            "--immutable",
            SQLITE,
            "--host",
            "127.0.0.1",
            "--port",
            str(DATASETTE_PORT),
            "--metadata",
            BENCH / "datasette.yaml",
        ],
        env_extra={},
        log_name="datasette",
    )
    start(
        [
            ROOT / ".venv/bin/gunicorn",
            "eurasia.wsgi:application",
            "--bind",
            f"127.0.0.1:{UNCACHED_PORT}",
            "--workers",
            "2",
            "--worker-class",
            "sync",
            "--no-control-socket",
            "--pythonpath",
            BENCH,
        ],
        env_extra={**environment, "DJANGO_SETTINGS_MODULE": "uncached_settings"},
        log_name="gunicorn-uncached",
    )
    wait_for(f"http://127.0.0.1:{PORT}/")
    wait_for(f"http://127.0.0.1:{UNCACHED_PORT}/")
    wait_for(f"http://127.0.0.1:{DATASETTE_PORT}/-/versions.json")


def main():
    if "--report" in sys.argv[1:]:  # rewrite docs/benchmarks.md from the saved results
        write_report()
        log(f"written to {OUTPUT} from {len(saved_runs())} saved runs")
        return
    if "--invalidation" in sys.argv[1:]:
        remeasure_invalidation()
        return
    if "--growth" in sys.argv[1:]:
        measure_growth()
        return
    began = time.monotonic()
    WORK.mkdir(exist_ok=True)
    for name in WORK.glob("*.log"):
        name.unlink()
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        ensure_wrk()
        ensure_postgresql()
        ensure_redis()
        ensure_datasette()
        timings = build_databases()
        serve()
        all_cases = cases()
        load = [os.getloadavg()[0]]
        measured: dict[int, list[dict]] = {id(case): [] for case in all_cases}
        for run in range(RUNS):
            log(f"run {run + 1} of {RUNS}")
            for case in all_cases:
                measure(case)
                measured[id(case)].append(case.result)
        for case in all_cases:
            case.result = median_result(measured[id(case)])
        load.append(os.getloadavg()[0])
        edited = measure_invalidation()
        save_results(all_cases, timings, began, load, edited)
        write_report()
    finally:
        stop_everything()
    print()
    print(table(all_cases))
    print(invalidation.report(edited))
    log(f"written to {OUTPUT} in {time.monotonic() - began:.0f} s")


def single_request(url: str, times: int = 5) -> float | None:
    """The fastest of ``times`` requests one after another (after one to warm up), in ms."""
    if probe(url) != 200:
        return None
    best = None
    for _ in range(times):
        began = time.perf_counter()
        probe(url)
        elapsed = (time.perf_counter() - began) * 1000
        best = elapsed if best is None else min(best, elapsed)
    return best


def measure_growth():
    """Time single uncached requests on the smallest and the largest saved run's databases,
    one right after the other (``--growth``): how much each answer's time grew with the data,
    as the issue measured it, without the two runs' different loads in between."""
    runs = saved_runs()
    if len(runs) < 2:
        raise SystemExit("--growth needs saved runs at two scales: run make bench at both first")
    if listening(UNCACHED_PORT):
        raise SystemExit(f"127.0.0.1:{UNCACHED_PORT} is in use: set BENCH_UNCACHED_PORT")
    WORK.mkdir(exist_ok=True)
    signal.signal(signal.SIGTERM, on_signal)
    ensure_postgresql()
    for run in (runs[0], runs[-1]):
        environment = app_env(f"{PG}/{run.get('database', DATABASE)}")
        try:
            start(
                [
                    ROOT / ".venv/bin/gunicorn",
                    "eurasia.wsgi:application",
                    "--bind",
                    f"127.0.0.1:{UNCACHED_PORT}",
                    "--workers",
                    "1",
                    "--no-control-socket",
                    "--pythonpath",
                    BENCH,
                ],
                env_extra={**environment, "DJANGO_SETTINGS_MODULE": "uncached_settings"},
                log_name="gunicorn-growth",
            )
            wait_for(f"http://127.0.0.1:{UNCACHED_PORT}/healthz")
            base = f"http://127.0.0.1:{UNCACHED_PORT}"
            run["single"] = {
                case.name: single_request(base + case.path)
                for case in cases()
                if case.cached is False
            }
            run["single_load"] = os.getloadavg()[0]
            log(f"scale {run['scale']:g}: {run['single']}")
        finally:
            stop_everything()
        results_file(run["scale"]).write_text(json.dumps(run, indent=1))
    write_report()


def remeasure_invalidation():
    """Measure the invalidation figure again on the databases of the saved run at BENCH_SCALE
    (``--invalidation``, with BENCH_DATABASE naming that run's database), and rewrite the
    report with it."""
    saved = json.loads(results_file(SCALE).read_text())
    WORK.mkdir(exist_ok=True)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        ensure_postgresql()
        ensure_redis()
        serve()
        saved["edited"] = measure_invalidation()
    finally:
        stop_everything()
    results_file(SCALE).write_text(json.dumps(saved, indent=1))
    write_report()
    print(invalidation.report(saved["edited"]))


SECRET_KEY = secrets.token_urlsafe(50)

if __name__ == "__main__":
    main()
