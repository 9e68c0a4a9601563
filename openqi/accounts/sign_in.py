"""Asking for a sign-in code, with limits nobody can use to lock a named person out.

allauth counts code requests per e-mail address wherever they come from: then anyone who knows an address
can ask for codes for it three times a minute and its owner never gets one. Here the per-address limit is
counted per address *and* client IP (behind a proxy, the client's own address: settings
`ALLAUTH_TRUSTED_PROXY_COUNT`), so a stranger spends only their own allowance. Mail-bombing one address is
still bounded: by this limit from each client, and by the per-IP limit on all requests from it.
"""

from __future__ import annotations

import ipaddress

from allauth.account.adapter import get_adapter
from allauth.account.forms import RequestLoginCodeForm as AllauthRequestLoginCodeForm
from allauth.core import context, ratelimit

# The ACCOUNT_RATE_LIMITS entry counting code requests per (e-mail address, client).
PER_ADDRESS_AND_CLIENT = "request_login_code_per_address"
# An IPv6 client usually holds a whole /64, as allauth's own limits assume (ALLAUTH_RATE_LIMIT_IPV6_PREFIX).
IPV6_PREFIX = 64


def client_key(ip: str) -> str:
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network(f"{address}/{IPV6_PREFIX}", strict=False).network_address)
    return str(address)


class RequestLoginCodeForm(AllauthRequestLoginCodeForm):  # type: ignore[misc]
    def clean_email(self) -> str:
        email: str = super().clean_email()  # allauth's check, and the per-IP limit
        request = context.request
        if email and request is not None:
            adapter = get_adapter()
            key = f"{email.lower()}|{client_key(adapter.get_client_ip(request))}"
            if not ratelimit.consume(request, action=PER_ADDRESS_AND_CLIENT, key=key):
                raise adapter.validation_error("too_many_login_attempts")
        return email
