from django.urls import path

from daihoi.elections import views

app_name = "elections"
urlpatterns = [
    path("congress/<int:congress_id>/", views.congress_elections, name="congress"),
    path("congress/<int:congress_id>/projector/", views.projector, name="projector"),
    path("congress/<int:congress_id>/projector/panel/", views.projector_panel, name="panel"),
    path("congress/<int:congress_id>/projector/hall/", views.projector_hall, name="hall"),
    path("congress/<int:congress_id>/projector/stream/", views.projector_stream, name="stream"),
    path("congress/<int:congress_id>/counting-key/", views.counting_key, name="counting_key"),
    path("congress/<int:congress_id>/transitions/", views.transitions, name="transitions"),
    path("congress/<int:congress_id>/appoint/", views.appoint, name="appoint"),
    path("congress/<int:congress_id>/documents/", views.documents, name="documents"),
    path(
        "congress/<int:congress_id>/documents/<slug:document>.<slug:fmt>",
        views.document_file,
        name="document",
    ),
    path("<int:election_id>/", views.detail, name="detail"),
    path("<int:election_id>/do/<slug:what>/", views.act, name="act"),
    path("<int:election_id>/vote/", views.vote, name="vote"),
    path("<int:election_id>/receipt/<str:code>/", views.receipt, name="receipt"),
    path("<int:election_id>/board/", views.board, name="board"),
    path("<int:election_id>/paper/", views.paper, name="paper"),
    path("<int:election_id>/minutes.pdf", views.minutes_pdf, name="minutes"),
    path("<int:election_id>/ballot.pdf", views.ballot_pdf, name="ballot"),
]
