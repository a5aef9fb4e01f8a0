"""The need score: a transparent weighted sum, shown with each term's contribution.

Each term is scaled to 0–1; the score is 100 × Σ weight·term / Σ weight, so it reads as 0–100 whatever the
weights. Residents' support comes from what residents said: the latest closed vote on the community's plan (its
approval by area and by owners, each a share of the whole electorate) and the latest needs survey (the share of
households that answered), averaged over those that exist, each named in the breakdown. Only for a community
with neither does the value typed into the census count, and without that it is neutral (0.5).

Votes and surveys depend on planning, not the other way round: they register their sources here
(``add_support_source`` in their ``AppConfig.ready``).
"""

from dataclasses import dataclass, field
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
class Evidence:
    share: float  # 0..1
    source: str  # what it is and when, as the breakdown names it


_support_sources = {}


def add_support_source(key: str, source) -> None:
    """``source(community_ids) -> {community id: Evidence}`` for many communities at once (the programme reads
    thousands)."""
    _support_sources[key] = source


def support_for(community_ids) -> dict[int, list[Evidence]]:
    found: dict[int, list[Evidence]] = {}
    ids = list(community_ids)
    for key in sorted(_support_sources):
        for community_id, evidence in _support_sources[key](ids).items():
            found.setdefault(community_id, []).append(evidence)
    return found


def _support(community, evidence: list[Evidence] | None) -> tuple[float | None, str]:
    if evidence:
        return sum(e.share for e in evidence) / len(evidence), "；".join(e.source for e in evidence)
    if community.resident_support is not None:
        return float(community.resident_support) / 100, str(_("typed into the census (no vote or survey yet)"))
    return None, str(_("not known yet: neutral"))


@dataclass(frozen=True)
class NeedScore:
    score: float
    contributions: dict[str, float]  # term -> points of the score
    terms: dict[str, float]  # term -> 0..1
    sources: dict[str, str] = field(default_factory=dict)  # term -> where its value came from

    def rows(self):
        return [(key, TERMS[key], self.terms[key], self.contributions[key], self.sources.get(key, ""))
                for key in TERMS]


def _clamp(value: float) -> float:
    return max(0.0, min(1.0, value))


def need_terms(*, year_built: int, problems: list, households: int, elderly_share, resident_support,
               is_demonstration: bool, as_of_year: int) -> dict[str, float]:
    return {
        "age": _clamp((as_of_year - year_built) / AGE_FULL),
        "problems": _clamp(len(problems or []) / PROBLEMS_FULL),
        "households": _clamp(households / HOUSEHOLDS_FULL),
        "elderly": _clamp(float(elderly_share or 0) / 100),
        "support": 0.5 if resident_support is None else _clamp(float(resident_support)),
        "demonstration": 1.0 if is_demonstration else 0.0,
    }


def need_score(terms: dict[str, float], weights: dict[str, float], sources=None) -> NeedScore:
    total = sum(max(0.0, float(weights.get(k, 0))) for k in TERMS) or 1.0
    contributions = {k: round(100 * max(0.0, float(weights.get(k, 0))) * terms[k] / total, 2) for k in TERMS}
    return NeedScore(score=round(sum(contributions.values()), 2), contributions=contributions, terms=terms,
                     sources=sources or {})


def score_community(community, households: int, weights: dict, as_of_year: int, evidence=None) -> NeedScore:
    """``evidence``: this community's entry of :func:`support_for` (read here when not given)."""
    if evidence is None:
        evidence = support_for([community.pk]).get(community.pk)
    support, source = _support(community, evidence)
    terms = need_terms(year_built=community.year_built, problems=community.problems, households=households,
                       elderly_share=community.elderly_share, resident_support=support,
                       is_demonstration=community.is_demonstration, as_of_year=as_of_year)
    return need_score(terms, weights, {"support": source})


def as_decimal(score: NeedScore) -> Decimal:
    return Decimal(str(score.score))


_needs_sources = []


def add_needs_source(source) -> None:
    """``source(community) -> {"title", "date", "responses", "households", "rows": [{code, name, count}]}`` or
    None: what the community's residents asked for (the surveys app registers its needs survey here)."""
    _needs_sources.append(source)


def residents_needs(community) -> dict | None:
    for source in _needs_sources:
        found = source(community)
        if found:
            return found
    return None
