"""The public pages, under ``/public/``: no sign-in. One module per area, each with its ``urlpatterns``."""

from fazhi.portal import catalogue, notice, survey

urlpatterns = [
    *notice.urlpatterns,  # public notices, objections, named units
    *survey.urlpatterns,  # satisfaction questionnaires
    *catalogue.urlpatterns,  # normative documents in force
]
