from django.urls import path

from daihoi.transitions import views

app_name = "transitions"
urlpatterns = [
    path("", views.index, name="index"),
    path("finance.xlsx", views.export, name="export"),
    path("cases/<int:case_id>/", views.case_detail, name="case"),
    path("cases/<int:case_id>/notice.pdf", views.notice_pdf, name="notice"),
]
