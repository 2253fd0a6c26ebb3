from django.urls import path

from fazhi.indicators import views

urlpatterns = [
    path("standards/", views.standard_list, name="standard_list"),
    path("standards/import/", views.standard_import, name="standard_import"),
    path("standards/<int:pk>/", views.standard_detail, name="standard_detail"),
    path("standards/<int:pk>/export/", views.standard_export, name="standard_export"),
    path("standards/<int:pk>/publish/", views.standard_publish, name="standard_publish"),
    path("standards/<int:pk>/retire/", views.standard_retire, name="standard_retire"),
    path("standards/<int:pk>/new-version/", views.standard_new_version, name="standard_new_version"),
    path("standards/<int:pk>/diff/", views.standard_diff, name="standard_diff"),
    path("standards/<int:standard_pk>/indicators/add/", views.indicator_add, name="indicator_add"),
    path("standards/indicators/<int:pk>/edit/", views.indicator_edit, name="indicator_edit"),
    path("standards/indicators/<int:pk>/points/", views.indicator_points, name="indicator_points"),
    path("standards/indicators/<int:pk>/move/", views.indicator_move, name="indicator_move"),
    path("standards/indicators/<int:pk>/remove/", views.indicator_remove, name="indicator_remove"),
]
