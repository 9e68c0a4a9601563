from __future__ import annotations

from django.http import HttpRequest


def nhsuk_template(request: HttpRequest) -> dict[str, str]:
    """Variables the NHS.UK page template reads: the CSP nonce for its inline script."""
    return {"cspNonce": str(getattr(request, "csp_nonce", ""))}
