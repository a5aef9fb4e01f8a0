"""gaizao generate_data: a synthetic region at any scale for benchmarks and load tests."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaizao.core.progress import ProgressLine
from gaizao.demo.synthetic import PASSWORD, AlreadyGenerated, generate
from gaizao.demo.synthetic.areas import Layout, problem

# Progress lines name what is being generated; stage lines name what is done.
STAGES = {"households": gettext_lazy("buildings' households"), "progress": gettext_lazy("projects' progress"),
          "votes": gettext_lazy("votes"), "feedback": gettext_lazy("projects' feedback")}
DONE = {"areas": gettext_lazy("areas and accounts"), "communities": gettext_lazy("communities"),
        "buildings": gettext_lazy("buildings"), "households": gettext_lazy("dwellings"),
        "plans": gettext_lazy("plans and programmes"), "projects": gettext_lazy("companies and projects"),
        "progress": gettext_lazy("progress lines"), "residents": gettext_lazy("owners, votes and feedback"),
        "analyze": gettext_lazy("database statistics")}


def _describe(done, total, label):
    return _("Generating %(what)s: %(done)s/%(total)s …") % {
        "done": f"{done:,}", "total": f"{total:,}", "what": STAGES.get(label, label)}


class Command(BaseCommand):
    help = ("Generate a synthetic region for benchmarks and load tests: provinces, cities, districts, sub-districts, "
            "communities, buildings, households, plans, projects, two years of progress reports, votes and feedback. "
            "Province scale is --communities 10000 (about 1.5 M households and 2 M progress lines; a few minutes on "
            "PostgreSQL).")

    def add_arguments(self, parser):
        parser.add_argument("--communities", type=int, required=True, help="How many communities (e.g. 10000).")
        parser.add_argument("--seed", type=int, default=1, help="The same seed gives the same data.")
        parser.add_argument("--progress-lines", type=int, default=None,
                            help="About how many progress-report lines (default: 200 per community).")
        parser.add_argument("--prefix", default="99",
                            help="Code prefix of the generated city, its areas and communities (default 99); with "
                                 "--provinces, the first province's two-digit code.")
        parser.add_argument("--provinces", type=int, default=0,
                            help="Provinces (default 0: one city on its own, as before).")
        parser.add_argument("--cities", type=int, default=1, help="Cities in each province (default 1).")
        parser.add_argument("--districts", type=int, default=None,
                            help="Districts in each city (default: one per about 400 communities).")

    def handle(self, *args, communities, seed, progress_lines, prefix, provinces, cities, districts, **options):
        if communities < 1:
            raise CommandError(_("--communities must be at least 1."))
        if not prefix.isdigit() or len(prefix) > 4:
            raise CommandError(_("--prefix must be up to four digits, e.g. 99."))
        layout = Layout(provinces=provinces, cities=cities, districts=districts)
        refused = problem(layout, communities, prefix)
        if refused:
            raise CommandError(refused)
        line = ProgressLine(self.stdout, _describe)
        started = time.perf_counter()

        def stage(label):
            line.finish()
            self.stdout.write(_("%(stage)s done (%(seconds)s s so far)") % {
                "stage": DONE.get(label, label), "seconds": f"{time.perf_counter() - started:.1f}"})

        try:
            result = generate(communities, seed=seed, lines=progress_lines, code_prefix=prefix, layout=layout,
                              progress=line, stage=stage)
        except AlreadyGenerated:
            raise CommandError(_("Communities or areas with codes starting %(prefix)s exist already: generate into "
                                 "an empty database or choose another --prefix.") % {"prefix": prefix}) from None
        self.stdout.write(_("Generated in %(seconds)s s:") % {"seconds": f"{time.perf_counter() - started:.1f}"})
        for key, value in result["counts"].items():
            self.stdout.write(f"  {key:<18}{value:>12,}")
        self.stdout.write(_("Accounts (password %(password)s): bureau, leader, bureau-<district code>, "
                            "leader-<province or city code>, officer-<sub-district code>, contractor-<n>, "
                            "committee-<community code>.") % {"password": PASSWORD})
