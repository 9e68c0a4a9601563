"""First contact for partners: what organisations shows of project team roles, in plain words.

The organisations app sits below projects, so it cannot name a team role ("partner") or say which project
teams a guest is in; it asks through its plug-in points (`team_role_names`, `guest_roles`) and this module
answers them. Involvement answers because partners' first contact is its concern (docs/adr/0023)."""

from __future__ import annotations

from openqi.projects.models import TeamMember, TeamRole


def team_role_name(key: str) -> str | None:
    return str(TeamRole(key).label) if key in TeamRole.values else None


def guest_roles(organisation_id: int, user_ids: list[int]) -> dict[int, list[str]]:
    """Each guest's current roles in the organisation's project teams: "Service-user or carer partner in
    Improving completion of LI CBT". One query for every guest on the page."""
    found: dict[int, list[str]] = {}
    members = (
        TeamMember.objects.filter(
            project__organisation_id=organisation_id, user_id__in=user_ids, left_on__isnull=True
        )
        .select_related("project")
        .order_by("project__title", "role")
    )
    for member in members:
        found.setdefault(member.user_id, []).append(f"{member.get_role_display()} in {member.project.title}")
    return found
