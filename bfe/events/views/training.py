"""Work in progress: each view is replaced by its implementation."""

from django.http import HttpResponse


def training_list(request, *args, **kwargs):
    return HttpResponse(status=501)


def training_detail(request, *args, **kwargs):
    return HttpResponse(status=501)


def enrol(request, *args, **kwargs):
    return HttpResponse(status=501)


def withdraw(request, *args, **kwargs):
    return HttpResponse(status=501)


def training_participants(request, *args, **kwargs):
    return HttpResponse(status=501)


def certificate_pdf(request, *args, **kwargs):
    return HttpResponse(status=501)


def certificate_verify(request, *args, **kwargs):
    return HttpResponse(status=501)
