"""Which districts a user sees: the whole platform, or the districts under the province, city or district they serve.

A leader may be given an area (`User.area`, a database constraint allows it for leaders only). Province and city
staff do not run works themselves: they see their districts' figures and pages and write nothing, which every
write check in the platform already says of a leader. A user with no area keeps the whole-platform view the
demo's accounts have always had. (A district's own bureau writing only in its district, on a platform shared by
several districts, is not done yet: bureau staff serve the whole platform.)
"""

from gaizao.regions.models import Area


def is_scoped(user) -> bool:
    """A signed-in leader who serves one area rather than the whole platform."""
    return bool(user is not None and user.is_authenticated and user.is_active and not user.is_superuser
                and user.area_id is not None)


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
    if user is None or not user.is_authenticated or not user.is_active:
        return Area.objects.none()
    if not is_scoped(user):
        return None if user.sees_whole_district else Area.objects.none()
    return districts_under(user.area)


def roll_up_areas(user):
    """The provinces, cities and districts a user may open a roll-up of: everything for the whole platform's
    staff, their own area and the areas under it for a province's or city's, nothing for others."""
    above = Area.objects.filter(level__in=[Area.Level.PROVINCE, Area.Level.CITY, Area.Level.DISTRICT])
    if user is None or not user.is_authenticated or not user.is_active:
        return above.none()
    if not is_scoped(user):
        return above if user.sees_whole_district else above.none()
    area = user.area
    if area.level == Area.Level.PROVINCE:
        return above.filter(pk=area.pk) | above.filter(parent=area) | above.filter(parent__parent=area)
    if area.level == Area.Level.CITY:
        return above.filter(pk=area.pk) | above.filter(parent=area)
    return above.filter(pk=area.pk)
