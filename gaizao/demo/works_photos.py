"""Site photos for the demo's first project: drawn, not photographed, so the demo ships no binary files and stays
the same on every load. Before / during / after pictures of a block of flats, enough to fill the project page's
photo tab with thumbnails."""

import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from gaizao.works.models import Photo, ProgressEntry, Project
from gaizao.works.photos import attach_photo

PHOTOS = 12
SIZE = (640, 480)
WALLS = {"before": (150, 140, 128), "during": (190, 180, 160), "after": (236, 222, 196)}


def _picture(rng: random.Random, stage: str) -> bytes:
    image = Image.new("RGB", SIZE, (170, 205, 235))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 390, 640, 480), fill=(120, 120, 115))
    left = rng.randint(40, 140)
    draw.rectangle((left, 90, left + 420, 400), fill=WALLS[stage])
    for floor in range(5):
        for column in range(6):
            x, y = left + 25 + column * 66, 110 + floor * 56
            glass = (90, 130, 170) if stage != "before" else (70, 80, 90)
            draw.rectangle((x, y, x + 40, y + 34), fill=glass, outline=(255, 255, 255) if stage == "after" else None)
    if stage == "during":  # scaffolding
        for x in range(left - 10, left + 440, 40):
            draw.line((x, 80, x, 400), fill=(200, 120, 40), width=4)
        for y in range(100, 400, 50):
            draw.line((left - 10, y, left + 430, y), fill=(200, 120, 40), width=3)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=70)
    return buffer.getvalue()


def load_photos(project_code: str) -> int:
    """Attach drawn photos to the project's earliest, middle and latest reports; none if it has photos already."""
    project = Project.objects.filter(code=project_code).first()
    if project is None or Photo.objects.filter(entry__project_item__project=project).exists():
        return 0
    entries = list(ProgressEntry.objects.filter(project_item__project=project, kind=ProgressEntry.Kind.REPORT)
                   .order_by("date", "pk"))
    if not entries:
        return 0
    rng = random.Random(project_code)
    step = max(1, len(entries) // PHOTOS)
    chosen = entries[::step][:PHOTOS]
    for index, entry in enumerate(chosen):
        stage = "before" if index < 2 else "after" if index >= len(chosen) - 3 else "during"
        upload = SimpleUploadedFile(f"{project_code}-{index + 1}.jpg", _picture(rng, stage), "image/jpeg")
        attach_photo(entry, upload, stage)
    return len(chosen)
