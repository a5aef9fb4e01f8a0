"""The progress bulletin (进度通报): district totals, sub-district ranking, lagging projects, item totals.

`bulletin_data` gathers the figures once; the web page, the Word file (`bulletin_word`) and the Excel file
(`bulletin_excel`) all show that same dictionary, so the three never disagree. Every figure comes from the
progress measures (never typed in).
"""

import datetime

from django.db.models import Min
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gaizao.catalog.models import Unit
from gaizao.core import clock, formatting, stamps
from gaizao.core.queries import by_ids, query_key
from gaizao.feedback import services as feedback_service
from gaizao.regions.models import Area
from gaizao.works import measures
from gaizao.works.bulletin_text import clean, percent
from gaizao.works.measures import ZERO, forecasts, measures_on
from gaizao.works.models import Milestone

# No report may be dated longer than this before its project's planned start (works.services.record_progress), so
# a bulletin earlier than that, a year before the first project, can only show zeros.
BEFORE_FIRST_START = datetime.timedelta(days=365)
BAR_WIDTH = 20  # █ characters for 100 % in the Word file's chart column
# Newspaper units: 户, 平方米, 米 … in Chinese; plural English words otherwise.
UNIT_WORDS = {
    Unit.SQUARE_METRE: ("平方米", "m²"),
    Unit.METRE: ("米", "m"),
    Unit.HOUSEHOLD: ("户", "households"),
    Unit.ELEVATOR: ("部", "elevators"),
    Unit.PIECE: ("个", "pieces"),
    Unit.DOOR: ("樘", "doors"),
    Unit.LAMP: ("盏", "lamps"),
    Unit.LUMP_SUM: ("项", "lots"),
}


def bar(share) -> str:
    """A bar of █ characters for a share (a chart that survives any Word processor)."""
    filled = round(min(max(float(share), 0.0), 1.0) * BAR_WIDTH)
    return "█" * filled


def quantity_text(value, unit: str) -> str:
    """3,710户 / 12.3万平方米 in Chinese; 3,710 households / 123,000 m² in English."""
    zh, en = UNIT_WORDS.get(unit, ("", unit))
    return formatting.count(value, zh, en)


def latest_entry_date(projects) -> datetime.date | None:
    """The newest date any visible project reported work on (the demo lives in 2021)."""
    return measures.latest_entry_date(projects)


def day_range(projects) -> tuple[datetime.date, datetime.date]:
    """The days a bulletin of these projects can be about: from a year before the first project's start (planned
    or actual) to the platform's today. Nothing is reported after today, so later figures would be made up."""
    last = clock.today()
    starts = [d for d in projects.aggregate(planned=Min("planned_start"), actual=Min("actual_start")).values() if d]
    if not starts:
        return last, last
    try:
        first = min(starts) - BEFORE_FIRST_START
    except OverflowError:  # a start typed as year 1 in the admin
        first = datetime.date.min
    return min(first, last), last


def nearest_day(day: datetime.date, projects) -> tuple[datetime.date, str]:
    """The day itself when a bulletin can be about it, else the nearest day that can, and a sentence saying why.
    Far-off days (year 1, year 9999) would otherwise overflow the forecasts' date arithmetic."""
    first, last = day_range(projects)
    if day > last:
        return last, _("There are no figures after today (%(today)s).") % {"today": formatting.date(last)}
    if day < first:
        return first, _("Nothing can have been reported before %(first)s, a year before the first project's "
                        "start.") % {"first": formatting.date(first)}
    return day, ""


def district_milestone(day: datetime.date, district=None) -> Milestone | None:
    """The district milestone nearest on or after the day, if there is one."""
    milestones = Milestone.objects.filter(area__level=Area.Level.DISTRICT, date__gte=day)
    if district is not None:
        milestones = milestones.filter(area=district)
    return milestones.order_by("date", "pk").first()


def filename(day: datetime.date, extension: str) -> str:
    return f"进度通报_{day:%Y%m%d}.{extension}"


