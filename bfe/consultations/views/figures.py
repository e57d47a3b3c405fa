"""Work in progress: each view is replaced by its implementation."""

from django.http import HttpResponse


def outreach(request, *args, **kwargs):
    return HttpResponse(status=501)


def statistics(request, *args, **kwargs):
    return HttpResponse(status=501)


def statistics_csv(request, *args, **kwargs):
    return HttpResponse(status=501)
