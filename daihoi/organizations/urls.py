from django.urls import path, re_path

from daihoi.organizations import views

app_name = "organizations"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("u/<str:code>/", views.unit_detail, name="unit"),
    re_path(
        r"^u/(?P<code>[^/]+)/members\.(?P<fmt>xlsx|csv)$",
        views.export_members,
        name="export_members",
    ),
    re_path(
        r"^u/(?P<code>[^/]+)/units\.(?P<fmt>xlsx|csv)$", views.export_units, name="export_units"
    ),
    path("u/<str:code>/import/", views.import_file, name="import"),
    re_path(
        r"^u/(?P<code>[^/]+)/import/template-(?P<kind>members|units)\.xlsx$",
        views.import_template,
        name="import_template",
    ),
    path("people/<int:person_id>/", views.person_detail, name="person"),
]
