"""The public pages, under ``/public/``: no sign-in."""

from fazhi.portal import views

urlpatterns = [*views.urlpatterns]
