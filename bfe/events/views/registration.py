"""Work in progress: each view is replaced by its implementation."""

from django.http import HttpResponse


def register(request, *args, **kwargs):
    return HttpResponse(status=501)


def unregister(request, *args, **kwargs):
    return HttpResponse(status=501)


def guest_register(request, *args, **kwargs):
    return HttpResponse(status=501)


def guest_manage(request, *args, **kwargs):
    return HttpResponse(status=501)


def invite_region(request, *args, **kwargs):
    return HttpResponse(status=501)


def my_registrations(request, *args, **kwargs):
    return HttpResponse(status=501)
