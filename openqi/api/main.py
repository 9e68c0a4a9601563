"""The API itself: one NinjaAPI at /api/v1/, token authentication and a rate limit on every operation,
problem details for every error, and the routers of each domain mounted in `ROUTERS`.

A later app adds its endpoints as a module here, `openqi/api/<domain>.py` with a `router`, and one line
in `ROUTERS` (docs/adr/0014-api.md): the API sits above every domain app, so it may use them all, and none
of them needs to know it exists.
"""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI, Router
from ninja.openapi.docs import Swagger

from openqi.api import (
    coaching,
    drivers,
    involvement,
    learning,
    measures,
    meetings,
    organisations,
    pdsa,
    portfolio,
    problems,
    projects,
    spc,
    story,
    tools,
)
from openqi.api.auth import TokenAuth, TokenThrottle

# (router, tag description) in the order the documentation lists them.
ROUTERS: list[tuple[Router, str]] = [
    (organisations.router, "Who the token acts as; organisations, their roles and structure."),
    (projects.router, "Projects you may see: the list with the projects page's filters, and each record."),
    (drivers.router, "Aim, primary and secondary drivers, change ideas."),
    (pdsa.router, "Plan-Do-Study-Act cycles and their tasks."),
    (story.router, "The story log: meetings, decisions, learning, setbacks, celebrations."),
    (measures.router, "The family of measures, their data (bulk upload by period) and their analysis."),
    (spc.router, "Run charts, control charts and Making Data Count for any series."),
    (meetings.router, "Meetings, their papers, minutes and attendance; actions; calendar (.ics) files."),
    (coaching.router, "The coach's caseload, coaching sessions, ideas and sponsor updates."),
    (learning.router, "Training programmes, cohorts, sessions, enrolments, attendance and feedback."),
    (involvement.router, "Partner onboarding, involvement entries and payment claims."),
    (tools.router, "Process maps, fishbones, Pareto charts, 5 whys, stakeholder grids, affinity diagrams."),
    (portfolio.router, "Dashboard figures, signal-scan results, forum packs and project exports."),
]

DESCRIPTION = """\
Everything OpenQI holds, for programs: Power BI, Excel, R and Python scripts, data warehouses.

**Authentication.** Make a personal access token on your account page (or `manage.py api_token EMAIL`)
and send it as `Authorization: Bearer <token>`. A token acts exactly as its person: what they cannot see
is a 404, what they can see but not change a 403.

**Errors** are `application/problem+json` (RFC 9457) with a `detail` saying what to do, and `errors`
naming each field or row at fault. **Lists** are paged: follow `next` until it is null.
See docs/api.md for worked examples.
"""


class OpenQIApi(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        """ninja documents every response as application/json; errors here are problem details."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        response["content"] = {problems.MEDIA_TYPE: content["application/json"]}
        schema["tags"] = [
            {"name": router.tags[0], "description": text} for router, text in ROUTERS if router.tags
        ]
        return schema


api = OpenQIApi(
    title="OpenQI API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=TokenAuth(),
    throttle=[TokenThrottle()],
    docs=Swagger(settings={"persistAuthorization": False, "tryItOutEnabled": False}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
problems.install(api)
for router, _text in ROUTERS:
    api.add_router("", router)
