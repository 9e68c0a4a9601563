from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "openqi.accounts"
    label = "accounts"
