"""An API client for tests: Django's test client with a person's token in every request."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from openqi.accounts import tokens


class ApiClient:
    def __init__(self, user: Any | None = None, *, secret: str | None = None) -> None:
        self.client = Client()
        if secret is None and user is not None:
            secret = tokens.issue_token(user, name="tests", by=user).secret
        self.secret = secret
        self.headers = {"Authorization": f"Bearer {secret}"} if secret else {}

    def get(self, path: str, params: dict[str, Any] | None = None, **headers: str) -> Any:
        return self.client.get(path, params or {}, headers={**self.headers, **headers})

    def post(self, path: str, body: Any, **headers: str) -> Any:
        return self.client.post(
            path, json.dumps(body), content_type="application/json", headers={**self.headers, **headers}
        )


API = "/api/v1"
