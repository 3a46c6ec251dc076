from django.urls import path

from daihoi.cases import views

app_name = "cases"
urlpatterns: list = []
