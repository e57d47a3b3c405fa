"""Work in progress: each view is replaced by its implementation."""

from django.http import HttpResponse


def consultation_list(request, *args, **kwargs):
    return HttpResponse(status=501)


def consultation_create(request, *args, **kwargs):
    return HttpResponse(status=501)


def consultation_detail(request, *args, **kwargs):
    return HttpResponse(status=501)


def consultation_edit(request, *args, **kwargs):
    return HttpResponse(status=501)


def attachment_download(request, *args, **kwargs):
    return HttpResponse(status=501)


def shelter_timeline(request, *args, **kwargs):
    return HttpResponse(status=501)


def person_timeline(request, *args, **kwargs):
    return HttpResponse(status=501)
