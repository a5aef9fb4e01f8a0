"""Look-ups that return only what the user may see; anything else is a 404, not a hint that it exists."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from gaizao.communities.models import Building, Community


def get_community_for_user(user, code: str) -> Community:
    return get_object_or_404(Community.objects.visible_to(user).select_related("subdistrict__parent"), code=code)


def get_community_for_edit(user, code: str) -> Community:
    community = get_community_for_user(user, code)
    if not user.can_edit_census:
        raise PermissionDenied
    return community


def get_building_for_edit(user, code: str, building_id: int) -> Building:
    community = get_community_for_edit(user, code)
    return get_object_or_404(Building.objects.select_related("community"), community=community, pk=building_id)
