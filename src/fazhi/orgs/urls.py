from django.urls import path

from fazhi.orgs.views import accounts, audit, home, imports, memberships, tree

urlpatterns = [
    path("", home.home, name="home"),
    # Accounts
    path("accounts/login/", accounts.login, name="login"),
    path("accounts/logout/", accounts.logout, name="logout"),
    path("accounts/password/", accounts.password_change, name="password_change"),
    # The organisation tree
    path("orgs/", tree.org_tree, name="org_tree"),
    path("orgs/search/", tree.org_search, name="org_search"),
    path("orgs/new/", tree.org_create, name="org_create"),
    path("orgs/<int:pk>/", tree.org_detail, name="org_detail"),
    path("orgs/<int:pk>/children/", tree.org_children, name="org_children"),
    path("orgs/<int:pk>/edit/", tree.org_edit, name="org_edit"),
    path("orgs/<int:pk>/move/", tree.org_move, name="org_move"),
    path("orgs/<int:pk>/active/", tree.org_set_active, name="org_set_active"),
    # Spreadsheets in and out
    path("orgs/import/", imports.org_import, name="org_import"),
    path("orgs/import/template.xlsx", imports.org_import_template, name="org_import_template"),
    path("orgs/<int:pk>/export.xlsx", imports.org_export, name="org_export"),
    path("users/import/", imports.user_import, name="user_import"),
    path("users/import/template.xlsx", imports.user_import_template, name="user_import_template"),
    # Users and their memberships
    path("memberships/", memberships.membership_list, name="membership_list"),
    path("memberships/new/", memberships.membership_create, name="membership_create"),
    path("memberships/<int:pk>/delete/", memberships.membership_delete, name="membership_delete"),
    path("users/new/", memberships.user_create, name="user_create"),
    path("users/<int:pk>/unlock/", memberships.user_unlock, name="user_unlock"),
    # The audit log
    path("audit/", audit.audit_log, name="audit_log"),
]
