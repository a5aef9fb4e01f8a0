"""The count: quorum and approval by area and by voters, turnout, and participation for many votes at once."""

import json
import math
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from gaizao.core import audit
from gaizao.votes.models import Ballot, ElectorateUnit, Vote
from gaizao.votes.services.ballots import status
from gaizao.votes.services.rules import exact
from gaizao.votes.services.voters import Voter, freeze, voters, voters_of

_CENT = Decimal("0.01")


def _share(part, whole) -> float:
    return float(Fraction(part) / Fraction(whole)) if whole else 0.0


def _cents(value) -> Decimal:
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(value).quantize(_CENT, rounding=ROUND_HALF_UP)


def _threshold(actual_area, actual_count, total_area, total_count, area_share: Fraction, count_share: Fraction,
          strictly_more: bool) -> dict:
    """One threshold on area and headcount: met or not, the requirement, and the margin (negative: short by)."""
    area_needed = area_share * Fraction(total_area)
    count_needed = count_share * total_count
    if strictly_more:
        area_met = Fraction(actual_area) > area_needed
        count_min = math.floor(count_needed) + 1
    else:
        area_met = Fraction(actual_area) >= area_needed
        count_min = math.ceil(count_needed)
    count_min = max(count_min, 0)
    count_met = actual_count >= count_min and total_count > 0
    return {
        "met": area_met and count_met and total_count > 0,
        "area": {"met": area_met and total_count > 0, "required_share": str(area_share),
                 "strictly_more": strictly_more, "threshold_m2": _cents(area_needed),
                 "actual_m2": _cents(actual_area), "margin_m2": _cents(Fraction(actual_area) - area_needed)},
        "owners": {"met": count_met, "required_share": str(count_share), "strictly_more": strictly_more,
                   "required": count_min, "actual": actual_count, "margin": actual_count - count_min},
    }


def _basis() -> dict:
    """What the published result cites (in the reader's language, so not stored with the result)."""
    return {
        "legal_basis": _("Civil Code of the People's Republic of China, art. 278; Interpretation of the Supreme "
                         "People's Court on disputes over the ownership of building units, arts. 8 and 9"),
        "headcount_rule": _(
            "One exclusive unit counts as one owner; co-owners of a unit cast one ballot; a buyer of several units "
            "counts once, with their areas summed (a unit co-owned with someone else counts as the same buyer's); "
            "the developer's unsold or undelivered units count as one owner. Areas are the registered areas, the "
            "measured area where none is registered."),
    }


def _counted(found: dict[str, Voter], ballots) -> dict[str, Ballot]:
    """Owner key → the ballot that counts (there is one per owner; ballots of owners outside the frozen
    electorate, which cannot happen through cast_ballot, are ignored)."""
    return {ballot.voter_key: ballot for ballot in ballots if ballot.voter_key in found}


def compute(vote: Vote, now=None) -> dict:
    """The count from the frozen electorate and the ballots; see the package doc for the rules."""
    found = voters(vote)
    counted = _counted(found, Ballot.objects.filter(vote=vote).order_by("cast_at", "pk"))

    total_area = sum((v.area for v in found.values()), Decimal(0))
    total_voters = len(found)
    tally = {c: {"voters": 0, "households": 0, "area": Decimal(0)} for c in Ballot.Choice.values}
    for key, ballot in counted.items():
        voter = found[key]
        tally[ballot.choice]["voters"] += 1
        tally[ballot.choice]["households"] += len(voter.units)
        tally[ballot.choice]["area"] += voter.area
    part_voters = sum(t["voters"] for t in tally.values())
    part_area = sum((t["area"] for t in tally.values()), Decimal(0))
    part_households = sum(t["households"] for t in tally.values())

    quorum = _threshold(part_area, part_voters, total_area, total_voters, exact(vote.quorum_area),
                        exact(vote.quorum_owners), strictly_more=False)
    approval = _threshold(tally["yes"]["area"], tally["yes"]["voters"], part_area, part_voters,
                          exact(vote.pass_area), exact(vote.pass_owners), strictly_more=vote.pass_strictly_more)

    def choice_block(choice):
        t = tally[choice]
        return {"voters": t["voters"], "households": t["households"], "area_m2": _cents(t["area"]),
                "share_voters": _share(t["voters"], part_voters), "share_area": _share(t["area"], part_area)}

    rows = []
    for voter in found.values():
        ballot = counted.get(voter.key)
        for unit in voter.units:
            rows.append({"building": unit.building, "stairwell_unit": unit.stairwell_unit, "room": unit.room,
                         "area_m2": _cents(unit.area_m2), "choice": ballot.choice if ballot else None,
                         "channel": ballot.channel if ballot else None})
    rows.sort(key=lambda r: (r["building"], r["stairwell_unit"], r["room"]))
    state = status(vote, now)
    return {
        "vote": vote.pk, "title": vote.title, "community": vote.community.code, "matter": vote.matter,
        "electorate": vote.electorate, "status": state, "final": state == "closed",
        "opens_at": vote.opens_at, "closes_at": vote.closes_at,
        "rule_set": vote.rule_set, "frozen_at": vote.frozen_at,
        "total": {"voters": total_voters, "households": sum(len(v.units) for v in found.values()),
                  "area_m2": _cents(total_area)},
        "participating": {"voters": part_voters, "households": part_households, "area_m2": _cents(part_area),
                          "share_voters": _share(part_voters, total_voters),
                          "share_area": _share(part_area, total_area)},
        "yes": choice_block("yes"), "no": choice_block("no"), "abstain": choice_block("abstain"),
        "quorum": quorum, "approval": approval,
        "quorum_met": quorum["met"], "passed": quorum["met"] and approval["met"],
        "published_rows": rows,
    }


