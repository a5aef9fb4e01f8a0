"""Exports write numbers as officials read them: thousands separators, decimals only for fractions, years as years."""

from decimal import Decimal

from gaizao.core import excel


def test_numbers_get_separators_and_years_stay_years():
    workbook = excel.new_workbook()
    sheet = excel.add_sheet(workbook, "t", ["年度", "户数", "投资（元）", "小区编码"],
                            [[2021, 21200, Decimal("1199999995.60"), "YH001"]])
    year, households, money, code = sheet[2]
    assert year.number_format == "General" and year.value == 2021
    assert households.number_format == "#,##0" and households.value == 21200
    assert money.number_format == "#,##0.00" and money.value == Decimal("1199999995.60")
    assert code.number_format == "General" and sheet.freeze_panes == "A2"
