"""OpenQI's REST API, /api/v1/: every capability reachable by programs (docs/api.md, docs/adr/0014-api.md).

Above every domain app and below only `demo` and `config`: it reads and writes through the domain apps'
access policy, queries, presenters and services, and nothing imports it except the URL configuration.
"""
