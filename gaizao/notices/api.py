"""The notices API."""

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.permissions import AllowAny

from gaizao.communities.models import Community
from gaizao.core import clock
from gaizao.core.api import text_param
from gaizao.notices import services as notices
from gaizao.notices.models import Notice


class NoticeSerializer(serializers.ModelSerializer):
    audience = serializers.SerializerMethodField()

    class Meta:
        model = Notice
        fields = ["id", "title", "body", "audience", "published_at", "valid_until"]

    def get_audience(self, notice) -> str:
        return notices.audience_label(notice)


@extend_schema_view(get=extend_schema(
    summary="Notices in force", tags=["notices"],
    parameters=[OpenApiParameter("community", OpenApiTypes.STR,
                                 description="Community code: the notices its residents read now. Without it, a "
                                             "logged-in user gets the notices in force in their scope.")]))
class NoticeList(generics.ListAPIView):
    serializer_class = NoticeSerializer
    permission_classes = [AllowAny]  # notices are public to the community, like the paper on the stairwell door
    filter_backends = []

    def get_queryset(self):
        code = text_param(self.request, "community")
        if code:
            return notices.for_community(get_object_or_404(Community, code=code))
        if not self.request.user.is_authenticated:
            raise ApiValidationError({"community": [_("Give the code of a community.")]})
        now = clock.now()
        return (notices.visible_to(self.request.user).filter(published_at__lte=now)
                .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=now))
                .select_related("area", "community").order_by("-published_at", "-pk"))
