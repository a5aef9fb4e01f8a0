"""Locust users for bench/load.py: officials browsing, contractors reporting progress, residents voting.

Run through bench/load.py, which prepares the accounts, tokens and residents' access codes and writes them to the
JSON file named by GAIZAO_LOAD_FIXTURES. Each resident takes a household of their own. A household votes once (the
first ballot counts, 每户一票): a resident's first ballot must be taken (201), each later one must be refused with
409 `already_voted` (reported apart, as "api ballot, again"); anything else is a failure.
"""

import datetime
import json
import os
import random
import re
from pathlib import Path

from locust import HttpUser, between, task

_FIXTURES = None
_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def fixtures() -> dict:
    global _FIXTURES
    if _FIXTURES is None:
        _FIXTURES = json.loads(Path(os.environ["GAIZAO_LOAD_FIXTURES"]).read_text())
    return _FIXTURES


def _wait():
    low, high = (float(x) for x in os.environ.get("GAIZAO_LOAD_WAIT", "1,3").split(","))
    return between(low, high)


def _form_token(response) -> str:
    found = _TOKEN.search(response.text or "")
    return found.group(1) if found else response.cookies.get("csrftoken", "")


class Official(HttpUser):
    """Bureau staff or a sub-district officer: summary, filtered lists, a community, the dashboard, the bulletin."""

    weight = 5
    wait_time = _wait()

    def on_start(self):
        account = random.choice(fixtures()["officials"])
        self.codes = account["communities"]
        self.subdistricts = account["subdistricts"]
        page = self.client.get("/accounts/login/", name="login page")
        self.client.post("/accounts/login/", {"username": account["username"], "password": fixtures()["password"],
                                              "csrfmiddlewaretoken": _form_token(page)},
                         headers={"Referer": self.host + "/accounts/login/"}, name="login")

    @task(3)
    def summary(self):
        self.client.get("/summary/", name="summary")

    @task(6)
    def community_list(self):
        params = random.choice([
            {"eligible": "true", "sort": "-households"},
            {"programme_status": "implementing", "page": str(random.randint(1, 5))},
            {"q": random.choice(["家属院", "小区", "宿舍", "新村"])},
            {"built_to": "1995", "sort": "year_built"},
            {"subdistrict": str(random.choice(self.subdistricts))} if self.subdistricts else {"sort": "name"},
        ])
        self.client.get("/communities/", params=params, name="community list (filtered)")

    @task(6)
    def community_detail(self):
        self.client.get(f"/communities/{random.choice(self.codes)}/", name="community detail")

    @task(2)
    def dashboard(self):
        self.client.get("/works/dashboard/", name="progress dashboard")

    @task(2)
    def bulletin(self):
        self.client.get("/works/bulletin/", name="bulletin")

    @task(1)
    def api_summary(self):
        self.client.get("/api/summary/", name="api summary")


class Contractor(HttpUser):
    """A contractor's site manager posting today's quantities through the API with a token."""

    weight = 3
    wait_time = _wait()

    def on_start(self):
        self.account = random.choice(fixtures()["contractors"])
        self.headers = {"Authorization": f"Token {self.account['token']}"}

    @task(4)
    def report(self):
        project = random.choice(self.account["projects"])
        items = random.sample(project["items"], k=min(len(project["items"]), random.randint(1, 3)))
        payload = {"date": datetime.date.today().isoformat(),
                   "quantities": {str(item): "0.01" for item in items},
                   "note": "load test", "variation_reason": "load test: beyond the plan on purpose"}
        self.client.post(f"/api/projects/{project['code']}/report/", json=payload, headers=self.headers,
                         name="api progress report")

    @task(1)
    def my_projects(self):
        self.client.get("/api/projects/", headers=self.headers, name="api project list (contractor)")


class Resident(HttpUser):
    """An owner on their phone: identifies with the committee's one-time code, then votes and checks the turnout."""

    weight = 2
    wait_time = _wait()

    def on_start(self):
        pool = fixtures()["residents"]
        if not pool:
            raise RuntimeError("No household left: give bench/load.py more residents (--residents).")
        self.me = pool.pop()
        code = self.me["community"]
        page = self.client.get(f"/r/{code}/", name="resident entry page")
        self.client.post(f"/r/{code}/", {
            "building": self.me["building"], "unit": self.me["unit"], "room": self.me["room"],
            "code": self.me["code"], "csrfmiddlewaretoken": _form_token(page)},
            headers={"Referer": f"{self.host}/r/{code}/"}, name="resident identifies with a code")

    voted = False

    @task(3)
    def ballot(self):
        choice = random.choice(["yes", "yes", "yes", "no", "abstain"])
        again = self.voted
        with self.client.post(f"/api/votes/{self.me['vote']}/ballots/",
                              json={"household": self.me["household"], "choice": choice},
                              headers={"X-CSRFToken": self.client.cookies.get("csrftoken", "")},
                              name="api ballot, again" if again else "api ballot", catch_response=True) as response:
            refused = response.status_code == 409 and '"already_voted"' in response.text
            if (again and refused) or (not again and response.status_code in (200, 201)):
                self.voted = True
                response.success()
            else:
                response.failure(f"{response.status_code}: {response.text[:200]}")

    @task(2)
    def result(self):
        self.client.get(f"/api/votes/{self.me['vote']}/result/", name="api vote result (resident)")

    @task(1)
    def home(self):
        self.client.get(f"/r/{self.me['community']}/home/", name="resident home")