def _plain(found: dict) -> dict:
    return json.loads(json.dumps(found, cls=DjangoJSONEncoder))


def _stored(vote: Vote, found: dict) -> None:
    vote.result, vote.result_at = _plain(found), timezone.now()
    Vote.objects.filter(pk=vote.pk).update(result=vote.result, result_at=vote.result_at)


def result(vote: Vote, now=None) -> dict:
    """The count as it stands; once the vote has closed, the result stored then, which nothing changes later."""
    if vote.result is None:
        found = compute(vote, now)
        if not found["final"]:
            return {**found, **_basis()}
        with transaction.atomic():
            if Vote.objects.select_for_update().filter(pk=vote.pk, result__isnull=True).exists():
                _stored(vote, found)
            else:
                vote.refresh_from_db(fields=["result", "result_at"])
    return {**_revive(vote.result), **_basis()}


_DATES = ("opens_at", "closes_at", "frozen_at")


def _revive(value, key=""):
    """A stored result read back with the types a live count has: areas as Decimal, times as datetimes."""
    if isinstance(value, dict):
        return {k: _revive(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_revive(v, key) for v in value]
    if isinstance(value, str) and key.endswith("_m2"):
        return Decimal(value)
    if isinstance(value, str) and key in _DATES:
        return parse_datetime(value)
    return value


def recount(actor, vote: Vote, reason: str) -> dict:
    """Count a closed vote again from its frozen electorate and its ballots: an explicit act, with who and why in
    the history (the stored result before and after)."""
    from gaizao.votes.services.ballots import may_create_vote

    if not may_create_vote(actor, vote.community):
        raise PermissionDenied(_("Only the bureau or the community's sub-district can recount a vote."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the vote is recounted; the reason is kept in the history."), code="reason")
    if status(vote) != "closed":
        raise ValidationError(_("Only a closed vote is recounted; an open one is counted as it goes."),
                              code="open")
    before = result(vote)
    with transaction.atomic():
        _stored(vote, compute(vote))
        keys = ("passed", "quorum_met", "participating", "yes", "no", "abstain")
        audit.record(actor, [audit.Change("update", vote, _plain({k: before.get(k) for k in keys}),
                                          {k: vote.result.get(k) for k in keys}, parent=vote.community,
                                          label=vote.title)], reason=_("Recount: %(reason)s") % {"reason": reason})
    return {**_revive(vote.result), **_basis()}


def turnout(vote: Vote) -> dict:
    """What a resident sees after voting: participation by headcount and by area, no one's choice."""
    found = result(vote)
    return {"status": found["status"], "total": found["total"], "participating": found["participating"],
            "quorum": {"met": found["quorum_met"],
                       "owners": {k: found["quorum"]["owners"][k] for k in ("required", "actual", "margin")},
                       "area": {k: found["quorum"]["area"][k] for k in ("threshold_m2", "actual_m2", "margin_m2")}}}


def participation_of(vote_list) -> dict[int, dict]:
    """Vote id → participating owners, units and area with their shares, as :func:`result` counts them, for
    many votes in a few queries (the vote list). Votes that have not opened yet have no electorate: zeros."""
    vote_list = list(vote_list)
    for vote in vote_list:
        freeze(vote)
    units = defaultdict(list)
    for unit in ElectorateUnit.objects.filter(vote__in=vote_list).only("vote_id", "area_m2", "owner_key"):
        units[unit.vote_id].append(unit)
    ballots = defaultdict(set)
    for vote_id, key in Ballot.objects.filter(vote__in=vote_list).values_list("vote_id", "voter_key"):
        ballots[vote_id].add(key)
    found = {}
    for vote in vote_list:
        if vote.result is not None:  # closed and counted: the stored figure, as the vote's own page shows it
            found[vote.pk] = _revive(vote.result)["participating"]
            continue
        owners = voters_of(units[vote.pk])
        counted = [key for key in ballots[vote.pk] if key in owners]
        part_area = sum((owners[key].area for key in counted), Decimal(0))
        total_area = sum((v.area for v in owners.values()), Decimal(0))
        found[vote.pk] = {
            "voters": len(counted), "households": sum(len(owners[key].units) for key in counted),
            "area_m2": _cents(part_area), "share_voters": _share(len(counted), len(owners)),
            "share_area": _share(part_area, total_area)}
    return found


def tick(now) -> tuple[int, int]:
    """The votes' clock: freeze every opened vote's electorate, store every closed vote's result (both at most
    once), so "frozen when it opens" and "final when it closes" do not wait for someone to look."""
    frozen = sum(freeze(vote, now) for vote in Vote.objects.filter(frozen_at__isnull=True, opens_at__lte=now))
    counted = 0
    for vote in Vote.objects.filter(result__isnull=True, closes_at__lte=now).select_related("community"):
        result(vote, now)
        counted += 1
    return frozen, counted
