#!/usr/bin/env python
"""Visit every page of every demo role at 1366×768, 1920×1080 and 390×844 on a running demo server and list what a
person would notice; screenshots go to test-artifacts/sweep/ (git ignores it).

    DATABASE_URL=... .venv/bin/python scripts/sweep.py http://127.0.0.1:8000
"""

import os
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gaizao.settings")


def main(base: str) -> int:
    import django

    django.setup()
    from playwright.sync_api import sync_playwright

    from tests.browser.roles import sweep_resident, sweep_staff
    from tests.browser.sweep import Sweep
    from tests.browser.test_every_page import demo_facts

    shots = Path("test-artifacts/sweep")
    shutil.rmtree(shots, ignore_errors=True)
    sweep = Sweep(shots=shots)
    facts = demo_facts()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                             args=["--no-sandbox", "--disable-gpu"])
        sweep_staff(browser, base, facts, sweep)
        sweep_resident(browser, base, facts, sweep)
        browser.close()
    for finding in sweep.findings:
        print(finding)
    print(f"{sweep.visited} page views, {len(sweep.findings)} findings; screenshots in {shots}/")
    return 1 if sweep.findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"))