def _area_name_for(subdistrict_ids) -> str | None:
    """The name of the district of these sub-districts or, over several, of the area holding them all (运城市,
    山西省; none above a province). One query whatever the tree's shape, so a page's query count stays the same."""
    chains = set(by_ids(Area.objects.all(), subdistrict_ids).filter(parent__level=Area.Level.DISTRICT).values_list(
        "parent_id", "parent__name", "parent__parent_id", "parent__parent__name", "parent__parent__parent_id",
        "parent__parent__parent__name"))
    if chains:
        for level in (0, 2, 4):  # the district, its city, the city's province
            found = {chain[level:level + 2] for chain in chains}
            if len(found) == 1:
                area_id, name = found.pop()
                return name if area_id is not None else None  # a district or city without a parent: no name
        return None
    districts = list(Area.objects.filter(level=Area.Level.DISTRICT).values_list("name", flat=True)[:2])
    return districts[0] if len(districts) == 1 else None


def _competition_ranks(rows, key, field):
    """1, 1, 3 …: equal values share a rank."""
    previous, rank = None, 0
    for position, row in enumerate(sorted(rows, key=key), start=1):
        value = key(row)[0]
        if value != previous:
            rank, previous = position, value
        row[field] = rank


def _by_district(places: list[dict]) -> list[dict]:
    """The sub-districts' rows summed by district, ranked as sub-districts are (share of value done, code). Every
    figure is a sum of the sub-districts' (shares and rates are taken of the sums), so the rows add up to the same
    totals."""
    merged: dict[tuple, dict] = {}
    for place in places:
        code, name = place["district"]
        row = merged.setdefault(place["district"], {
            "id": None, "code": code, "name": name, "projects": 0, "started": 0, "planned_value": ZERO,
            "done_value": ZERO, "feedback_open": 0, "feedback_overdue": 0, "forecast": None})
        for key in ("projects", "started", "planned_value", "done_value", "feedback_open", "feedback_overdue"):
            row[key] += place[key]
        if place["forecast"] is not None:
            row["forecast"] = row["forecast"] or {"forecast": ZERO, "target": ZERO}
            row["forecast"]["forecast"] += place["forecast"]["forecast"]
            row["forecast"]["target"] += place["forecast"]["target"]
    rows = list(merged.values())
    for row in rows:
        row["share"] = float(row["done_value"] / row["planned_value"]) if row["planned_value"] else 0.0
        row["start_rate"] = row["started"] / row["projects"] if row["projects"] else 0.0
    rows.sort(key=lambda r: (-r["share"], r["code"]))
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
    return rows


def _kept_section(name: str, day: datetime.date, scope: tuple, stamp: str, models: list, compute):
    """A section that does not move with the progress reports (feedback, long-term management, defects, the joint
    meeting), kept between requests while nothing it reads has changed (`gaizao.core.stamps`): at 50,000
    communities they were 90 ms of the whole platform's bulletin, read afresh each time though they change a few
    times an hour. `scope`: the user's projects as a query and the projects' shape it was checked against. The
    kept section is shared: nothing below changes it."""
    fingerprint = stamps.fingerprint(stamp, *models) + (translation.get_language(),)
    return stamps.kept((name, day, scope), fingerprint, compute)


