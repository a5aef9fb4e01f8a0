"""The project page's tabs (items, reports, photos, milestones, acceptance, feedback): what each shows, filtered
and a page at a time. A big project has hundreds of reports and photos; nothing is cut off silently."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import DecimalField, ExpressionWrapper, F, Q, Sum
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gaizao.core import clock
from gaizao.feedback import services as feedback_service
from gaizao.feedback.models import Feedback
from gaizao.regions.models import Area
from gaizao.works import services
from gaizao.works.models import Milestone, Photo, ProgressEntry, Project

ITEMS_PER_PAGE = 50
ENTRIES_PER_PAGE = 50
PHOTOS_PER_PAGE = 24
FEEDBACK_PER_PAGE = 25


@dataclass(frozen=True)
class Tab:
    key: str
    label: str


TABS = (
    Tab("items", _("Work items")),
    Tab("reports", _("Reports and corrections")),
    Tab("photos", _("Photos")),
    Tab("milestones", _("Milestones")),
    Tab("acceptance", pgettext_lazy("tab", "Acceptance")),
    Tab("feedback", _("Residents' feedback")),
)
TAB_KEYS = {tab.key for tab in TABS}


def chosen_tab(value: str | None) -> str:
    return value if value in TAB_KEYS else "items"


def counts(project: Project, user) -> dict[str, int]:
    """The number beside each tab's name, so nobody has to open a tab to learn it is empty."""
    entries = ProgressEntry.objects.filter(project_item__project=project)
    return {
        "items": project.items.count(),
        "reports": entries.count(),
        "photos": Photo.objects.filter(entry__project_item__project=project).count(),
        "milestones": milestones(project).count(),
        "feedback": project_feedback(project, user).count(),
    }


def item_rows(project: Project, query: str = "", state: str = "") -> list[dict]:
    rows = []
    items = project.items.select_related("plan_item__item", "plan_item__plan__community")
    if query:
        items = items.filter(Q(plan_item__item__name__icontains=query) | Q(plan_item__item__code__icontains=query)
                             | Q(plan_item__plan__community__name__icontains=query))
    for item in items:
        done = services.done_quantity(item)
        planned = item.plan_item.quantity
        row = {"item": item, "done": done, "planned": planned,
               "percent": float(100 * done / planned) if planned else 0.0, "short": done < planned}
        if state == "unfinished" and not row["short"] or state == "finished" and row["short"]:
            continue
        rows.append(row)
    return rows


def items_page(project: Project, params) -> dict:
    query, state = params.get("q", "").strip(), params.get("state", "")
    rows = item_rows(project, query, state)
    return {"page": Paginator(rows, ITEMS_PER_PAGE).get_page(params.get("page")), "q": query, "state": state}


def entries_page(project: Project, params) -> dict:
    entries = (ProgressEntry.objects.filter(project_item__project=project)
               .select_related("project_item__plan_item__item").prefetch_related("photos"))
    item, kind = params.get("item", ""), params.get("kind", "")
    if item.isdigit():
        entries = entries.filter(project_item_id=int(item))
    if kind in ProgressEntry.Kind.values:
        entries = entries.filter(kind=kind)
    since, until = _day(params.get("since")), _day(params.get("until"))
    if since:
        entries = entries.filter(date__gte=since)
    if until:
        entries = entries.filter(date__lte=until)
    choices = [(pi.pk, f"{pi.plan_item.plan.community.name} · {pi.plan_item.item.name}")
               for pi in project.items.select_related("plan_item__item", "plan_item__plan__community")]
    return {"page": Paginator(entries, ENTRIES_PER_PAGE).get_page(params.get("page")), "item": item, "kind": kind,
            "since": since, "until": until, "item_choices": choices, "kinds": ProgressEntry.Kind.choices}


def photos_page(project: Project, params) -> dict:
    photos = (Photo.objects.filter(entry__project_item__project=project)
              .select_related("entry__project_item__plan_item__item").order_by("-entry__date", "-pk"))
    stage = params.get("stage", "")
    if stage in Photo.Stage.values:
        photos = photos.filter(stage=stage)
    return {"page": Paginator(photos, PHOTOS_PER_PAGE).get_page(params.get("page")), "stage": stage,
            "stages": Photo.Stage.choices}


def milestones(project: Project):
    """The district's milestones and those of the sub-districts the project's communities lie in."""
    subdistricts = Area.objects.filter(communities__projects=project).values("pk", "parent_id").distinct()
    areas = {row["pk"] for row in subdistricts} | {row["parent_id"] for row in subdistricts}
    return Milestone.objects.filter(area_id__in=areas).select_related("area").order_by("date", "pk")


def _value_done(project: Project, day: datetime.date) -> Decimal:
    value = ExpressionWrapper(F("quantity") * F("project_item__plan_item__unit_cost"),
                              output_field=DecimalField(max_digits=20, decimal_places=4))
    total = (ProgressEntry.objects.filter(project_item__project=project, date__lte=day)
             .aggregate(v=Sum(value))["v"])
    return total or Decimal(0)


def milestone_rows(project: Project) -> list[dict]:
    """Each milestone with the project's own share done by then (by today for one still ahead)."""
    planned = sum((i.plan_item.cost for i in project.items.select_related("plan_item")), Decimal(0))
    today = clock.today()
    rows = []
    for milestone in milestones(project):
        day = min(milestone.date, today)
        share = float(_value_done(project, day) / planned) if planned else 0.0
        target = float(milestone.target_share)
        if milestone.date > today:
            state = "ahead" if share >= target else "upcoming"
        else:
            state = "met" if share >= target else "missed"
        rows.append({"milestone": milestone, "as_of": day, "share": share, "target": target, "state": state})
    return rows


def project_feedback(project: Project, user):
    """Residents' feedback on the project's communities that is the contractor's or nobody's yet, as far as the
    reader may see it (a contractor sees only its own)."""
    return (feedback_service.visible_to(user).filter(community__projects=project)
            .filter(Q(company__isnull=True) | Q(company=project.contractor))
            .select_related("community").distinct().order_by("-created_at"))


def feedback_page(project: Project, user, params) -> dict:
    items = project_feedback(project, user)
    status = params.get("status", "")
    if status in Feedback.Status.values:
        items = items.filter(status=status)
    return {"page": Paginator(items, FEEDBACK_PER_PAGE).get_page(params.get("page")), "status": status,
            "statuses": Feedback.Status.choices, "today": clock.today()}


def _day(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None
