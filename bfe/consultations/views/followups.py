"""Work in progress: each view is replaced by its implementation."""

from django.http import HttpResponse


def followup_list(request, *args, **kwargs):
    return HttpResponse(status=501)


def followup_create(request, *args, **kwargs):
    return HttpResponse(status=501)


def followup_done(request, *args, **kwargs):
    return HttpResponse(status=501)
