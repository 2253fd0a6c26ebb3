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
    path("standards/<int:pk>/edit/", views.standard_edit, name="standard_edit"),
    path("standards/<int:standard_pk>/bonus/add/", views.bonus_item_add, name="bonus_item_add"),
    path("standards/bonus/<int:pk>/edit/", views.bonus_item_edit, name="bonus_item_edit"),
    path("standards/bonus/<int:pk>/remove/", views.bonus_item_remove, name="bonus_item_remove"),
    path("standards/<int:standard_pk>/veto/add/", views.veto_item_add, name="veto_item_add"),
    path("standards/veto/<int:pk>/edit/", views.veto_item_edit, name="veto_item_edit"),
    path("standards/veto/<int:pk>/remove/", views.veto_item_remove, name="veto_item_remove"),
    path("standards/<int:standard_pk>/indicators/add/", views.indicator_add, name="indicator_add"),
    path("standards/indicators/<int:pk>/edit/", views.indicator_edit, name="indicator_edit"),
    path("standards/indicators/<int:pk>/points/", views.indicator_points, name="indicator_points"),
    path("standards/indicators/<int:pk>/move/", views.indicator_move, name="indicator_move"),
    path("standards/indicators/<int:pk>/remove/", views.indicator_remove, name="indicator_remove"),
]
