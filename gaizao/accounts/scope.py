"""Which districts a user sees: the whole platform, or the districts under the province, city or district they serve.

Two roles may be given an area (`User.area`; a database constraint allows it for these two only):

- a leader (read only): a province's, city's or district's staff see their districts' figures and pages and write
  nothing, which every write check in the platform already says of a leader;
- bureau staff serving one district (a district's own bureau on a platform shared by several districts): they see
  and do what the bureau does, but only in that district. What is the whole platform's stays with the bureau
  without an area: the catalogue of work items, the areas, the district rules, the settings pages and the joint
  meeting's records (`docs/rollup.md`).

A user with no area keeps the whole-platform view the demo's accounts have always had.
"""

from gaizao.regions.models import Area


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_scoped(user) -> bool:
    """A signed-in leader or bureau member who serves one area rather than the whole platform."""
    return bool(_active(user) and not user.is_superuser and user.area_id is not None)


def is_district_bureau(user) -> bool:
    """Bureau staff serving one district: the bureau's work, in that district only."""
    return is_scoped(user) and user.role == user.Role.BUREAU


def is_bureau(user) -> bool:
    """Bureau staff of the whole platform or of one district (and superusers): who may do the bureau's work
    somewhere. Where is `runs(user, subdistrict_id)`."""
    return _active(user) and (user.is_superuser or user.role == user.Role.BUREAU)


def districts_under(area: Area):
    """The districts at or under a province, city or district, as a queryset of areas."""
    districts = Area.objects.filter(level=Area.Level.DISTRICT)
    if area.level == Area.Level.DISTRICT:
        return districts.filter(pk=area.pk)
    if area.level == Area.Level.CITY:
        return districts.filter(parent=area)
    if area.level == Area.Level.PROVINCE:
        return districts.filter(parent__parent=area)
    return districts.none()


def districts_for(user):
    """The districts a user sees: None for the whole platform, else a queryset of district areas (maybe empty)."""
    if not _active(user):
        return Area.objects.none()
    if not is_scoped(user):
        return None if user.sees_whole_district else Area.objects.none()
    return districts_under(user.area)


def district_ids(user) -> set[int] | None:
    """The ids of `districts_for(user)`, kept on the user object for the request (checks ask it many times)."""
    if not is_scoped(user):
        return None if _active(user) and user.sees_whole_district else set()
    cached = getattr(user, "_district_ids", None)
    if cached is None or cached[0] != user.area_id:
        cached = (user.area_id, set(districts_under(user.area).values_list("pk", flat=True)))
        user._district_ids = cached
    return cached[1]


def in_area(user, subdistrict_id) -> bool:
    """Whether a sub-district lies within what the user sees (always, for the whole platform)."""
    ids = district_ids(user)
    if ids is None:
        return True
    if subdistrict_id is None or not ids:
        return False
    # An import asks once per row: remember each sub-district's answer for the request.
    known = user.__dict__.setdefault("_in_area", {})
    if subdistrict_id not in known:
        known[subdistrict_id] = Area.objects.filter(pk=subdistrict_id, parent_id__in=ids).exists()
    return known[subdistrict_id]


def runs(user, subdistrict_id) -> bool:
    """Bureau staff's powers over a community of this sub-district: the whole platform's bureau anywhere, a
    district's bureau in its district. (A sub-district officer's own powers are checked where they apply.)"""
    if not is_bureau(user):
        return False
    return user.sees_whole_district or (is_district_bureau(user) and in_area(user, subdistrict_id))


def runs_district(user, district_id) -> bool:
    """Bureau staff's powers over a district's own records (its programme, its milestones)."""
    if not is_bureau(user):
        return False
    if user.sees_whole_district:
        return True
    return is_district_bureau(user) and district_id in district_ids(user)


def covers(user, subdistrict_id) -> bool:
    """Who may change a community of this sub-district: the bureau where it runs (`runs`), and the officer of
    that very sub-district."""
    if runs(user, subdistrict_id):
        return True
    return bool(_active(user) and user.role == user.Role.SUBDISTRICT_OFFICER and user.subdistrict_id is not None
                and user.subdistrict_id == subdistrict_id)


def roll_up_areas(user):
    """The provinces, cities and districts a user may open a roll-up of: everything for the whole platform's
    staff, their own area and the areas under it for a province's or city's, nothing for others."""
    above = Area.objects.filter(level__in=[Area.Level.PROVINCE, Area.Level.CITY, Area.Level.DISTRICT])
    if not _active(user):
        return above.none()
    if not is_scoped(user):
        return above if user.sees_whole_district else above.none()
    area = user.area
    if area.level == Area.Level.PROVINCE:
        return above.filter(pk=area.pk) | above.filter(parent=area) | above.filter(parent__parent=area)
    if area.level == Area.Level.CITY:
        return above.filter(pk=area.pk) | above.filter(parent=area)
    return above.filter(pk=area.pk)
