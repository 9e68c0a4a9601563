from django.contrib import admin

from openqi.organisations.models import Directorate, Membership, Organisation, Service


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


admin.site.register(Directorate)
admin.site.register(Service)
admin.site.register(Membership)
