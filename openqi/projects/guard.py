"""The personal-data guard as project forms use it: the organisation decides warn or block, and a
confirmed warning is written to the audit trail (without the flagged text, only masked excerpts)."""

from __future__ import annotations

from typing import Any

from django.db import models

from openqi.core import audit
from openqi.core.models import AuditEvent
from openqi.privacy.forms import PersonalDataGuardMixin
from openqi.projects.models import Project


def guard_kwargs(project: Project) -> dict[str, Any]:
    """Keyword arguments for any form using PersonalDataGuardMixin in this project."""
    return {"block": project.organisation.block_personal_data}


def record_confirmation(
    form: PersonalDataGuardMixin, *, by: Any, project: Project, instance: models.Model
) -> None:
    if form.personal_data_confirmed:
        audit.record(
            by=by,
            action=AuditEvent.Action.CONFIRM,
            instance=instance,
            project=project,
            changes={"findings": form.personal_data_audit()},
        )
