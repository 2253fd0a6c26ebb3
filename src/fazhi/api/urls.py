from django.urls import path

from fazhi.api.api import api

urlpatterns = [path("", api.urls)]
