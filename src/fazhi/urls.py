from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("fazhi.core.urls")),
    path("", include("fazhi.orgs.urls")),
    path("", include("fazhi.indicators.urls")),
    path("", include("fazhi.campaigns.urls")),
    path("", include("fazhi.ledgers.urls")),
    path("", include("fazhi.metrics.urls")),
    path("public/", include("fazhi.portal.urls")),
    path("api/v1/", include("fazhi.api.urls")),
    path("", include("fazhi.api.page_urls")),
]
