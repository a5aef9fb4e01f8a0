"""Notices (公告): announcements to a community, a sub-district or the whole district.

Construction schedules, water and power cuts, seasonal advice. Notice text is plain text: pages escape it and
keep its line breaks. Staff start from one of the templates below (code, not data) and fill in the parts marked
【请填写…】; a notice cannot be published while such a mark is left.

The templates' titles and texts are what residents read, so they are written in Chinese, the residents'
language, and are not translated with the interface; only their names in the staff's menu are.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaizao.communities.models import Community
from gaizao.core import audit
from gaizao.participation.models import Notice
from gaizao.regions.models import Area

PLACEHOLDER = "【请填写"


@dataclass(frozen=True)
class NoticeTemplate:
    key: str
    name: Promise | str
    title: str
    body: str


# The winter advice follows the box "冬季水管如何防冻保暖?" on the district newspaper's renovation page (the
# water company's notice), including the 24-hour hotline it prints for central-city customers.
FREEZE_PROTECTION = NoticeTemplate(
    key="freeze",
    name=gettext_lazy("Winter water-pipe freeze protection"),
    title="冬季供水管道防冻提示",
    body="\n".join([
        "各位居民:",
        "",
        "据气象部门消息,今冬气温可能较常年同期偏低,甚至出现极端天气。为避免水管、水表等供水设施冻裂,"
        "影响大家正常用水,请及时做好室内外水管、水表、水龙头的防冻保暖:",
        "",
        "1. 穿衣戴帽:暴露在室外的水管、水龙头,用约5厘米厚的棉麻织物或塑料泡沫包裹保温;"
        "水表可用草袋、旧衣物等遮盖保温。",
        "2. 关窗防寒:晚上关紧阳台、厨房、卫生间的门窗,保持室内温度。",
        "3. 滴水成线:气温在0℃以下时,晚上入睡前把水龙头稍稍打开,让水成线滴流,"
        "管内的水流动就不易结冰;滴下的水可用容器接住留用。",
        "4. 用水保障:提前储存适量生活用水,以备急需。",
        "5. 排空设施:寒潮来临前,经常不在家住或要长时间外出的住户,请排空水管、水表中的存水;"
        "太阳能热水器的水管应装竖置防冻排水装置,以便排空存水。",
        "6. 应急措施:水管已冻住时,先用热毛巾敷在上面,再用30℃左右的温水冲淋化冻"
        "(PE、PP-R、PVC等塑料管也可用电吹风吹);水龙头冻住打不开时,也用温水淋浇裸露在外的水管。"
        "切不可用火烘烤或用开水浇烫,以免水管、水表冻裂。",
        "",
        "如发现水表破损、表前水管破裂等情况,请拨打供水单位24小时通水服务热线:2587866"
        "(运城首创水务,中心城区用户;其他片区请改为当地供水单位的热线)。",
    ]),
)

WATER_CUT = NoticeTemplate(
    key="water_cut",
    name=gettext_lazy("Water cut"),
    title="停水通知",
    body="""各位居民:

因【请填写:原因,如小区供水管网改造】,定于【请填写:日期】【请填写:开始时间】至【请填写:结束时间】停止供水,停水范围:【请填写:楼栋、单元】。

请提前储存好生活用水;停水期间请关闭家中水龙头,以免来水时跑水。恢复供水后水质可能短时浑浊,请放水片刻再使用。

联系人及电话:【请填写】

给您带来不便,敬请谅解。""",
)

POWER_CUT = NoticeTemplate(
    key="power_cut",
    name=gettext_lazy("Power cut"),
    title="停电通知",
    body="""各位居民:

因【请填写:原因,如强弱电入地改造】,定于【请填写:日期】【请填写:开始时间】至【请填写:结束时间】停电,停电范围:【请填写:楼栋、单元】。

停电期间电梯、二次供水加压设备可能停止运行,行动不便的老人请提前安排出行;请关闭家用电器电源,来电后再逐一开启;冰箱内食品请妥善存放。

