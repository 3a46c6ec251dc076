from django.urls import path

from daihoi.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.index, name="index"),
    path("export.xlsx", views.export, name="export"),
    path("<int:case_id>/", views.case_detail, name="case"),
    path("new/", views.submit, name="submit"),
    path("record/", views.record, name="record"),
    path("mine/", views.mine, name="mine"),
    path("public/<int:congress_id>/", views.public_form, name="public"),
    path("congress/<int:congress_id>/", views.congress_cases, name="congress"),
    path(
        "congress/<int:congress_id>/report.pdf", views.opening_report_pdf, name="opening_report_pdf"
    ),
    path("calendar/", views.calendar, name="calendar"),
    path("feedback/", views.feedback, name="feedback"),
    path("feedback/<int:case_id>/", views.feedback_item, name="feedback_item"),
]
