from django.conf import settings


def site(request):
    return {"SITE_URL": settings.SITE_URL, "MAP_TILE_URL": settings.MAP_TILE_URL}
