from django.contrib import admin

from openqi.accounts.models import User


@admin.register(User)
class UserAdmin(admin.ModelAdmin[User]):
    list_display = ("email", "name", "is_active", "is_staff", "last_login")
    search_fields = ("email", "name")
    fields = ("email", "name", "is_active", "is_staff", "is_superuser")
