"""Site photos and acceptance documents, served only to those who see the project — never as public media
(a photo shows residents' homes; a signed acceptance form carries names)."""

import os

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from gaizao.works.access import get_project_for_user
from gaizao.works.models import AcceptanceDocument, Photo


def _file(field, *, as_attachment: bool) -> FileResponse:
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=as_attachment, filename=os.path.basename(field.name))
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def photo(request, code, photo_id):
    project = get_project_for_user(request.user, code)
    found = get_object_or_404(Photo, pk=photo_id, entry__project_item__project=project)
    return _file(found.image, as_attachment=False)


@login_required
def document(request, code, document_id):
    project = get_project_for_user(request.user, code)
    found = get_object_or_404(AcceptanceDocument, pk=document_id, acceptance__project=project)
    return _file(found.file, as_attachment=True)
