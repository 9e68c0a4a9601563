"""Learning: the QI training pathway: programmes, cohorts, sessions, attendance, feedback and each person's
learning record."""
