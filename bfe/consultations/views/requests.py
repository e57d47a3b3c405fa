"""Work in progress: each view is replaced by its implementation."""

from django.http import HttpResponse


def request_list(request, *args, **kwargs):
    return HttpResponse(status=501)


def request_create(request, *args, **kwargs):
    return HttpResponse(status=501)


def request_detail(request, *args, **kwargs):
    return HttpResponse(status=501)


def request_schedule(request, *args, **kwargs):
    return HttpResponse(status=501)


def request_decline(request, *args, **kwargs):
    return HttpResponse(status=501)
