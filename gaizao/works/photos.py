"""Site photos: checked by content (not by name), size-limited, with the camera's date and position kept."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import ExifTags, Image, UnidentifiedImageError

from gaizao.works.models import Photo

MAX_BYTES = 10 * 1024 * 1024
FORMATS = {"JPEG", "PNG", "WEBP"}


def _degrees(values, ref) -> Decimal | None:
    try:
        d, m, s = (float(v) for v in values)
    except (TypeError, ValueError):
        return None
    value = d + m / 60 + s / 3600
    if ref in ("S", "W"):
        value = -value
    return Decimal(str(round(value, 6)))


def read_metadata(image) -> dict:
    exif = image.getexif()
    found = {}
    stamp = exif.get_ifd(ExifTags.IFD.Exif).get(ExifTags.Base.DateTimeOriginal) or exif.get(ExifTags.Base.DateTime)
    if stamp:
        try:
            naive = datetime.datetime.strptime(str(stamp), "%Y:%m:%d %H:%M:%S")
            found["taken_at"] = timezone.make_aware(naive)
        except ValueError:
            pass
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    if gps:
        lat = _degrees(gps.get(ExifTags.GPS.GPSLatitude), gps.get(ExifTags.GPS.GPSLatitudeRef))
        lng = _degrees(gps.get(ExifTags.GPS.GPSLongitude), gps.get(ExifTags.GPS.GPSLongitudeRef))
        if lat is not None and lng is not None and -90 <= lat <= 90 and -180 <= lng <= 180:
            found.update(latitude=lat, longitude=lng)
    return found


def check_image(upload) -> dict:
    if upload.size > MAX_BYTES:
        raise ValidationError(_("The photo is larger than 10 MB; take it at a lower resolution."))
    try:
        # verify() must come right after open(), and the image cannot be used after it: open twice.
        with Image.open(upload) as image:
            image.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image_format = image.format
            metadata = read_metadata(image)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(_("This file is not a photo (JPEG, PNG or WebP).")) from None
    finally:
        upload.seek(0)
    if image_format not in FORMATS:
        raise ValidationError(_("This file is not a photo (JPEG, PNG or WebP)."))
    return metadata


def attach_photo(entry, upload, stage: str) -> Photo:
    metadata = check_image(upload)
    photo = Photo(entry=entry, stage=stage, image=upload, **metadata)
    photo.full_clean()
    photo.save()
    return photo