def bulletin_data(day: datetime.date, projects, milestone: Milestone | None = None) -> dict:
    """The bulletin's figures on `day` for these projects, with forecasts at `milestone` when one is given."""
    measures = measures_on(day, projects)
    scope = (query_key(projects), measures.shape_fingerprint)
    feedback = _kept_section("feedback", day, scope, feedback_service.FIGURES_STAMP, feedback_service.figures_models(),
                             lambda: feedback_service.counts(projects, day))
    district_name = _area_name_for([s["id"] for s in measures.subdistricts]) or _("The district")
    found = {f.project["id"]: f for f in forecasts(day, milestone, projects, now=measures)} if milestone else {}

    per_sub_forecast: dict[int, dict] = {}  # by id: sub-districts of different districts share names
    for forecast in found.values():
        bucket = per_sub_forecast.setdefault(forecast.project["subdistrict_id"], {"forecast": ZERO, "target": ZERO})
        bucket["forecast"] += forecast.forecast_value
        bucket["target"] += forecast.target_value

    places = [{**sub, "forecast": per_sub_forecast.get(sub["id"]),
               "feedback_open": feedback["subdistricts"].get(sub["id"], {}).get("open", 0),
               "feedback_overdue": feedback["subdistricts"].get(sub["id"], {}).get("overdue", 0)}
              for sub in measures.subdistricts]
    # A city's, a province's or the whole platform's bulletin ranks its districts (each opening its own bulletin);
    # a district's ranks its sub-districts.
    wide = len({place["district"] for place in places}) > 1
    if wide:
        places = _by_district(places)
    subdistricts = []
    for sub in places:
        row = {
            "rank": sub["rank"], "code": sub["code"], "name": clean(sub["name"]), "projects": sub["projects"],
            "started": sub["started"], "not_started": sub["projects"] - sub["started"],
            "start_rate": sub["start_rate"], "planned_value": sub["planned_value"],
            "done_value": sub["done_value"], "share": sub["share"], "bar": bar(sub["share"]),
            "forecast_share": None, "at_risk": False,
            "feedback_open": sub["feedback_open"], "feedback_overdue": sub["feedback_overdue"],
        }
        bucket = sub["forecast"]
        if milestone and bucket is not None and sub["planned_value"]:
            row["forecast_share"] = float(bucket["forecast"] / sub["planned_value"])
            row["at_risk"] = bucket["forecast"] < bucket["target"]
        subdistricts.append(row)
    _competition_ranks(subdistricts, lambda s: (-s["start_rate"], s["rank"]), "start_rank")

    lagging = []
    reasons = {False: _("Not started"), True: _("Will miss the milestone")}  # translated once, not per project
    for project in measures.projects:
        forecast = found.get(project["id"])
        behind = forecast is not None and forecast.at_risk
        if project["started"] and not behind:
            continue
        planned = project["planned_value"]
        lagging.append({
            "code": clean(project["code"]), "name": clean(project["name"]),
            "subdistrict": clean(project["subdistrict"]), "contractor": clean(project["contractor"]),
            "started": project["started"],
            "reason": reasons[project["started"]],
            "share": project["share"], "planned_value": planned, "done_value": project["done_value"],
            "forecast_share": float(forecast.forecast_value / planned) if forecast and planned else None,
            "shortfall": forecast.shortfall if forecast else None,
        })
    lagging.sort(key=lambda p: (p["started"], -(p["shortfall"] or ZERO), p["code"]))

    items = []
    for item in measures.items:
        done = item["done"]
        items.append({
            "code": item["code"], "name": clean(item["name"]), "unit": item["unit"],
            "unit_label": str(Unit(item["unit"]).label) if item["unit"] in Unit.values else item["unit"],
            "planned": item["planned"], "done": done, "done_value": item["done_value"],
            "share": float(done / item["planned"]) if item["planned"] else 0.0,
            "text": _("%(item)s %(quantity)s") % {"item": clean(item["name"]),
                                                   "quantity": quantity_text(done, item["unit"])},
        })
    done_items = [i["text"] for i in items if i["done"] > 0]

    totals = measures.district
    summary = {
        "name": district_name, "projects": totals["projects"], "started": totals["started"],
        "not_started": totals["projects"] - totals["started"], "start_rate": totals["start_rate"],
        "planned_value": totals["planned_value"], "done_value": totals["done_value"], "share": totals["share"],
        "feedback_open": feedback["district"]["open"], "feedback_overdue": feedback["district"]["overdue"],
    }
    milestone_data = None
    if milestone is not None:
        target = sum((f.target_value for f in found.values()), ZERO)
        forecast_value = sum((f.forecast_value for f in found.values()), ZERO)
        planned = totals["planned_value"]
        milestone_data = {
            "name": clean(milestone.name), "date": milestone.date, "target_share": float(milestone.target_share),
            "target_value": target, "forecast_value": forecast_value,
            "forecast_share": float(forecast_value / planned) if planned else 0.0,
            "shortfall": max(target - forecast_value, ZERO),
            "projects_at_risk": sum(1 for f in found.values() if f.at_risk),
        }

    data = {
        "day": day, "district": summary, "milestone": milestone_data, "subdistricts": subdistricts,
        "level": Area.Level.DISTRICT if wide else Area.Level.SUBDISTRICT,
        "by_start_rate": sorted(subdistricts, key=lambda s: (s["start_rank"], s["rank"])),
        "lagging": lagging, "items": items,
        "title": _("%(district)s old community renovation progress bulletin (as of %(date)s)")
        % {"district": district_name, "date": formatting.date(day)},
    }
    # The joint meeting's departments ranked by overdue items (gaizao.coordination builds on works: a late import).
    from gaizao.coordination import bulletin as coordination

    data["coordination"] = _kept_section("coordination", day, (), coordination.STAMP, coordination.watched_models(),
                                         lambda: coordination.bulletin_section(day))
    # Long-term management and return visits (gaizao.aftercare builds on works: a late import).
    from gaizao.aftercare import bulletin as aftercare

    data["aftercare"] = _kept_section("aftercare", day, scope, aftercare.STAMP, aftercare.watched_models(),
                                      lambda: aftercare.bulletin_section(day, projects))
    # Defects in accepted work by sub-district and contractor (gaizao.defects builds on works: a late import).
    from gaizao.defects import bulletin as defects

    data["defects"] = _kept_section("defects", day, scope, defects.STAMP, defects.watched_models(),
                                    lambda: defects.bulletin_section(day, projects))
    data["paragraph"] = _district_paragraph(data)
    data["milestone_paragraph"] = _milestone_paragraph(data)
    data["feedback_paragraph"] = _feedback_paragraph(data)
    data["items_paragraph"] = (_("Work done so far: %(items)s.")
                               % {"items": pgettext("list separator", ", ").join(done_items)}
                               if done_items else _("No work reported yet."))
    return data


