from django import forms
from django.utils.translation import gettext_lazy as _

from gaizao.core.forms import StyledFormMixin


class ScenarioForm(StyledFormMixin, forms.Form):
    """A what-if run: a name and, per year, a budget (in 万元 as officials think of it) and capacity."""

    name = forms.CharField(label=_("Scenario name"), max_length=100)
    upgrade_weight = forms.DecimalField(label=_("Weight of upgrade work"), min_value=0, max_value=1,
                                        decimal_places=2, initial=0.25)

    def __init__(self, *args, years=(), initial_inputs=None, **kwargs):
        super().__init__(*args, **kwargs)
        initial_inputs = initial_inputs or {}
        budgets = initial_inputs.get("budgets", {})
        caps = initial_inputs.get("capacity_households") or {}
        community_caps = initial_inputs.get("capacity_communities") or {}
        self.years = list(years)
        for year in self.years:
            self.fields[f"budget_{year}"] = forms.DecimalField(
                label=_("Budget %(year)s (万元)") % {"year": year}, min_value=0, decimal_places=2,
                initial=round(budgets.get(str(year), 0) / 10000, 2))
            self.fields[f"capacity_{year}"] = forms.IntegerField(
                label=_("Households starting %(year)s (at most)") % {"year": year}, min_value=0, required=False,
                initial=caps.get(str(year)))
            self.fields[f"communities_{year}"] = forms.IntegerField(
                label=_("Communities starting %(year)s (at most)") % {"year": year}, min_value=0, required=False,
                initial=community_caps.get(str(year)))
        if "upgrade_weight" in initial_inputs:
            self.fields["upgrade_weight"].initial = initial_inputs["upgrade_weight"]
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")

    def inputs(self) -> dict:
        data = self.cleaned_data
        caps = {str(y): data[f"capacity_{y}"] for y in self.years if data.get(f"capacity_{y}") is not None}
        community_caps = {str(y): data[f"communities_{y}"] for y in self.years
                          if data.get(f"communities_{y}") is not None}
        return {"budgets": {str(y): float(data[f"budget_{y}"]) * 10000 for y in self.years},
                "capacity_households": caps or None, "capacity_communities": community_caps or None,
                "upgrade_weight": float(data["upgrade_weight"])}
