"""The public satisfaction questionnaire (no sign-in): ``/public/survey/<token>/``.

One answer per link, only during the campaign's inspection stage. An unknown link is a 404; a link
already answered, or one opened outside the inspection stage, shows why it takes no answer (and a POST
to it is refused with that message, status 400).
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from fazhi.campaigns import workflow as wf
from fazhi.campaigns.forms.review import SurveyAnswerForm
from fazhi.campaigns.services import survey as services
from fazhi.core.errors import DomainError


def _refusal(token) -> str:
    if token.answered_at is not None:
        return _("This questionnaire link has already been answered; each link takes one answer.")
    if token.application.campaign.stage != wf.INSPECTION:
        return _("This questionnaire is not open: answers are taken only during the inspection stage.")
    return ""


@require_http_methods(["GET", "POST"])
def survey_answer(request, survey_token: str):
    found = services.survey_token_find(survey_token)
    if found is None:
        raise Http404
    refusal, status, answered_now = _refusal(found), 200, False
    form = SurveyAnswerForm(request.POST or None)
    if request.method == "POST":
        if refusal:
            status = 400
        elif form.is_valid():
            try:
                services.survey_answer(
                    token=found, satisfied=form.cleaned_data["satisfied"], comment=form.cleaned_data["comment"]
                )
            except DomainError as error:
                refusal, status = error.message, 400
            else:
                refusal, answered_now = _("Thank you: your answer is recorded."), True
        else:
            status = 400
    return render(
        request,
        "portal/survey.html",
        {
            "form": form,
            "application": found.application,
            "campaign": found.application.campaign,
            "refusal": refusal,
            "answered_now": answered_now,
        },
        status=status,
    )


urlpatterns = [
    path("survey/<str:survey_token>/", survey_answer, name="survey_answer"),
]
