from django.urls import path, re_path

from daihoi.consultation import views

app_name = "consultation"
urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.my_comments, name="mine"),
    path("drafts/new", views.draft_create, name="draft_create"),
    path("d/<int:draft_id>/", views.draft_detail, name="draft"),
    path("d/<int:draft_id>/import", views.version_import, name="version_import"),
    path("d/<int:draft_id>/diff", views.version_diff, name="diff"),
    path("d/<int:draft_id>/consult", views.consultation_open, name="consultation_open"),
    path("c/<int:consultation_id>/", views.consultation_detail, name="consultation"),
    path("c/<int:consultation_id>/comment", views.comment_post, name="comment"),
    path("c/<int:consultation_id>/moderation", views.moderation, name="moderation"),
    path("c/<int:consultation_id>/moderation/bulk", views.moderation_bulk, name="moderation_bulk"),
    path("moderations/<int:batch_id>/undo", views.moderation_undo, name="moderation_undo"),
    path("c/<int:consultation_id>/synthesis", views.synthesis, name="synthesis"),
    path("c/<int:consultation_id>/synthesize", views.synthesis_start, name="synthesis_start"),
    re_path(
        r"^c/(?P<consultation_id>\d+)/synthesis/(?P<anchor>[^/.]+)\.xlsx$",
        views.paragraph_export,
        name="paragraph_export",
    ),
    path(
        "c/<int:consultation_id>/synthesis/<str:anchor>",
        views.synthesis_paragraph,
        name="synthesis_paragraph",
    ),
    re_path(
        r"^c/(?P<consultation_id>\d+)/report\.(?P<fmt>xlsx|pdf)$",
        views.synthesis_report,
        name="report",
    ),
    path("runs/<int:run_id>/", views.run_status, name="run"),
    path("g/<int:group_id>/", views.group_detail, name="group"),
    path("dispositions", views.disposition_post, name="disposition"),
    re_path(
        r"^comments/(?P<comment_id>\d+)/(?P<verb>hide|restore)$",
        views.comment_moderate,
        name="moderate",
    ),
    path("u/<str:code>/rollup", views.rollup, name="rollup"),
    re_path(
        r"^u/(?P<code>[^/]+)/rollup\.(?P<fmt>xlsx|pdf)$", views.rollup_report, name="rollup_report"
    ),
    path("public/<int:consultation_id>/", views.public_consultation, name="public"),
]
