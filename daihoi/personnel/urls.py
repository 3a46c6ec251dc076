from django.urls import path

from daihoi.personnel import views

app_name = "personnel"
urlpatterns = [
    path("", views.index, name="index"),
    path("congresses/<int:congress_id>/", views.congress_plans, name="congress"),
    path("plans/<int:plan_id>/", views.plan_detail, name="plan"),
    path("plans/<int:plan_id>/plan.xlsx", views.plan_export, name="plan_export"),
    path("candidates/<int:candidate_id>/", views.candidate_detail, name="candidate"),
    path("candidates/<int:candidate_id>/sheet.pdf", views.candidate_sheet, name="candidate_sheet"),
    path("pool/<str:code>/", views.pool, name="pool"),
    path("pool/<str:code>/pool.xlsx", views.pool_export, name="pool_export"),
]
