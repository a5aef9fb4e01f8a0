"""Dashboard and progress bulletin pages (being written)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def dashboard(request):
    return HttpResponse("")


@login_required
def bulletin(request):
    return HttpResponse("")


@login_required
def bulletin_docx(request):
    return HttpResponse("")


@login_required
def bulletin_xlsx(request):
    return HttpResponse("")
