"""Ready-made notices (公告) staff start from: the newspaper's winter freeze-protection advice and others.

Staff fill in the parts marked 【请填写…】; a notice cannot be published while such a mark is left. The titles and
texts are what residents read, so they are written in Chinese, the residents' language, and are not translated
with the interface; only their names in the staff's menu are.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

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
