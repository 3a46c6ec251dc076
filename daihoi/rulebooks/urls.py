from django.urls import path

from daihoi.rulebooks import views

app_name = "rulebooks"
urlpatterns = [
    path("", views.rulebook_list, name="list"),
    path("<slug:rulebook_id>/", views.rulebook_detail, name="detail"),
    path("<slug:old_id>/compare/<slug:new_id>/", views.rulebook_compare, name="compare"),
]
