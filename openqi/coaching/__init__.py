"""Coaching: the coach's caseload, coaching sessions, idea intake and the monthly sponsor update."""
