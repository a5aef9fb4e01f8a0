"""Load run: gunicorn on loopback against the bench database, several concurrent clients for a bounded time.

    .venv/bin/python bench/load.py [--database-url postgres://postgres@127.0.0.1:5432/gaizao_bench]
                                   [--users 20] [--spawn-rate 5] [--time 60] [--workers 3] [--wait 1,3]

Officials browse (summary, filtered community lists, community pages, dashboard, bulletin), contractors post
progress reports through the API with a token, residents identify with a one-time code and vote (each on a
household of their own: the first ballot is taken (201), a later one refused (409 already_voted, one vote per
household) and reported apart). The database is the
one bench/pages.py fills (`gaizao generate_data`); run that first. Starts gunicorn with DEBUG off on a free port,
runs locust headless (the `bench` extra: pip install -e '.[bench]'), prints throughput, error rate and p50/p95/p99
per request type, and stops gunicorn. Progress reports and ballots are written to the database.
"""

import argparse
import csv
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
BIN = Path(sys.executable).parent

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/gaizao_bench"
PASSWORD = "gaizao-demo-2021"  # load_demo's and generate_data's


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(residents: int) -> dict:
    """Accounts, tokens and residents' codes, read from (and written to) the database in DATABASE_URL."""
    import django

    django.setup()
    from django.db.models import Count, Q
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from gaizao.accounts.models import User
    from gaizao.communities.models import Community
    from gaizao.households import access
    from gaizao.votes import services as votes
    from gaizao.votes.models import Vote
    from gaizao.works.models import Project

    bureau = User.objects.filter(username="bureau").first() or User.objects.filter(role=User.Role.BUREAU).first()
    officials = [{"username": bureau.username, "subdistricts": [],
                  "communities": list(Community.objects.order_by("?").values_list("code", flat=True)[:500])}]
    officers = (User.objects.filter(role=User.Role.SUBDISTRICT_OFFICER, is_active=True)
                .annotate(n=Count("subdistrict__communities")).filter(n__gt=0).order_by("?")[:10])
    for officer in officers:
        officials.append({"username": officer.username, "subdistricts": [officer.subdistrict_id],
                          "communities": list(Community.objects.visible_to(officer).values_list("code", flat=True)
                                              [:500])})

    contractors = []
    members = User.objects.filter(role=User.Role.CONTRACTOR, is_active=True, membership__isnull=False)
    for user in members.select_related("membership").order_by("pk"):
        projects = []
        for project in (Project.objects.filter(contractor_id=user.membership.company_id,
                                               status=Project.Status.UNDER_CONSTRUCTION)
                        .prefetch_related("items").order_by("code")[:20]):
            items = [item.pk for item in project.items.all()]
            if items:
                projects.append({"code": project.code, "items": items})
        if projects:
            token, _created = Token.objects.get_or_create(user=user)
            contractors.append({"username": user.username, "token": token.key, "projects": projects})
        if len(contractors) >= 20:
            break

    # Households of open votes that have not voted yet, each with a fresh one-time code.
    now = timezone.now()
    pool = []
    open_votes = (Vote.objects.filter(opens_at__lte=now, closes_at__gt=now)
                  .select_related("community").order_by("pk"))
    for vote in open_votes:
        households = (votes.electorate(vote).exclude(Q(ballots__vote=vote))
                      .select_related("building__community").order_by("pk")[:5])
        for household in households:
            pool.append((vote, household))
        if len(pool) >= residents:
            break
    codes = access.issue_codes(bureau, [household for _vote, household in pool])
    resident_rows = [{"vote": vote.pk, "household": household.pk, "community": vote.community.code,
                      "building": household.building_id, "unit": household.stairwell_unit, "room": household.room,
                      "code": issued.code}
                     for (vote, household), issued in zip(pool, codes, strict=True)]
    return {"password": PASSWORD, "officials": officials, "contractors": contractors, "residents": resident_rows}


def _wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer {url} within {seconds:.0f} s")


def warm_up(host: str, username: str, workers: int) -> float:
    """Each worker computes the progress sums once (cold, about a second at province scale) before the timed run:
    as many officials as workers open the dashboard and the bulletin at the same time."""
    import re
    from concurrent.futures import ThreadPoolExecutor

    import requests

    def one(_n):
        session = requests.Session()
        page = session.get(f"{host}/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        session.post(f"{host}/accounts/login/", data={"username": username, "password": PASSWORD,
                                                      "csrfmiddlewaretoken": token},
                     headers={"Referer": f"{host}/accounts/login/"})
        for url in ("/works/dashboard/", "/works/bulletin/", "/works/dashboard/", "/works/bulletin/"):
            session.get(host + url).raise_for_status()

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers * 2) as pool:
        list(pool.map(one, range(workers * 2)))
    return time.perf_counter() - started


