from django.urls import path, re_path

from daihoi.organizations import reorganize_views, views

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
    path("u/<str:code>/reorganize/", reorganize_views.reorganize, name="reorganize"),
    path("u/<str:code>/reorganize/units/", reorganize_views.pick_units, name="pick_units"),
    path("u/<str:code>/reorganize/<int:pk>/", reorganize_views.prepared_detail, name="prepared"),
    path("people/<int:person_id>/", views.person_detail, name="person"),
    path("pick/units/", views.pick_unit, name="pick_unit"),
    path("pick/people/", views.pick_person, name="pick_person"),
]
