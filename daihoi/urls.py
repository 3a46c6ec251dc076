from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from daihoi.api import api
from daihoi.core.access import public
from daihoi.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", public(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("accounts/", include("daihoi.accounts.urls")),
    path("congresses/", include("daihoi.congresses.urls")),
    path("conduct/", include("daihoi.conduct.urls")),
    path("elections/", include("daihoi.elections.urls")),
    path("consultation/", include("daihoi.consultation.urls")),
    path("transitions/", include("daihoi.transitions.urls")),
    path("targets/", include("daihoi.targets.urls")),
    path("cases/", include("daihoi.cases.urls")),
    path("start/", include("daihoi.home.urls")),
    path("personnel/", include("daihoi.personnel.urls")),
    path("rulebooks/", include("daihoi.rulebooks.urls")),
    path("", include("daihoi.organizations.urls")),
]
