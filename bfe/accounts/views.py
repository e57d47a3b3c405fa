from django.http import HttpResponse


def invitation_list(request):  # replaced by the invitations work in progress
    return HttpResponse(status=501)
