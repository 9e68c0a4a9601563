"""API tokens as the account page and the organisation's token list show them."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import formats, timezone

from openqi.accounts.models import ApiToken

STATUS_TAG = {
    "active": ("Active", "nhsuk-tag--green"),
    "expired": ("Expired", "nhsuk-tag--orange"),
    "revoked": ("Revoked", "nhsuk-tag--grey"),
}


def _when(value: object) -> str:
    return formats.date_format(timezone.localtime(value), "j F Y, H:i") if value else ""  # type: ignore[arg-type]


@dataclass
class TokenRow:
    token: ApiToken
    revoke_href: str

    @property
    def name(self) -> str:
        return self.token.name

    @property
    def person(self) -> str:
        return self.token.user.display_name

    @property
    def shown(self) -> str:
        return f"oqi_{self.token.prefix}…"

    @property
    def created(self) -> str:
        return _when(self.token.created_at)

    @property
    def expires(self) -> str:
        day = self.token.expires_on
        return formats.date_format(day, "j F Y") if day else "Never"

    @property
    def last_used(self) -> str:
        return _when(self.token.last_used_at) or "Not used yet"

    @property
    def status_text(self) -> str:
        return STATUS_TAG[self.token.status][0]

    @property
    def status_class(self) -> str:
        return STATUS_TAG[self.token.status][1]

    @property
    def is_active(self) -> bool:
        return self.token.status == "active"
