import datetime

from django.utils import translation

from gaizao.core import formatting


def test_chinese_magnitudes_as_officials_write_them():
    with translation.override("zh-hans"):
        assert formatting.count(21200, "户") == "2.12万户"
        assert formatting.money(1_200_000_000) == "12亿元"
        assert formatting.money(236_000_000) == "2.36亿元"
        assert formatting.area(1_960_000) == "196万平方米"
        assert formatting.area(4936) == "4,936平方米"
        assert formatting.date(datetime.date(2021, 11, 25)) == "2021年11月25日"


def test_english_uses_thousands_separators():
    with translation.override("en"):
        assert formatting.area(1_960_000) == "1,960,000 m²"
        assert formatting.money(1_200_000_000) == "1.2 billion yuan"
        assert formatting.date(datetime.date(2021, 11, 25)) == "25 Nov 2021"


def test_missing_values_show_a_dash():
    assert formatting.grouped(None) == "—"
    assert formatting.money(None) == "—"


def test_a_vote_margin_reads_in_words():
    with translation.override("zh-hans"):
        assert formatting.margin(-55, -3881.04) == "还差 55 户、3,881.04 平方米"
        assert formatting.margin(12, -3.5) == "还差 3.5 平方米；已超过 12 户"
    with translation.override("en"):
        assert formatting.margin(1200, 3881.04) == "ahead by 1,200 owners, 3,881.04 m²"


def test_a_moment_is_dated_in_the_platforms_time_zone_not_the_servers(settings):
    # 17:30 UTC on 24 November is 01:30 on 25 November in Yuncheng: the day people there lived it.
    settings.TIME_ZONE = "Asia/Shanghai"
    moment = datetime.datetime(2021, 11, 24, 17, 30, tzinfo=datetime.UTC)
    with translation.override("zh-hans"):
        assert formatting.date(moment) == "2021年11月25日"