def _district_paragraph(data) -> str:
    d = data["district"]
    return _("As of %(date)s, %(started)s of the %(projects)s projects have started (%(start_rate)s); work worth "
             "%(done)s of the planned %(planned)s is done (%(share)s).") % {
        "date": formatting.date(data["day"]), "started": d["started"], "projects": d["projects"],
        "start_rate": percent(d["start_rate"]), "done": formatting.money(d["done_value"]),
        "planned": formatting.money(d["planned_value"]), "share": percent(d["share"])}


def _feedback_paragraph(data) -> str:
    d = data["district"]
    if not d["feedback_open"]:
        return _("Residents' feedback: no item is open.")
    return _("Residents' feedback: %(open)s items open, %(overdue)s of them past their due date without an "
             "answer.") % {"open": d["feedback_open"], "overdue": d["feedback_overdue"]}


def _milestone_paragraph(data) -> str:
    m = data["milestone"]
    if m is None:
        return ""
    values = {"target": percent(m["target_share"], 0), "date": formatting.date(m["date"]),
              "forecast": percent(m["forecast_share"]), "shortfall": formatting.money(m["shortfall"]),
              "count": m["projects_at_risk"]}
    if m["shortfall"] > 0:
        return _("Milestone: %(target)s of the planned value by %(date)s. At the pace of the last four weeks the "
                 "district will reach %(forecast)s, %(shortfall)s short; %(count)s projects are at risk.") % values
    return _("Milestone: %(target)s of the planned value by %(date)s. At the pace of the last four weeks the "
             "district will reach %(forecast)s and meet it.") % values


def as_json(data: dict) -> dict:
    """Chart data for the bulletin page (floats and strings only)."""
    return {
        "labels": [s["name"] for s in data["subdistricts"]],
        "series": [
            {"name": _("Share of value done"), "data": [round(s["share"] * 100, 2) for s in data["subdistricts"]]},
            {"name": _("Start rate"), "data": [round(s["start_rate"] * 100, 2) for s in data["subdistricts"]]},
        ],
        "target": round(data["milestone"]["target_share"] * 100, 2) if data["milestone"] else None,
        "targetName": _("Milestone target") if data["milestone"] else "",
    }
