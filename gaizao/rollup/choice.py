"""One district's own pages: `?district=<code>` narrows the summary, dashboard, bulletin (page, Word, Excel) and
the lagging list to that district, within what the user may see.

The roll-up links each district to these pages; a user who sees several districts picks one from a select. A code
that names no district is told in a sentence (the pages then show everything the user sees); a district the user
may not see is a 404, as any object outside their scope. Projects are those with a community in the district, as
the roll-up counts them (`rollup.services.projects_in`), so a district's figures here equal its roll-up row.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.http import Http404
from django.utils.translation import gettext as _

from gaizao.accounts import scope
from gaizao.regions.models import Area
from gaizao.works.models import Project

# Above this many districts a select is no help (a national platform): the roll-up's links choose instead.
MAX_OPTIONS = 300


@dataclass
class DistrictChoice:
    district: Area | None = None  # None: every district the user sees
    options: list = field(default_factory=list)  # shown as a select when there are two or more
    error: str = ""

    @property
    def query(self) -> str:
        """`district=<code>` for links that keep the choice (empty when none is made)."""
        return urlencode({"district": self.district.code}) if self.district else ""

    @property
    def suffix(self) -> str:
        """`&district=<code>` after a link's other parameters."""
        return f"&{self.query}" if self.district else ""

    def communities(self, communities):
        return communities.filter(subdistrict__parent=self.district) if self.district else communities

    def projects(self, projects):
        if self.district is None:
            return projects
        in_district = Project.communities.through.objects.filter(
            community__subdistrict__parent=self.district).values("project_id")
        return projects.filter(pk__in=in_district)

    def filename(self, name: str) -> str:
        """A download's name with the district in front (盐湖区_进度通报_20211125.docx)."""
        return f"{self.district.name}_{name}" if self.district else name


def choose(request) -> DistrictChoice:
    """The district asked for in ?district=, checked against the districts the user sees."""
    mine = scope.districts_for(request.user)
    districts = Area.objects.filter(level=Area.Level.DISTRICT) if mine is None else mine
    districts = districts.order_by("code", "name")
    options = list(districts[:MAX_OPTIONS + 1])
    choice = DistrictChoice(options=options if 1 < len(options) <= MAX_OPTIONS else [])
    code = request.GET.get("district", "").strip()
    if not code:
        return choice
    found = Area.objects.filter(level=Area.Level.DISTRICT, code=code).first()
    if found is None:
        choice.error = _("No district has the code %(code)s; the figures are for every district you see.") % {
            "code": code}
        return choice
    if not districts.filter(pk=found.pk).exists():
        raise Http404
    choice.district = found
    return choice
