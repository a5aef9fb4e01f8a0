"""Votes (问计) pages: staff create votes and watch the count; the committee enters paper ballots; residents vote."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from gaizao.communities.models import Community
from gaizao.core import clock, excel
from gaizao.households.forms import household_label
from gaizao.households.models import Household
from gaizao.residents.session import household_required
from gaizao.votes import services as votes
from gaizao.votes.filters import VotePageFilterSet
from gaizao.votes.forms import VoteForm
from gaizao.votes.models import Ballot, Vote
from gaizao.votes.services.plan_view import plan_summary

PAGE_SIZE = 50  # votes per page: each needs its electorate counted


def _get_vote_for_user(user, vote_id) -> Vote:
    return get_object_or_404(votes.votes_visible_to(user).select_related("community", "building"), pk=vote_id)


@login_required
def vote_list(request):
    if request.user.role == request.user.Role.CONTRACTOR:
        raise PermissionDenied  # owners' decisions are not the builder's business
    filterset = VotePageFilterSet(request.GET or None,
                                  queryset=votes.votes_visible_to(request.user).select_related("community", "building"))
    found = filterset.qs.order_by("-opens_at", "pk")
    if request.GET.get("format") == "xlsx":
        return _export_votes(found)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    participating = votes.participation_of(page)  # in a few queries, however many votes are listed
    rows = [{"vote": v, "status": votes.status(v), "turnout": {"participating": participating[v.pk]}}
            for v in page]
    return render(request, "votes/list.html", {
        "rows": rows, "page": page, "filter": filterset, "can_create": request.user.can_edit_census})


def _export_votes(found):
    """Every filtered vote with its turnout: the committee's and the bureau's record of who has been asked."""
    found = list(found)
    participating = votes.participation_of(found)
    labels = {"open": pgettext("vote", "Open"), "upcoming": _("Not yet open"), "closed": _("Closed")}
    rows = [[v.community.code, v.community.name, v.title, v.get_matter_display(), labels[votes.status(v)],
             timezone.localtime(v.opens_at).replace(tzinfo=None), timezone.localtime(v.closes_at).replace(tzinfo=None),
             participating[v.pk]["voters"], round(100 * participating[v.pk]["share_voters"], 1),
             round(100 * participating[v.pk]["share_area"], 1)] for v in found]
    workbook = excel.new_workbook()
    excel.add_sheet(workbook, _("Votes"), [
        _("Community code"), _("Community"), _("Question"), _("Matter"), _("Status"), _("Opens"), _("Closes"),
        _("Owners voted"), _("Turnout (owners) %"), _("Turnout (area) %")], rows, {2: 24, 3: 40, 6: 18, 7: 18})
    return excel.response(workbook, f"表决_{clock.today():%Y%m%d}.xlsx")


@login_required
def vote_create(request):
    if not request.user.can_edit_census:
        raise PermissionDenied
    initial = {}
    if request.GET.get("community"):
        initial["community"] = Community.objects.visible_to(request.user).filter(
            code=request.GET["community"]).first()
    form = VoteForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "community"}
        community = form.cleaned_data["community"]
        try:
            if fields["subject"] == Vote.Subject.ELEVATOR and not fields.get("stairwell_unit"):
                fields = {k: v for k, v in fields.items() if k not in ("subject", "electorate", "stairwell_unit")}
                made = votes.create_elevator_votes(request.user, community, fields.pop("building"), **fields)
            else:
                made = [votes.create_vote(request.user, community, **fields)]
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            if len(made) > 1:
                messages.success(request, _("%(n)s votes are set up, one for each stairwell: each stairwell's owners "
                                            "decide their own elevator.") % {"n": len(made)})
                return redirect(f"{reverse('votes:list')}?{urlencode({'q': community.code})}")
            messages.success(request, _("The vote is set up. Residents vote through the community's link."))
            return redirect("votes:detail", vote_id=made[0].pk)
    return render(request, "votes/form.html", {"form": form, "rules": votes.vote_rules()})


def _staff_context(request, vote):
    return {"vote": vote, "result": votes.result(vote), "status": votes.status(vote),
            "can_enter_paper": votes.may_enter_paper(request.user, vote),
            "can_change": votes.may_create_vote(request.user, vote.community)}


@login_required
def vote_detail(request, vote_id):
    vote = _get_vote_for_user(request.user, vote_id)
    return render(request, "votes/detail.html", _staff_context(request, vote))


@login_required
def vote_live(request, vote_id):
    """The live count, re-read by htmx every few seconds."""
    vote = _get_vote_for_user(request.user, vote_id)
    return render(request, "votes/_live.html", _staff_context(request, vote))


@login_required
def paper_entry(request, vote_id):
    vote = _get_vote_for_user(request.user, vote_id)
    if not votes.may_enter_paper(request.user, vote):
        raise PermissionDenied
    if request.method == "POST":
        household = get_object_or_404(Household.objects.select_related("building"), pk=request.POST.get("household"),
                                      pk__in=vote.units.values("household_id"))
        reason = request.POST.get("reason", "").strip()
        try:
            if "correct" in request.POST:
                votes.correct_paper_ballot(vote, household, request.POST.get("choice", ""), entered_by=request.user,
                                           reason=reason)
            else:
                votes.cast_ballot(vote, household, request.POST.get("choice", ""), channel=Ballot.Channel.PAPER,
                                  entered_by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            ballot = votes.ballot_for(vote, household)
            text = (_("Paper ballot for %(unit)s corrected: %(choice)s.") if "correct" in request.POST
                    else _("Paper ballot entered for %(unit)s: %(choice)s."))
            messages.success(request, text % {"unit": f"{household.building.name} {household}",
                                              "choice": Ballot.Choice(ballot.choice).label})
        return redirect(f"{request.path}?{urlencode({'q': request.POST.get('q', '')})}#h{household.pk}")
    query = request.GET.get("q", "").strip()
    ballots = {b.voter_key: b for b in Ballot.objects.filter(vote=vote)}
    rows = []
    for voter in votes.voters(vote).values():
        ballot = ballots.get(voter.key)
        for unit in voter.units:
            label = f"{unit.building} {unit}"
            if unit.household_id is None or (query and query not in label):
                continue
            rows.append({"household_id": unit.household_id, "unit": unit, "label": label, "ballot": ballot,
                         "shared": len(voter.units) > 1})
    return render(request, "votes/paper.html", {
        "vote": vote, "rows": rows, "query": query, "status": votes.status(vote),
        "choices": Ballot.Choice.choices})


@login_required
@require_POST
def vote_extend(request, vote_id):
    vote = _get_vote_for_user(request.user, vote_id)
    closes = parse_datetime(request.POST.get("closes_at", "").replace("T", " "))
    try:
        if closes is None:
            raise ValidationError(_("Give the new closing time, e.g. 2021-12-20 18:00."))
        votes.extend_vote(request.user, vote, timezone.make_aware(closes) if timezone.is_naive(closes) else closes,
                          request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The vote now closes %(closes)s.") % {
            "closes": timezone.localtime(vote.closes_at).strftime("%Y-%m-%d %H:%M")})
    return redirect("votes:detail", vote_id=vote.pk)


@login_required
@require_POST
def vote_recount(request, vote_id):
    vote = _get_vote_for_user(request.user, vote_id)
    try:
        votes.recount(request.user, vote, request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Recounted from the frozen electorate and the ballots; the reason is in the "
                                    "history."))
    return redirect("votes:detail", vote_id=vote.pk)


def _resident_vote(household: Household, vote_id) -> Vote:
    vote = get_object_or_404(Vote.objects.select_related("community", "building"), pk=vote_id,
                             community_id=household.building.community_id)
    if not votes.in_electorate(vote, household):
        raise Http404(_("This vote is for other households."))
    return vote


@household_required
def resident_votes(request, code, household):
    """The votes this household takes part in."""
    found = votes.votes_for_household(household).select_related("building").order_by("-closes_at")
    rows = [{"vote": v, "status": votes.status(v), "ballot": votes.ballot_for(v, household)} for v in found]
    return render(request, "votes/resident_list.html", {
        "code": code, "community": household.building.community, "label": household_label(household),
        "rows": rows})


@household_required
def resident_vote(request, code, household, vote_id):
    """The question and three large buttons; after voting, a thank-you with the turnout (the first ballot
    stands)."""
    vote = _resident_vote(household, vote_id)
    if request.method == "POST":
        try:
            votes.cast_ballot(vote, household, request.POST.get("choice", ""))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        # The page itself thanks the resident and shows the choice and the turnout.
        return redirect("votes:resident_vote", code=code, vote_id=vote.pk)
    ballot = votes.ballot_for(vote, household)
    return render(request, "votes/resident_vote.html", {
        "code": code, "community": vote.community, "label": household_label(household), "household": household,
        "summary": plan_summary(vote.plan, household) if vote.plan_id else None,
        "vote": vote, "ballot": ballot, "status": votes.status(vote),
        "turnout": votes.turnout(vote), "choices": Ballot.Choice.choices,
        "ballot_label": Ballot.Choice(ballot.choice).label if ballot else ""})


@household_required
def resident_turnout(request, code, household, vote_id):
    vote = _resident_vote(household, vote_id)
    return render(request, "votes/_turnout.html", {
        "code": code, "vote": vote, "turnout": votes.turnout(vote)})
