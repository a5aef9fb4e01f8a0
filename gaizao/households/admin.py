"""Admin for committees and owners; owners' contacts are masked even here."""

from django.contrib import admin

from gaizao.core.masking import mask_id, mask_phone
from gaizao.households.models import Committee, CommitteeMember, Owner


class CommitteeMemberInline(admin.TabularInline):
    model = CommitteeMember
    extra = 0


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ["name", "community", "kind"]
    inlines = [CommitteeMemberInline]


@admin.register(Owner)
class OwnerAdmin(admin.ModelAdmin):
    """Contacts are masked even here; the full numbers are only used to verify a resident."""

    list_display = ["name", "community", "masked_phone", "masked_id"]
    search_fields = ["name"]
    exclude = ["phone", "id_number"]

    @admin.display(description="phone")
    def masked_phone(self, owner):
        return mask_phone(owner.phone)

    @admin.display(description="ID")
    def masked_id(self, owner):
        return mask_id(owner.id_number)
