"""The thresholds of art. 278 as exact fractions: configured once, copied into each vote."""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.conf import settings

from gaizao.votes.models import MAJOR_MATTERS

DEFAULT_VOTE_RULES = {"quorum": "2/3", "ordinary": "1/2", "major": "3/4"}


_PLACES = Decimal("0.0001")


def _fraction(value) -> Fraction:
    if isinstance(value, Fraction):
        return value
    if isinstance(value, float):
        value = str(value)
    result = Fraction(str(value).strip()) if isinstance(value, str) else Fraction(value)
    if not 0 < result <= 1:
        raise ValueError(f"A vote threshold must be a share in (0, 1], not {value!r}")
    return result


def vote_rules() -> dict[str, Fraction]:
    """The thresholds in force: ``settings.VOTE_RULES`` over the Civil Code default, as exact fractions."""
    configured = {**DEFAULT_VOTE_RULES, **getattr(settings, "VOTE_RULES", {})}
    return {key: _fraction(configured[key]) for key in DEFAULT_VOTE_RULES}


def thresholds_for(matter: str, rules: dict[str, Fraction] | None = None) -> dict:
    """The model fields a new vote of this matter copies (quorum, approval, and > or ≥)."""
    rules = rules or vote_rules()
    major = matter in MAJOR_MATTERS
    approval = rules["major"] if major else rules["ordinary"]
    return {
        "quorum_area": _stored(rules["quorum"]), "quorum_owners": _stored(rules["quorum"]),
        "pass_area": _stored(approval), "pass_owners": _stored(approval),
        # The Civil Code: "more than half" for ordinary matters, "at least three quarters" for major ones.
        "pass_strictly_more": not major,
        "rule_set": getattr(settings, "VOTE_RULE_SET", "")[:100],
    }


def _stored(share: Fraction) -> Decimal:
    return (Decimal(share.numerator) / Decimal(share.denominator)).quantize(_PLACES, rounding=ROUND_HALF_UP)


def exact(stored: Decimal) -> Fraction:
    """The simplest fraction that a four-decimal stored threshold is the rounding of: 0.6667 → 2/3, 0.5 → 1/2."""
    stored = Decimal(stored).quantize(_PLACES)
    for denominator in range(1, 10001):
        numerator = int((stored * denominator).to_integral_value(rounding=ROUND_HALF_UP))
        candidate = Fraction(numerator, denominator)
        if _stored(candidate) == stored:
            return candidate
    return Fraction(stored)  # unreachable: denominator 10000 always matches
