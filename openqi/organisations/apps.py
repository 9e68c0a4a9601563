from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "openqi.organisations"
    label = "organisations"
