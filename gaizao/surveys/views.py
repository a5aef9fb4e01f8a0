"""Survey pages: staff create surveys, read results and enter paper forms; residents answer on the phone."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from gaizao.accounts.models import User
from gaizao.households import access
from gaizao.households.forms import household_label
from gaizao.households.models import Channel
from gaizao.households.views import manage_context
from gaizao.residents.session import household_required
from gaizao.surveys import services as surveys
from gaizao.surveys.forms import PaperHouseholdForm, SurveyDatesForm, SurveyForm, answer_form
from gaizao.surveys.models import Survey, SurveyResponse


@household_required
def survey_answer(request, code, household, survey_id):
    survey = get_object_or_404(Survey, pk=survey_id, community=household.building.community)
    response = SurveyResponse.objects.filter(survey=survey, household=household).first()
    if not surveys.is_open(survey):
        messages.info(request, _("This survey is closed."))
        return redirect("residents:home", code=code)
    form = answer_form(survey, request.POST or None, response.answers if response else None)
    if request.method == "POST" and form.is_valid():
        try:
            surveys.submit_response(survey, household, form.cleaned_data["answers"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you. Your answers are saved; you can change them until the survey "
                                        "closes."))
            return redirect("residents:home", code=code)
    return render(request, "surveys/answer.html", {
        "community": survey.community, "survey": survey, "form": form, "response": response,
        "label": household_label(household), "questions": surveys.QUESTIONS,
    })


@login_required
def survey_create(request, code):
    community = access.get_managed_community(request.user, code)
    access.require(access.is_staff_for(request.user, community))
    kind = request.GET.get("kind") if request.GET.get("kind") in Survey.Kind.values else Survey.Kind.NEEDS
    titles = {Survey.Kind.NEEDS: _("%(name)s: what should the renovation include?"),
              Survey.Kind.SATISFACTION: _("%(name)s: how satisfied are you with the renovation?")}
    form = SurveyForm(request.POST or None, community=community,
                      initial={"kind": kind, "title": titles[kind] % {"name": community.name}})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey = surveys.create_survey(community, data["kind"], data["title"], data["opens_at"],
                                           data["closes_at"], data.get("project"))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Survey created."))
            return redirect("surveys:survey", code=code, survey_id=survey.pk)
    return render(request, "surveys/form.html", manage_context(request, community,
                                                                                       form=form))


@login_required
def survey_detail(request, code, survey_id):
    community = access.get_managed_community(request.user, code)
    survey = get_object_or_404(Survey.objects.select_related("project__contractor"), pk=survey_id,
                               community=community)
    dates = SurveyDatesForm(request.POST or None, initial={"opens_at": survey.opens_at, "closes_at": survey.closes_at})
    if request.method == "POST":
        access.require(access.is_staff_for(request.user, community))
        if dates.is_valid():
            survey.opens_at, survey.closes_at = dates.cleaned_data["opens_at"], dates.cleaned_data["closes_at"]
            survey.save(update_fields=["opens_at", "closes_at"])
            messages.success(request, _("Saved."))
            return redirect("surveys:survey", code=code, survey_id=survey.pk)
    responses = SurveyResponse.objects.filter(survey=survey)
    channels = {row["channel"]: row["n"] for row in _channel_counts(responses)}
    context = manage_context(request, community, survey=survey, dates=dates, is_open=surveys.is_open(survey),
                              responses=sum(channels.values()), paper=channels.get(Channel.PAPER, 0),
                              online=channels.get(Channel.ONLINE, 0))
    if survey.kind == Survey.Kind.NEEDS:
        context["ranking"] = surveys.needs_ranking(community, survey)
    else:
        context["rates"] = surveys.satisfaction_rates(survey=survey)
        context["levels"] = surveys.LEVELS
        if survey.project_id:
            context["check"] = surveys.check_minimum(survey.project)
    return render(request, "surveys/detail.html", context)


def _channel_counts(responses):
    from django.db.models import Count

    return responses.values("channel").annotate(n=Count("pk")).order_by()


@login_required
def survey_paper(request, code, survey_id):
    """The committee enters a household's paper form; it replaces any earlier answer of that household."""
    community = access.get_managed_community(request.user, code)
    access.require(access.may_work_for(request.user, community))
    survey = get_object_or_404(Survey, pk=survey_id, community=community)
    who = PaperHouseholdForm(request.POST or None, community=community, prefix="who")
    form = answer_form(survey, request.POST or None)
    if request.method == "POST" and who.is_valid() and form.is_valid():
        try:
            _response, created = surveys.submit_response(survey, who.household, form.cleaned_data["answers"],
                                                         channel=Channel.PAPER, entered_by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            label = household_label(who.household)
            if created:
                messages.success(request, _("Paper form of %(household)s entered.") % {"household": label})
            else:
                messages.success(request, _("Paper form of %(household)s entered; it replaces the household's "
                                            "earlier answer.") % {"household": label})
            return redirect("surveys:survey_paper", code=code, survey_id=survey.pk)
    return render(request, "surveys/paper.html", manage_context(
        request, community, survey=survey, who=who, form=form, questions=surveys.QUESTIONS))


@login_required
def satisfaction_overview(request):
    """Satisfaction per sub-district, contractor and community, within the user's scope; a contractor sees its
    own record: its rate across all the communities it renovated, and each of them."""
    user = request.user
    if user.role == User.Role.CONTRACTOR:
        membership = getattr(user, "membership", None)
        if membership is None:
            raise PermissionDenied
        company = membership.company_id
        return render(request, "surveys/satisfaction.html", {
            "tables": [(_("Your company"), surveys.satisfaction_table("contractor", contractor_id=company)),
                       (_("Communities"), surveys.satisfaction_table("community", contractor_id=company))],
            "minimum": surveys.minimum_rate(),
        })
    communities = access.managed_communities(request.user)
    if not request.user.works_on_programme:  # the bureau (its district's, if it serves one), leaders, officers
        raise PermissionDenied
    return render(request, "surveys/satisfaction.html", {
        "tables": [(_("Sub-districts"), surveys.satisfaction_table("subdistrict", communities)),
                   (_("Contractors"), surveys.satisfaction_table("contractor", communities)),
                   (_("Communities"), surveys.satisfaction_table("community", communities))],
        "minimum": surveys.minimum_rate(),
    })
