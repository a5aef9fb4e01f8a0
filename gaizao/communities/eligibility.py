"""Which communities the programme may renovate, and why (the rule shown to users).

A community qualifies when it was built in or before the district's cut-off year (default 2000, "built
before the end of 2000") and no other programme covers it.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from gaizao.communities.models import ExclusionReason

BUILT_AFTER_CUTOFF = "built_after_cutoff"


@dataclass(frozen=True)
class Verdict:
    eligible: bool
    reason_code: str  # "" when eligible; an ExclusionReason value or BUILT_AFTER_CUTOFF otherwise
    reasons: tuple[str, ...]  # sentences for the user


def evaluate(year_built: int, exclusion_reason: str, cutoff_year: int) -> Verdict:
    reasons = []
    code = exclusion_code(year_built, exclusion_reason, cutoff_year)
    if year_built > cutoff_year:
        reasons.append(
            _("Built in %(year)s, after the cut-off year %(cutoff)s.") % {"year": year_built, "cutoff": cutoff_year}
        )
    else:
        reasons.append(
            _("Built in %(year)s, in or before the cut-off year %(cutoff)s.")
            % {"year": year_built, "cutoff": cutoff_year}
        )
    if exclusion_reason:
        reasons.append(
            _("Covered by another programme: %(reason)s.")
            % {"reason": ExclusionReason(exclusion_reason).label}
        )
    else:
        reasons.append(_("Not covered by another programme."))
    return Verdict(eligible=not code, reason_code=code, reasons=tuple(reasons))


def reason_label(code: str) -> str:
    if code == BUILT_AFTER_CUTOFF:
        return str(_("Built after the cut-off year"))
    return str(ExclusionReason(code).label)


def exclusion_code(year_built: int, exclusion_reason: str, cutoff_year: int) -> str:
    """The one reason a community is counted under in the summary ("" if eligible).

    An exclusion reason recorded by the census wins over the build year, since that is the programme
    that actually covers it.
    """
    if exclusion_reason:
        return exclusion_reason
    return BUILT_AFTER_CUTOFF if year_built > cutoff_year else ""
