"""The ledgers' pages under /ledgers/: each ledger's views module declares its own ``urlpatterns``."""

from django.urls import include, path

from fazhi.ledgers.decisions import views as decisions
from fazhi.ledgers.disputes import views as disputes
from fazhi.ledgers.documents import views as documents
from fazhi.ledgers.enforcement import views as enforcement
from fazhi.ledgers.study import views as study
from fazhi.ledgers.views import urlpatterns as common

urlpatterns = [
    path("ledgers/", include(common)),  # the index, deadline board, calendar, import pages (ledgers/views.py)
    path("ledgers/documents/", include(documents.urlpatterns)),
    path("ledgers/decisions/", include(decisions.urlpatterns)),
    path("ledgers/enforcement/", include(enforcement.urlpatterns)),
    path("ledgers/disputes/", include(disputes.urlpatterns)),
    path("ledgers/study/", include(study.urlpatterns)),
]
