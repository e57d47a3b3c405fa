from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from bfe.core import views as core_views

urlpatterns = [
    path("", include("bfe.core.urls")),
    path("", include("bfe.places.urls")),
    path("", include("bfe.accounts.urls")),
    path("", include("bfe.events.urls")),
    path("", include("bfe.consultations.urls")),
    path("", include("bfe.volunteering.urls")),
    path("materialien/", include("bfe.materials.urls")),
    path("konto/", include("allauth.urls")),
    path("i18n/setlang/", core_views.public(set_language), name="set_language"),
    path("verwaltung/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
