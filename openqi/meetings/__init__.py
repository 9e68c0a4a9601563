"""Meetings: a project's meetings, their papers, minutes and attendance; actions; calendar invitations (.ics)
and subscriptions; reminders and notification preferences."""
