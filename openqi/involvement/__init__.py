"""Involvement (co-production): partner onboarding, involvement and payment claims, reflections."""