def _stats(prefix: str) -> list[dict]:
    with open(f"{prefix}_stats.csv", newline="") as handle:
        return list(csv.DictReader(handle))


def _errors(prefix: str) -> list[dict]:
    path = Path(f"{prefix}_failures.csv")
    if not path.exists():
        return []
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle))


def report(rows: list[dict], seconds: float, failures: list[dict]) -> str:
    lines = [f"{'request':<38}{'requests':>9}{'errors':>8}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}"
             f"{'max ms':>8}"]
    for row in sorted(rows, key=lambda r: (r["Name"] == "Aggregated", r["Name"])):
        name = "all requests" if row["Name"] == "Aggregated" else row["Name"]
        lines.append(f"{name:<38}{int(row['Request Count']):>9,}{int(row['Failure Count']):>8}"
                     f"{float(row['Requests/s']):>8.1f}{row['50%']:>8}{row['95%']:>8}{row['99%']:>8}"
                     f"{float(row['Max Response Time']):>8.0f}")
    total = next(r for r in rows if r["Name"] == "Aggregated")
    count, failed = int(total["Request Count"]), int(total["Failure Count"])
    lines.append(f"{count:,} requests in {seconds:.0f} s: {count / seconds:.1f} requests/s, "
                 f"error rate {failed / count if count else 0:.2%} ({failed} errors)")
    for failure in failures[:10]:
        lines.append(f"  error: {failure['Method']} {failure['Name']}: {failure['Error'][:150]} "
                     f"(×{failure['Occurrences']})")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--time", type=int, default=60, help="seconds of load (after the users have started)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (>1: gthread workers)")
    parser.add_argument("--wait", default="1,3", help="seconds each simulated user waits between requests")
    parser.add_argument("--csv", default=None, help="keep locust's CSV files under this prefix")
    parser.add_argument("--cold", action="store_true", help="no warm-up: each worker's first report pages are "
                        "in the measurement")
    args = parser.parse_args()

    secret = secrets.token_urlsafe(50)
    env = {**os.environ, "DATABASE_URL": args.database_url, "DEBUG": "false", "SECRET_KEY": secret,
           "ALLOWED_HOSTS": "127.0.0.1,localhost", "REQUEST_LOG_LEVEL": "WARNING",
           "DJANGO_SETTINGS_MODULE": "gaizao.settings"}
    os.environ.update(env)
    started = time.perf_counter()
    fixtures = prepare(residents=args.users * 2)
    print(f"prepared {len(fixtures['officials'])} officials, {len(fixtures['contractors'])} contractors, "
          f"{len(fixtures['residents'])} residents' codes in {time.perf_counter() - started:.1f} s", flush=True)
    if not fixtures["contractors"] or not fixtures["residents"]:
        raise SystemExit("The database has no project under construction or no open vote: run bench/pages.py "
                         "(or gaizao generate_data) first.")

    port = _free_port()
    host = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as folder:
        fixtures_path = Path(folder) / "fixtures.json"
        fixtures_path.write_text(json.dumps(fixtures))
        prefix = args.csv or str(Path(folder) / "load")
        worker = ["--worker-class", "gthread", "--threads", str(args.threads)] if args.threads > 1 else []
        server = subprocess.Popen([str(BIN / "gunicorn"), "gaizao.wsgi", "--bind", f"127.0.0.1:{port}",
                                   "--workers", str(args.workers), *worker, "--timeout", "60",
                                   "--log-level", "warning"], cwd=REPO, env=env)
        try:
            _wait_for(f"{host}/health/")
            if not args.cold:
                print(f"warm-up: {warm_up(host, fixtures['officials'][0]['username'], args.workers):.1f} s",
                      flush=True)
            ramp = args.users / args.spawn_rate
            run_for = int(args.time + ramp)
            locust_env = {**env, "GAIZAO_LOAD_FIXTURES": str(fixtures_path), "GAIZAO_LOAD_WAIT": args.wait}
            began = time.perf_counter()
            subprocess.run([str(BIN / "locust"), "-f", str(REPO / "bench" / "locustfile.py"), "--headless",
                            "-u", str(args.users), "-r", str(args.spawn_rate), "-t", f"{run_for}s",
                            "--host", host, "--csv", prefix, "--only-summary", "--loglevel", "WARNING",
                            "--stop-timeout", "10", "--exit-code-on-error", "0"],
                           cwd=REPO, env=locust_env, check=True, capture_output=True, text=True)
            seconds = time.perf_counter() - began
            rows = _stats(prefix)
            failures = _errors(prefix)
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
    print(f"load on {args.database_url.rpartition('/')[2]}: {args.users} users (spawned {args.spawn_rate}/s), "
          f"{run_for} s, gunicorn {args.workers} workers × {args.threads} threads on 127.0.0.1, DEBUG off, "
          f"think time {args.wait} s")
    print(report(rows, seconds, failures))


if __name__ == "__main__":
    main()
