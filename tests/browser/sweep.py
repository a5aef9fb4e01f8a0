"""Every page a role reaches, at the office screen, a wide screen and a phone: what a person would notice.

Used by `test_every_page.py` (on the demo data) and by `scripts/sweep.py` (against a running server, to look at
the screenshots). A page fails on page-level horizontal scroll, a menu item cut off or wrapped onto several
lines, an English word left in the main content of a Chinese page, or a number written the way a machine writes
it (`1199999995.6`, `193.00 户`).
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

SIZES = {"1366x768": (1366, 768), "1920x1080": (1920, 1080), "390x844": (390, 844)}
# axe-core's WCAG 2.1 A/AA rules run once per page, at the size its users mostly have.
AXE_SIZES = ("1366x768",)
AXE_RULES = {"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"], "resultTypes": ["violations"]}

# Words that stay in Latin letters on a Chinese page: names of formats and standards, units, brand names.
ALLOWED_WORDS = {
    "API", "Excel", "Word", "PDF", "OpenAPI", "JSON", "CSV", "QR", "ECharts", "Leaflet", "OpenStreetMap", "HiGHS",
    "admin", "gaizao", "GB", "m²", "m", "km", "kW", "kV", "DN", "PE", "PPR", "LED", "WiFi", "Wi", "Fi", "ID",
    "Swagger", "ReDoc", "REST", "xlsx", "docx", "csv", "png", "jpg", "jpeg", "svg", "kg", "MB", "KB", "OK",
    "English", "CC", "BY", "SA", "OSM", "contributors", "pdf", "xls", "doc",
}
NUMBER_PATTERNS = [re.compile(p) for p in (
    r"(?<![\d,.])\d{5,}\.\d", r"\.00\s*户", r"(?<![\d,.])\d{5,}\s*(元|户|平方米|m²)")]
# A code (YH001, P-2021-03), a year, a date or a phone number is not an amount.
CODE = re.compile(r"[A-Z]{1,4}-?\d[\d-]*|\d{4}(年|-|\.|/)|1\d{10}")


@dataclass
class Finding:
    url: str
    size: str
    problem: str

    def __str__(self):
        return f"{self.size} {self.url}: {self.problem}"


@dataclass
class Sweep:
    shots: Path | None = None
    findings: list[Finding] = field(default_factory=list)
    visited: int = 0

    def check(self, page, url: str, size: str, label: str) -> None:
        self.visited += 1
        response = page.goto(url)
        status = response.status if response else 0
        if status >= 400:
            self.findings.append(Finding(url, size, f"answers {status}"))
            return
        if self.shots is not None:
            self.shots.mkdir(parents=True, exist_ok=True)
            name = re.sub(r"[^\w.-]+", "_", f"{label}_{size}_{url.split('//', 1)[-1].split('/', 1)[-1]}")[:150]
            page.screenshot(path=str(self.shots / f"{name}.png"), full_page=False)
        for problem in page_problems(page):
            self.findings.append(Finding(url, size, problem))
        # The API reference is drf-spectacular's Swagger UI, not ours to restyle; every page of ours is checked.
        if (size in AXE_SIZES or label == "resident") and "/api/docs/" not in url:
            for problem in axe_problems(page):
                self.findings.append(Finding(url, size, problem))


def axe_problems(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=AXE_RULES)
    return [f"axe {v['id']}: {v['help']} ({len(v['nodes'])}×, e.g. {v['nodes'][0]['target']})"
            for v in results.response["violations"]]


def page_problems(page) -> list[str]:
    problems = []
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    if overflow > 1:
        problems.append(f"page scrolls sideways by {overflow}px")
    problems += page.evaluate(_MENU_JS)
    text = page.evaluate(_MAIN_TEXT_JS)
    if page.evaluate("document.documentElement.lang").startswith("zh"):
        english = sorted({w for w in re.findall(r"(?<![\w/.@-])[A-Za-z][a-z]{2,}(?![\w/.@-])", text)
                          if w not in ALLOWED_WORDS})
        # A code the program keeps (blocked_drains, in_progress) shown instead of its label.
        english += sorted(set(re.findall(r"(?<![\w/.@-])[a-z]+(?:_[a-z]+)+(?![\w/.@-])", text)))
        if english:
            problems.append("English words: " + ", ".join(english[:12]))
    cleaned = CODE.sub(" ", text)
    for pattern in NUMBER_PATTERNS:
        found = pattern.findall(cleaned) and [m.group(0) for m in pattern.finditer(cleaned)]
        if found:
            problems.append(f"numbers written raw: {', '.join(found[:5])}")
    return problems


# A menu item is clipped when it ends outside the screen, and crushed when its label wraps onto several lines.
_MENU_JS = """() => {
  const out = [];
  for (const el of document.querySelectorAll('nav .nav-link, nav .navbar-brand, nav select, nav .btn')) {
    const r = el.getBoundingClientRect();
    if (!r.width || !el.offsetParent) continue;
    if (r.right > window.innerWidth + 1 || r.left < -1) out.push('menu item cut off: ' + el.textContent.trim());
    const line = parseFloat(getComputedStyle(el).lineHeight) || 24;
    if (el.matches('.nav-link') && r.height > line * 1.8) out.push('menu item wraps: ' + el.textContent.trim());
  }
  return out;
}"""

# The words a person reads in the main content: no scripts, no values hidden from view, no code samples.
_MAIN_TEXT_JS = """() => {
  const main = document.querySelector('main') || document.body;
  const skip = 'script, style, code, pre, .visually-hidden, [hidden], [aria-hidden=true], [translate=no], '
             + '.leaflet-control-attribution';
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  const parts = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (parent && !parent.closest(skip) && parent.getClientRects().length) parts.push(node.textContent);
  }
  return parts.join(' ');
}"""


def menu_links(page, base: str) -> list[str]:
    """The pages a role's menu leads to (same site, no downloads)."""
    hrefs = page.evaluate("""() => [...document.querySelectorAll('nav a[href]')].map(a => a.getAttribute('href'))""")
    seen = []
    for href in hrefs:
        download = "." in href.rsplit("/", 1)[-1]
        if not href.startswith("/") or href.startswith(("/admin", "/api/schema", "/i18n")) or download:
            continue
        if href not in seen:
            seen.append(href)
    return [base + h for h in seen]
