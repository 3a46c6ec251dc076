from django.urls import path

from daihoi.targets import views

app_name = "targets"
urlpatterns = [
    path("", views.index, name="index"),
    path("u/<str:code>/<int:term_start>/", views.unit_term, name="unit"),
    path("u/<str:code>/<int:term_start>/review/", views.review, name="review"),
    path("t/<int:target_id>/", views.target_detail, name="target"),
    path("movements/", views.movements, name="movements"),
    path("movements/<int:movement_id>/", views.movement_detail, name="movement"),
]
