"""The campaigns pages: each area's views module declares its own ``urlpatterns``, gathered here."""

from fazhi.campaigns.views import applications, campaigns, metrics_scoring, notice, results, review

urlpatterns = [
    *campaigns.urlpatterns,  # campaigns, stages, pool, dashboard
    *applications.urlpatterns,  # the clerk's workspace, evidence, the recommender's queue
    *review.urlpatterns,  # assignment, the reviewer's queue and sheet, vetoes, inspection, surveys
    *results.urlpatterns,  # results, ranking, publication, exports
    *metrics_scoring.urlpatterns,  # scores from records: the drill-down to the ledgers, the reviewer's override
    *notice.urlpatterns,  # objections (administrator's side), naming, designations, certificates
]
