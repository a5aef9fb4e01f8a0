"""The demo's people and the pages each reaches: for the page sweep (test and script alike)."""

from tests.browser.sweep import SIZES, Sweep, menu_links

PASSWORD = "gaizao-demo-2021"
STAFF = ("bureau", "leader", "dongcheng", "contractor", "zhanglirong", "water", "yuncheng")


def login(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def deep_pages(username: str, facts: dict) -> list[str]:
    """Pages one click below the menu that a role opens every day."""
    code, project, vote, programme = facts["community"], facts["project"], facts["vote"], facts["programme"]
    pages = {
        "bureau": [f"/works/{project}/?tab={tab}" for tab in ("reports", "photos", "milestones", "acceptance",
                                                               "feedback")] + [
                   f"/communities/{code}/", f"/planning/communities/{code}/plan/", f"/planning/programmes/{programme}/",
                   f"/works/{project}/", f"/votes/{vote}/", "/works/dashboard/", "/works/bulletin/",
                   "/works/bulletin/lagging/", f"/r/manage/{code}/", "/r/manage/satisfaction/"],
        "leader": ["/works/dashboard/", "/works/bulletin/", f"/works/{project}/", f"/planning/programmes/{programme}/"],
        "dongcheng": [f"/communities/{code}/", f"/works/{project}/", "/works/bulletin/", f"/votes/{vote}/"],
        "contractor": [f"/works/{project}/", f"/works/{project}/?tab=reports", f"/works/{project}/report/"],
        "zhanglirong": [f"/r/manage/{code}/", f"/votes/{vote}/"],
    }
    return pages.get(username, [])


def sweep_staff(browser, base: str, facts: dict, sweep: Sweep, sizes=SIZES, users=STAFF) -> None:
    for username in users:
        context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 768})
        page = context.new_page()
        login(page, base, username)
        urls = menu_links(page, base)
        urls += [base + p for p in deep_pages(username, facts) if base + p not in urls]
        for size, (width, height) in sizes.items():
            page.set_viewport_size({"width": width, "height": height})
            for url in urls:
                sweep.check(page, url, size, username)
        context.close()


def sweep_resident(browser, base: str, facts: dict, sweep: Sweep, sizes=SIZES) -> None:
    code = facts["community"]
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    building, unit, room, access = facts["household"]
    page.goto(f"{base}/r/{code}/")
    page.select_option("#id_building", label=building)
    page.fill("#id_unit", str(unit))
    page.fill("#id_room", room)
    page.fill("#id_code", access)
    page.click("#identify-submit")
    page.wait_for_url(f"{base}/r/{code}/home/")
    urls = [f"{base}/r/{code}/home/"]
    urls += [base + href for href in page.evaluate(
        """() => [...document.querySelectorAll('main a[href^="/"]')].map(a => a.getAttribute('href'))""")
        if "/leave/" not in href and "." not in href.rsplit("/", 1)[-1]]
    for size, (width, height) in sizes.items():
        page.set_viewport_size({"width": width, "height": height})
        for url in dict.fromkeys(urls):
            sweep.check(page, url, size, "resident")
    context.close()
