from django.urls import path, re_path

from daihoi.congresses import views

app_name = "congresses"
urlpatterns = [
    path("", views.cycle_list, name="cycles"),
    path("cycles/<int:cycle_id>/", views.dashboard, name="dashboard"),
    re_path(
        r"^cycles/(?P<cycle_id>\d+)/progress\.(?P<fmt>xlsx|pdf)$",
        views.dashboard_export,
        name="export",
    ),
    path("cycles/<int:cycle_id>/congresses/", views.congress_list, name="list"),
    path("cycles/<int:cycle_id>/plan/", views.plan, name="plan"),
    path("cycles/<int:cycle_id>/rulebook/", views.migration, name="migration"),
    path("c/<int:congress_id>/", views.congress_detail, name="congress"),
    path("c/<int:congress_id>/step/", views.congress_step, name="step"),
    path("c/<int:congress_id>/exempt/", views.congress_exempt, name="exempt"),
    path("c/<int:congress_id>/venue/", views.congress_venue, name="venue"),
    path("pick/", views.pick_congress, name="pick"),
    path("directives/", views.directive_list, name="directives"),
    path("directives/<int:directive_id>/", views.directive_detail, name="directive"),
    path(
        "directives/<int:directive_id>/attendees/",
        views.pick_attendees,
        name="pick_attendees",
    ),
    path(
        "directives/<int:directive_id>/attachment/",
        views.directive_attachment,
        name="directive_attachment",
    ),
]
