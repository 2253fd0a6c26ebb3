from django.urls import path

from fazhi.api import views

urlpatterns = [
    path("accounts/api-tokens/", views.api_tokens, name="api_tokens"),
    path("accounts/api-tokens/<int:token_pk>/revoke/", views.api_token_revoke_view, name="api_token_revoke"),
]
