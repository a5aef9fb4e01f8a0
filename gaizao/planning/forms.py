import copy
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaizao.core.forms import StyledFormMixin
from gaizao.planning import funding
from gaizao.planning.models import FundingSource, Pays

WAN = Decimal(10_000)


def _shares_text(shares) -> str:
    """[0.6, 0.4] -> "60, 40" (percent, as officials write a cash flow)."""
    return ", ".join(f"{float(s) * 100:g}" for s in shares or [1.0])


def _wan(yuan: Decimal) -> str:
    """2000000.00 -> "200", 1234500 -> "123.45" (万元 as typed)."""
    text = f"{Decimal(yuan) / WAN:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _parse_shares(text: str) -> list[float]:
    parts = [p for p in text.replace("，", ",").replace("/", ",").replace("%", "").split(",") if p.strip()]
    try:
        return [float(Decimal(p.strip())) / 100 for p in parts]
    except InvalidOperation:
        raise forms.ValidationError(_("Write the cash flow as percentages separated by commas, e.g. 60, 40.")) \
            from None


class CashFlowField(forms.CharField):
    """Percent of a cost spent in its start year, the next year, …: "60, 40"; cleaned to shares [0.6, 0.4]."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", gettext_lazy("Cash flow (per cent of the cost per year from the start year)"))
        kwargs.setdefault("help_text", gettext_lazy("e.g. 60, 40: 60% in the start year, 40% the year after. "
                                                    "They add up to 100."))
        super().__init__(max_length=100, **kwargs)

    def prepare_value(self, value):
        return _shares_text(value) if isinstance(value, (list, tuple)) else value

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        shares = _parse_shares(text)
        problems = funding.cash_flow_problems(shares)
        if problems:
            raise forms.ValidationError(problems)
        return shares


class YearFundingForm(StyledFormMixin, forms.Form):
    """One year's sources: per funding source an amount (万元, empty = not used), what it may pay, and the order in
    which it is spent. Every problem names the year and the source."""

    def __init__(self, *args, year: int, years: list[int], rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.year, self.years = year, years
        present = {row.source: row for row in rows}
        order = [row.source for row in rows] + [code for code in FundingSource.values if code not in present]
        self.sources = []
        for position, code in enumerate(order, start=1):
            row = present.get(code)
            label = funding.source_label(code)
            self.fields[f"amount_{code}"] = forms.CharField(
                label=_("%(source)s (万元)") % {"source": label}, required=False, max_length=30,
                initial=_wan(row.amount_yuan) if row else "",
                widget=forms.TextInput(attrs={"inputmode": "decimal"}))
            may_pay = _("%(source)s may pay") % {"source": label}
            self.fields[f"pays_{code}"] = forms.CharField(
                label=may_pay, max_length=10, required=False,
                initial=row.pays if row else funding.DEFAULT_PAYS.get(code, Pays.ALL),
                widget=forms.Select(choices=Pays.choices, attrs={"class": "form-select", "aria-label": may_pay}))
            self.fields[f"order_{code}"] = forms.IntegerField(
                label=_("%(source)s: order of spending") % {"source": label}, required=False, min_value=1,
                max_value=99, initial=position)
            self.sources.append(code)

    def rows_of_sources(self):
        """(code, label, amount field, pays field, order field) for the template's table."""
        return [(code, funding.source_label(code), self[f"amount_{code}"], self[f"pays_{code}"],
                 self[f"order_{code}"]) for code in self.sources]

    def clean(self):
        data = super().clean()
        rows = []
        for index, code in enumerate(self.sources):
            typed = (data.get(f"amount_{code}") or "").strip().replace(",", "").replace("，", "")
            if not typed:
                continue
            try:
                amount = str(Decimal(typed) * WAN)
            except InvalidOperation:
                amount = typed
            pays = data.get(f"pays_{code}") or funding.DEFAULT_PAYS.get(code, Pays.ALL)
            row = {"code": code, "amount_yuan": amount, "pays": pays, "shown": typed}
            for problem in funding.funding_problems({str(self.year): [row]}, self.years):
                self.add_error(f"amount_{code}", problem)
            order = data.get(f"order_{code}")
            rows.append((order if order is not None else 100, index, row))
        self.rows = [{key: value for key, value in row.items() if key != "shown"} for *_, row in sorted(rows)]
        return data


class RulesForm(StyledFormMixin, forms.Form):
    """The programme's rules beyond money: cash flow, sub-district capacity, move penalty of re-planning."""

    cash_flow = CashFlowField()
    capacity_subdistrict = forms.IntegerField(
        label=gettext_lazy("Communities starting basic work per sub-district and year (at most)"), required=False,
        min_value=1, help_text=gettext_lazy("Empty: no limit."))
    move_penalty = forms.DecimalField(
        label=gettext_lazy("Move penalty"), min_value=0, max_digits=14, decimal_places=2, initial=0,
        help_text=gettext_lazy("What a re-plan gives up for each community it moves from its adopted year, in "
                               "the objective's units (need score × households × years): 2,000 is about one "
                               "community of 40 households and need score 50 served a year later."))


