"""The metric pages, mounted at /metrics/ (the views module declares its ``urlpatterns``)."""

from django.urls import include, path

from fazhi.metrics import views

urlpatterns = [path("metrics/", include(views.urlpatterns))]
