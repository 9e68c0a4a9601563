"""Measure pages, one module per group of pages: the `library` and a project's family of measures, a
measure's `definition` and links, its `data` (grid, upload, export), and its chart page (`detail`:
limits, exclusions, annotations, downloads). Thin, as elsewhere: `project_for` and `measures.access`
decide access (404 / 403), forms validate, services change and audit, presenters display."""
