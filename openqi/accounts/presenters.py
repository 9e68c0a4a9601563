"""API tokens as the account page and the organisation's token list show them."""

from __future__ import annotations

from dataclasses import dataclass

from openqi.accounts.models import ApiToken
from openqi.core.formatting import date_and_time, long_date

STATUS_TAG = {
    "active": ("Active", "nhsuk-tag--green"),
    "expired": ("Expired", "nhsuk-tag--orange"),
    "revoked": ("Revoked", "nhsuk-tag--grey"),
}


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
        return date_and_time(self.token.created_at)

    @property
    def expires(self) -> str:
        return long_date(self.token.expires_on) or "Never"

    @property
    def last_used(self) -> str:
        return date_and_time(self.token.last_used_at) or "Not used yet"

    @property
    def status_text(self) -> str:
        return STATUS_TAG[self.token.status][0]

    @property
    def status_class(self) -> str:
        return STATUS_TAG[self.token.status][1]

    @property
    def is_active(self) -> bool:
        return self.token.status == "active"
