"""Work in progress: each view is replaced by its implementation."""

from django.http import HttpResponse


def participants(request, *args, **kwargs):
    return HttpResponse(status=501)


def participants_csv(request, *args, **kwargs):
    return HttpResponse(status=501)


def participants_xlsx(request, *args, **kwargs):
    return HttpResponse(status=501)


def check_in(request, *args, **kwargs):
    return HttpResponse(status=501)


def check_in_toggle(request, *args, **kwargs):
    return HttpResponse(status=501)


def walk_in(request, *args, **kwargs):
    return HttpResponse(status=501)


def attendance_pdf(request, *args, **kwargs):
    return HttpResponse(status=501)


def documents(request, *args, **kwargs):
    return HttpResponse(status=501)


def document(request, *args, **kwargs):
    return HttpResponse(status=501)