联系人及电话:【请填写】

给您带来不便,敬请谅解。""",
)

CONSTRUCTION = NoticeTemplate(
    key="construction",
    name=gettext_lazy("Construction schedule"),
    title="施工安排告知",
    body="""各位居民:

本小区老旧小区改造工程将于【请填写:日期】起进行【请填写:施工内容,如外墙保温、雨污管道开挖】施工,范围:【请填写:楼栋或区域】,预计【请填写:日期】完成。

每天施工时间为【请填写:如7:00—12:00、14:00—20:00】,午间和夜间不进行产生噪声的作业。施工期间请:
1. 绕开围挡和开挖区域,照看好老人和孩子;
2. 按指引停放车辆,保持消防通道畅通;
3. 不在阳台、窗台放置易坠落的物品。

施工单位及联系电话:【请填写】
发现质量、安全、噪声等问题,可扫描楼道口的二维码反映,相关单位将按时答复。

感谢您的理解与支持!""",
)

TEMPLATES = [FREEZE_PROTECTION, WATER_CUT, POWER_CUT, CONSTRUCTION]


def template(key: str) -> NoticeTemplate | None:
    return next((t for t in TEMPLATES if t.key == key), None)


# --- who sees and who publishes -------------------------------------------------------------------------------


def _current(notices, now=None):
    now = now or timezone.now()
    return notices.filter(published_at__lte=now).filter(Q(valid_until__isnull=True) | Q(valid_until__gt=now))


def for_communities(communities):
    """Notices addressed to these communities, their sub-districts or their districts."""
    subdistricts = list(communities.values_list("subdistrict_id", flat=True).distinct())
    districts = list(Area.objects.filter(pk__in=subdistricts).values_list("parent_id", flat=True).distinct())
    return Notice.objects.filter(Q(community__in=communities) | Q(area__in=subdistricts) | Q(area__in=districts))


def for_community(community: Community, now=None):
    """What a resident of this community reads now: notices in force, newest first."""
    notices = for_communities(Community.objects.filter(pk=community.pk))
    return _current(notices, now).select_related("area", "community").order_by("-published_at", "-pk")


def visible_to(user):
    """Notices a staff user sees: all for the bureau; those reaching their communities for everyone else."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Notice.objects.none()
    if user.sees_whole_district:
        return Notice.objects.all()
    if user.role == user.Role.SUBDISTRICT_OFFICER and user.subdistrict_id:
        own = Notice.objects.filter(Q(area_id=user.subdistrict_id) | Q(area_id=user.subdistrict.parent_id))
        return for_communities(Community.objects.filter(subdistrict_id=user.subdistrict_id)) | own
    if user.role == user.Role.CONTRACTOR:
        membership = getattr(user, "membership", None)
        if membership is None:
            return Notice.objects.none()
        return for_communities(Community.objects.filter(projects__contractor_id=membership.company_id).distinct())
    if user.role == user.Role.COMMITTEE_MEMBER:
        from gaizao.participation.feedback import committee_communities

        return for_communities(committee_communities(user))
    return Notice.objects.none()


