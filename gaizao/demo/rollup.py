"""The Yanhu demo's place above the district: 山西省 → 运城市 → 盐湖区, and a city leader who sees it read only.

The census import makes 运城市 a top-level city (the workbook is the district's own); the province is added
above it here, so the roll-up and the national monthly report have a province, a city and a district to show.
Idempotent: a loaded demo gains the province on the next `load_demo`."""

from django.utils.translation import gettext_noop

from gaizao.accounts.models import User
from gaizao.accounts.services import ensure_user
from gaizao.core.bilingual import both
from gaizao.demo.yanhu import CITY_CODE
from gaizao.regions.models import Area

PROVINCE_CODE, PROVINCE_NAME = "140000", "山西省"
CITY_LEADER = "yuncheng"


def load_rollup(password: str) -> str:
    """The province above the demo's city, and the city's leader account; a line for the demo's output."""
    province, _created = Area.objects.get_or_create(code=PROVINCE_CODE, defaults={
        "name": PROVINCE_NAME, "level": Area.Level.PROVINCE})
    city = Area.objects.get(code=CITY_CODE)
    if city.parent_id != province.pk:
        city.parent = province
        city.save(update_fields=["parent"])
    ensure_user(CITY_LEADER, password, User.Role.LEADER, full_name="运城市住建局", area=city)
    return both(gettext_noop("Roll-up: %(province)s → %(city)s; the account %(user)s (a leader of %(city)s, read "
                             "only) sees its districts at /rollup/.")) % {
        "province": province.name, "city": city.name, "user": CITY_LEADER}
