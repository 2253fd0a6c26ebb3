from django.urls import path

from fazhi.core.views import job_detail

urlpatterns = [
    path("jobs/<int:pk>/", job_detail, name="job_detail"),
]