def may_publish(user, *, area: Area | None = None, community: Community | None = None) -> bool:
    """The bureau to anyone; a sub-district officer to their sub-district or one of its communities."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.role == user.Role.BUREAU:
        return True
    if user.role != user.Role.SUBDISTRICT_OFFICER or not user.subdistrict_id:
        return False
    if community is not None:
        return community.subdistrict_id == user.subdistrict_id
    return area is not None and area.pk == user.subdistrict_id


def may_publish_any(user) -> bool:
    return may_publish(user, area=getattr(user, "subdistrict", None)) if user and user.is_authenticated else False


def audiences_for(user) -> list[tuple[str, str]]:
    """The audiences a user may address, as (value, label): area:<id> or community:<id>."""
    if not may_publish_any(user):
        return []
    choices = []
    if user.is_superuser or user.role == user.Role.BUREAU:
        areas = Area.objects.filter(level__in=[Area.Level.DISTRICT, Area.Level.SUBDISTRICT]).order_by("code", "name")
        communities = Community.objects.select_related("subdistrict").order_by("code")
    else:
        areas = Area.objects.filter(pk=user.subdistrict_id)
        communities = Community.objects.filter(subdistrict_id=user.subdistrict_id).order_by("code")
    for area in sorted(areas, key=lambda a: (a.level != Area.Level.DISTRICT, a.code or "", a.name)):
        label = _("The district: %(name)s") if area.level == Area.Level.DISTRICT else _("Sub-district: %(name)s")
        choices.append((f"area:{area.pk}", label % {"name": area.name}))
    for community in communities:
        choices.append((f"community:{community.pk}", _("Community: %(name)s") % {"name": community.name}))
    return choices


def parse_audience(value: str):
    """'area:3' → (Area, None); 'community:7' → (None, Community); anything else raises ValidationError."""
    kind, _sep, pk = (value or "").partition(":")
    if pk.isdigit():
        if kind == "area":
            area = Area.objects.filter(pk=pk, level__in=[Area.Level.DISTRICT, Area.Level.SUBDISTRICT]).first()
            if area is not None:
                return area, None
        if kind == "community":
            community = Community.objects.filter(pk=pk).first()
            if community is not None:
                return None, community
    raise ValidationError(_("Choose who the notice is for."))


def audience_label(notice: Notice) -> str:
    if notice.community_id:
        return notice.community.name
    if notice.area.level == Area.Level.DISTRICT:
        return _("The whole district (%(name)s)") % {"name": notice.area.name}
    return notice.area.name


def state(notice: Notice, now=None) -> str:
    now = now or timezone.now()
    if notice.published_at > now:
        return "scheduled"
    if notice.valid_until is not None and notice.valid_until <= now:
        return "ended"
    return "current"


# --- changes --------------------------------------------------------------------------------------------------


def _snapshot(notice):
    return audit.snapshot(notice, ["title", "body", "area", "community", "published_at", "valid_until"])


def publish(actor, *, title: str, body: str, area: Area | None = None, community: Community | None = None,
            published_at: datetime.datetime | None = None, valid_until: datetime.datetime | None = None) -> Notice:
    if (area is None) == (community is None):
        raise ValidationError(_("Choose who the notice is for."))
    if not may_publish(actor, area=area, community=community):
        raise PermissionDenied(_("You may not publish notices to this audience."))
    title, body = (title or "").strip(), (body or "").strip()
    if not title or not body:
        raise ValidationError(_("A notice needs a title and a text."))
    if PLACEHOLDER in title or PLACEHOLDER in body:
        raise ValidationError(_("Fill in the parts marked 【请填写…】 first."))
    published_at = published_at or timezone.now()
    if valid_until is not None and valid_until <= published_at:
        raise ValidationError(_("The notice must end after it is published."))
    with transaction.atomic():
        notice = Notice.objects.create(title=title[:200], body=body, area=area, community=community,
                                       published_at=published_at, valid_until=valid_until, created_by=actor)
        audit.record(actor, [audit.Change("create", notice, None, _snapshot(notice),
                                          parent=community if community is not None else area)])
    return notice


def may_end(user, notice: Notice) -> bool:
    return may_publish(user, area=notice.area, community=notice.community)


def end(actor, notice: Notice) -> Notice:
    """Take a notice down now (it stays in the staff's list as ended)."""
    if not may_end(actor, notice):
        raise PermissionDenied(_("You may not change this notice."))
    before = _snapshot(notice)
    now = timezone.now()
    with transaction.atomic():
        if notice.published_at > now:  # a scheduled notice is called off before anyone saw it
            notice.published_at = now
        notice.valid_until = now
        notice.save(update_fields=["published_at", "valid_until"])
        audit.record(actor, [audit.Change("update", notice, before, _snapshot(notice))])
    return notice
