"""Labels of the audit actions the campaigns app writes (registered in ``CampaignsConfig.ready``).

Every action a campaigns service records must have a label here (a test checks the ones it sees).
"""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    # campaigns and stages
    "campaigns.campaign.created": _("Campaign created"),
    "campaigns.campaign.updated": _("Campaign settings changed"),
    "campaigns.campaign.stage_advanced": _("Campaign stage advanced"),
    "campaigns.campaign.reviewer_added": _("Reviewer added to a campaign"),
    "campaigns.campaign.reviewer_removed": _("Reviewer removed from a campaign"),
    "campaigns.campaign.conflict_declared": _("Reviewer conflict declared"),
    "campaigns.campaign.conflict_removed": _("Reviewer conflict withdrawn"),
    # applications (services/applications.py, services/evidence.py)
    "campaigns.application.created": _("Application created"),
    "campaigns.application.answers_saved": _("Self-assessment saved"),
    "campaigns.application.metrics_computed": _("Self-assessment figures computed from the ledgers"),
    "campaigns.review.leaf_overridden": _("Computed indicator score overridden by a reviewer"),
    "campaigns.application.evidence_added": _("Evidence file added"),
    "campaigns.application.evidence_removed": _("Evidence file removed"),
    "campaigns.application.submitted": _("Application submitted"),
    "campaigns.application.returned": _("Application returned for correction"),
    "campaigns.application.recommended": _("Application recommended"),
    "campaigns.application.not_recommended": _("Application not recommended"),
    # public notice, objections, naming, dynamic management (services/notice.py, services/designations.py)
    "campaigns.objection.filed": _("Objection filed"),
    "campaigns.objection.viewed": _("Objectors' contacts viewed"),
    "campaigns.objection.upheld": _("Objection upheld"),
    "campaigns.objection.dismissed": _("Objection dismissed"),
    "campaigns.application.removed": _("Application removed from the notice after an objection"),
    "campaigns.application.put_on_notice": _("Application put on public notice"),
    "campaigns.designation.named": _("Unit named"),
    "campaigns.designation.list_published": _("Named list published"),
    "campaigns.designation.rereviewed": _("Designation re-reviewed"),
    "campaigns.designation.revoked_for_veto": _("Designation revoked for a veto event"),
    # review: assignment, score sheets, vetoes, inspection, survey (services/assignments.py, sheets.py, vetoes.py,
    # inspection.py, survey.py)
    "campaigns.review.assignment_run": _("Reviewers assigned automatically"),
    "campaigns.review.assigned": _("Reviewer assigned to an application"),
    "campaigns.review.in_review": _("Application put in review"),
    "campaigns.review.reassigned": _("Review reassigned to another reviewer"),
    "campaigns.review.sheet_saved": _("Score sheet saved"),
    "campaigns.review.sheet_submitted": _("Score sheet submitted"),
    "campaigns.review.scored": _("Application fully scored"),
    "campaigns.review.sheet_reopened": _("Score sheet reopened"),
    "campaigns.veto.proposed": _("Veto proposed by a reviewer"),
    "campaigns.veto.recorded": _("Veto recorded"),
    "campaigns.veto.withdrawn": _("Veto withdrawn"),
    "campaigns.inspection.score_entered": _("On-site inspection score entered"),
    "campaigns.survey.tokens_created": _("Survey links made"),
    "campaigns.survey.answered": _("Survey answered"),
    # results (services/results.py)
    "campaigns.results.computed": _("Results computed"),
    "campaigns.results.published": _("Results published"),
    "campaigns.results.recomputed": _("Published results recomputed"),
    "campaigns.application.decided": _("Application passed or failed by the published results"),
}
