from django.urls import path

from daihoi.conduct import views

app_name = "conduct"
urlpatterns = [
    path("", views.index, name="index"),
    path("congresses/<int:congress_id>/", views.congress_detail, name="congress"),
    path("congresses/<int:congress_id>/roster/", views.roster, name="roster"),
    path("congresses/<int:congress_id>/roster/build/", views.roster_build, name="roster_build"),
    path("congresses/<int:congress_id>/roster/add/", views.delegate_add, name="delegate_add"),
    path("congresses/<int:congress_id>/roster/pick/", views.roster_pick, name="roster_pick"),
    path(
        "congresses/<int:congress_id>/accounts/",
        views.delegate_accounts,
        name="delegate_accounts",
    ),
    path(
        "congresses/<int:congress_id>/login-letters.pdf",
        views.login_letters_pdf,
        name="login_letters_pdf",
    ),
    path("login/", views.code_login, name="code_login"),
    path(
        "congresses/<int:congress_id>/agenda/<int:item_id>/manage/",
        views.agenda_item_manage,
        name="agenda_item_manage",
    ),
    path(
        "congresses/<int:congress_id>/delegates/<int:delegate_id>/absent/",
        views.delegate_absent,
        name="delegate_absent",
    ),
    path("congresses/<int:congress_id>/credentials/", views.credentials, name="credentials"),
    path(
        "congresses/<int:congress_id>/credentials.pdf",
        views.credentials_pdf,
        name="credentials_pdf",
    ),
    path("congresses/<int:congress_id>/badges.pdf", views.badges_pdf, name="badges_pdf"),
    path("congresses/<int:congress_id>/check-in/", views.check_in, name="check_in"),
    path("congresses/<int:congress_id>/attendance/", views.attendance, name="attendance"),
    path("congresses/<int:congress_id>/boards/", views.boards, name="boards"),
    path("congresses/<int:congress_id>/agenda/", views.agenda, name="agenda"),
    path(
        "congresses/<int:congress_id>/agenda/<int:item_id>/",
        views.agenda_item,
        name="agenda_item",
    ),
    path("congresses/<int:congress_id>/me/", views.delegate_page, name="delegate"),
]
