"""Work in progress: each view is replaced by its implementation."""

from django.http import HttpResponse


def public_feed(request, *args, **kwargs):
    return HttpResponse(status=501)


def event_ics(request, *args, **kwargs):
    return HttpResponse(status=501)


def personal_feed(request, *args, **kwargs):
    return HttpResponse(status=501)


def feed_reset(request, *args, **kwargs):
    return HttpResponse(status=501)
