"""Users with their IMAGE profile (initials, affiliation, role) on one admin page."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accounts.models import Profile

User = get_user_model()


class ProfileInline(admin.StackedInline):
    model = Profile
    fk_name = "user"
    can_delete = False
    # One profile per user: shown empty for a user who has none yet.
    max_num = 1
    extra = 1
    autocomplete_fields = ("affiliation", "role")
    readonly_fields = ("terms_accepted_at",)


if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = (ProfileInline,)
    list_display = (
        "username",
        "email",
        "first_name",
        "last_name",
        "affiliation",
        "is_staff",
        "is_active",
    )
    list_select_related = ("profile__affiliation",)

    @admin.display(description="affiliation", ordering="profile__affiliation__name")
    def affiliation(self, user) -> str:
        profile = getattr(user, "profile", None)
        return str(profile.affiliation) if profile and profile.affiliation else ""
