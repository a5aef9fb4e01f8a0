"""Word lists for synthetic places, communities and companies, so generated pages read like real ones."""

SUBDISTRICTS = ["东城", "西城", "南城", "北城", "中城", "安邑", "姚孟", "解州", "龙居", "北相"]
UNITS = ["棉纺厂", "机械厂", "化肥厂", "供电局", "粮食局", "水利局", "建设局", "第一中学", "人民医院", "运输公司",
         "邮电局", "纺织厂", "电机厂", "糖厂", "农机厂", "百货公司", "税务局", "卫生局", "铁路", "烟草公司",
         "工商局", "气象局", "印刷厂", "啤酒厂", "钢铁厂", "地质队", "师范学校", "煤炭公司", "电信局", "食品厂"]
STREETS = ["解放路", "人民路", "红旗街", "河东街", "中银路", "禹都大道", "学苑路", "盐湖路", "工农路", "建设路",
           "前进街", "府东街", "府西街", "槐东路", "槐西路", "北城街", "南风路", "凤凰路", "黄河大道", "圣惠路"]
KINDS = ["家属院", "家属楼", "小区", "宿舍", "生活区"]
COMPANY_PLACES = ["山西", "运城", "太原", "晋城", "临汾", "长治", "大同", "晋中", "吕梁", "忻州", "阳泉", "朔州"]
COMPANY_WORDS = ["建工", "建设", "市政", "路桥", "城建", "安装", "装饰", "园林"]
SUPERVISOR_WORDS = ["建设监理", "工程咨询", "项目管理"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华玉兰红霞平刚桂英建国建华志强文辉春梅海燕晓东"
FEEDBACK_TEXTS = {
    "quality": ["楼道墙面刚刷完就起皮了", "新换的窗户关不严，漏风", "屋面防水做完后还是渗水", "外墙保温板有空鼓"],
    "safety": ["施工现场没有围挡，孩子经常进去", "脚手架下面没有防护网", "沟槽夜里没有警示灯"],
    "noise": ["晚上十点以后还在施工，噪音太大", "切割石材粉尘很大，没有洒水"],
    "utilities": ["改管后停水两天了，什么时候恢复", "暖气管道改造后家里不热", "施工挖断了网线"],
    "other": ["建材堆在单元门口，老人出入不便", "希望增加几个休息座椅"],
}
ANSWERS = ["已安排施工队整改，三日内完成。", "已联系供水公司，今日恢复。", "已调整施工时间，晚上八点后停工。"]


def person(rng) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def community_name(rng, taken: set) -> str:
    """A name unique in its sub-district: a work unit's compound or a street's community, numbered if taken."""
    if rng.random() < 0.6:
        base = rng.choice(UNITS) + rng.choice(KINDS[:2])
    else:
        base = rng.choice(STREETS) + rng.choice(KINDS[2:])
    name, number = base, 1
    while name in taken:
        number += 1
        name = f"{base}{number}号院"
    taken.add(name)
    return name
