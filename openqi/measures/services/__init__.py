"""Business operations on measures, one module per thing a team does: write `definitions`, enter
`data`, `imports` a file, decide `limits` (baseline freezes, rebases, excluded points) and add `notes`
(annotations). Each change runs in a transaction and writes its audit record (see `changes`); the acting
person is always `by=`. Views call these; nothing here knows about requests or templates."""
