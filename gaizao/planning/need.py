"""The need score: a transparent weighted sum, shown with each term's contribution.

Each term is scaled to 0–1; the score is 100 × Σ weight·term / Σ weight, so it reads as 0–100 whatever the
weights. Residents' support counts as neutral (0.5) until it is known.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

TERMS = {
    "age": _("Age of the buildings"),
    "problems": _("Problems recorded"),
    "households": _("Households served"),
    "elderly": _("Residents over 60"),
    "support": _("Residents' support"),
    "demonstration": _("Demonstration community"),
}
AGE_FULL = 40  # years; a community this old or older gets the full age term
PROBLEMS_FULL = 5
HOUSEHOLDS_FULL = 300


@dataclass(frozen=True)
class NeedScore:
    score: float
    contributions: dict[str, float]  # term -> points of the score
    terms: dict[str, float]  # term -> 0..1

    def rows(self):
        return [(key, TERMS[key], self.terms[key], self.contributions[key]) for key in TERMS]


def _clamp(value: float) -> float:
    return max(0.0, min(1.0, value))


def need_terms(*, year_built: int, problems: list, households: int, elderly_share, resident_support,
               is_demonstration: bool, as_of_year: int) -> dict[str, float]:
    return {
        "age": _clamp((as_of_year - year_built) / AGE_FULL),
        "problems": _clamp(len(problems or []) / PROBLEMS_FULL),
        "households": _clamp(households / HOUSEHOLDS_FULL),
        "elderly": _clamp(float(elderly_share or 0) / 100),
        "support": 0.5 if resident_support is None else _clamp(float(resident_support) / 100),
        "demonstration": 1.0 if is_demonstration else 0.0,
    }


def need_score(terms: dict[str, float], weights: dict[str, float]) -> NeedScore:
    total = sum(max(0.0, float(weights.get(k, 0))) for k in TERMS) or 1.0
    contributions = {k: round(100 * max(0.0, float(weights.get(k, 0))) * terms[k] / total, 2) for k in TERMS}
    return NeedScore(score=round(sum(contributions.values()), 2), contributions=contributions, terms=terms)


def score_community(community, households: int, weights: dict, as_of_year: int) -> NeedScore:
    terms = need_terms(year_built=community.year_built, problems=community.problems, households=households,
                       elderly_share=community.elderly_share, resident_support=community.resident_support,
                       is_demonstration=community.is_demonstration, as_of_year=as_of_year)
    return need_score(terms, weights)


def as_decimal(score: NeedScore) -> Decimal:
    return Decimal(str(score.score))