class ScenarioForm(StyledFormMixin, forms.Form):
    """A what-if run: a name and, per year, a budget (in 万元 as officials think of it) and capacity; with funding
    sources, quick variants of them instead of the budgets; the cash flow and the move penalty."""

    VARIANTS = [("", gettext_lazy("The programme's funding as it is")),
                ("bonds_cut", gettext_lazy("Special bonds 20 per cent less in one year")),
                ("no_provident_fund", gettext_lazy("No housing provident fund"))]

    name = forms.CharField(label=gettext_lazy("Scenario name"), max_length=100)
    upgrade_weight = forms.DecimalField(label=gettext_lazy("Weight of upgrade work"), min_value=0, max_value=1,
                                        decimal_places=2, initial=0.25)

    def __init__(self, *args, years=(), initial_inputs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.base = copy.deepcopy(initial_inputs or {})
        budgets = self.base.get("budgets", {})
        caps = self.base.get("capacity_households") or {}
        community_caps = self.base.get("capacity_communities") or {}
        self.years = list(years)
        self.has_funding = bool(self.base.get("funding"))
        if self.has_funding:
            self.fields["variant"] = forms.ChoiceField(label=_("Funding"), choices=self.VARIANTS, required=False,
                                                       widget=forms.RadioSelect(attrs={"class": "form-check-input"}))
            self.fields["variant_year"] = forms.TypedChoiceField(
                label=_("Year of the bonds cut"), coerce=int, choices=[(y, y) for y in self.years], required=False,
                initial=self.years[min(1, len(self.years) - 1)] if self.years else None)
        for year in self.years:
            if not self.has_funding:
                self.fields[f"budget_{year}"] = forms.DecimalField(
                    label=_("Budget %(year)s (万元)") % {"year": year}, min_value=0, decimal_places=2,
                    initial=round(budgets.get(str(year), 0) / 10000, 2))
            self.fields[f"capacity_{year}"] = forms.IntegerField(
                label=_("Households starting %(year)s (at most)") % {"year": year}, min_value=0, required=False,
                initial=caps.get(str(year)))
            self.fields[f"communities_{year}"] = forms.IntegerField(
                label=_("Communities starting %(year)s (at most)") % {"year": year}, min_value=0, required=False,
                initial=community_caps.get(str(year)))
        self.fields["cash_flow"] = CashFlowField(required=False, initial=_shares_text(self.base.get("cash_flow")))
        self.fields["move_penalty"] = forms.DecimalField(
            label=_("Move penalty"), min_value=0, max_digits=14, decimal_places=2, required=False,
            initial=self.base.get("move_penalty", 0), help_text=RulesForm.base_fields["move_penalty"].help_text)
        if "upgrade_weight" in self.base:
            self.fields["upgrade_weight"].initial = self.base["upgrade_weight"]
        for field in self.fields.values():
            if isinstance(field.widget, forms.Select):
                field.widget.attrs.setdefault("class", "form-select")
            elif not isinstance(field.widget, forms.RadioSelect):
                field.widget.attrs.setdefault("class", "form-control")

    def clean(self):
        data = super().clean()
        if data.get("variant") == "bonds_cut" and not data.get("variant_year"):
            self.add_error("variant_year", _("Choose the year whose special bonds are cut."))
        return data

    def inputs(self) -> dict:
        data = self.cleaned_data
        inputs = copy.deepcopy(self.base)
        caps = {str(y): data[f"capacity_{y}"] for y in self.years if data.get(f"capacity_{y}") is not None}
        community_caps = {str(y): data[f"communities_{y}"] for y in self.years
                          if data.get(f"communities_{y}") is not None}
        inputs.update({"capacity_households": caps or None, "capacity_communities": community_caps or None,
                       "upgrade_weight": float(data["upgrade_weight"])})
        if self.has_funding:
            inputs["funding"] = funding.apply_variant(inputs["funding"], data.get("variant") or "",
                                                      data.get("variant_year"))
            inputs["variant"] = data.get("variant") or ""
            inputs["budgets"] = funding.budgets_of(inputs["funding"])
        else:
            inputs["budgets"] = {str(y): float(data[f"budget_{y}"]) * 10000 for y in self.years}
        if data.get("cash_flow"):
            inputs["cash_flow"] = data["cash_flow"]
        if data.get("move_penalty") is not None:
            inputs["move_penalty"] = float(data["move_penalty"])
        return inputs
