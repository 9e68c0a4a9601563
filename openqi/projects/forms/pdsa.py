"""Forms for PDSA cycles: starting a cycle, one form per stage (Plan, Do, Study, Act) and tasks.

Each stage form, and the task edit form, carries the record's version, so a save over someone else's
newer answers is refused and the person's text is redisplayed."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.contrib.auth import get_user_model

from openqi.core.concurrency import VersionField
from openqi.privacy.forms import PersonalDataGuardMixin
from openqi.projects.models import ActDecision, ChangeIdea, PDSACycle, PDSATask, Project

ACT_HINTS = {
    ActDecision.ADOPT: "The change worked as predicted: make it part of how the team works, or test it at "
    "a larger scale.",
    ActDecision.ADAPT: "The change showed promise: change something and test it again in the next cycle.",
    ActDecision.ABANDON: "The change did not work here: stop testing it and record what the team learnt.",
}


class DateInput(forms.DateInput):
    """The browser's own date picker: works without JavaScript and is read out by screen readers."""

    input_type = "date"


def _date_field(label: str, hint: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=DateInput,
        help_text=hint,
        error_messages={"invalid": f"{label} must be a real date, like 2025-03-14"},
    )


class CycleChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: PDSACycle) -> str:
        return f"{obj.title} ({obj.change_idea.title})" if obj.change_idea else obj.title


class CycleStartForm(PersonalDataGuardMixin, forms.Form):
    title = forms.CharField(
        label="Title of the test",
        max_length=200,
        help_text="What this cycle tests, for example \u2018Text reminders for Monday clinic\u2019.",
        error_messages={"required": "Enter a title for the cycle"},
    )
    change_idea = forms.ModelChoiceField(
        queryset=ChangeIdea.objects.none(),
        label="Change idea being tested",
        empty_label="Choose a change idea",
        error_messages={"required": "Choose the change idea this cycle tests"},
    )
    follows = CycleChoiceField(
        queryset=PDSACycle.objects.none(),
        label="Does it follow an earlier cycle? (optional)",
        required=False,
        empty_label="No: this is the first cycle of a new ramp",
        help_text="Cycles that follow each other form a ramp of tests, from small to large.",
    )
    objective = forms.CharField(
        label="Objective (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    prediction = forms.CharField(
        label="Prediction",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What you expect to happen, written before the test. "
        "You can add it later on the Plan page.",
    )

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["change_idea"].queryset = project.change_ideas.all()  # type: ignore[attr-defined]
        cycles = project.pdsa_cycles.select_related("change_idea")
        self.fields["follows"].queryset = cycles  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        follows, idea = self.cleaned_data.get("follows"), self.cleaned_data.get("change_idea")
        if follows is not None and idea is not None and follows.change_idea_id != idea.pk:
            self.add_error("follows", "Choose a cycle that tests the same change idea, or none")
        return cleaned


class _StageForm(PersonalDataGuardMixin, forms.ModelForm):  # type: ignore[type-arg]
    version = VersionField()
    stage: ClassVar[str]
    heading: ClassVar[str]
    intro: ClassVar[str]

    def __init__(self, *args: Any, instance: PDSACycle, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})["version"] = instance.version
        super().__init__(*args, instance=instance, **kwargs)

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields or ()}


_TEXT = forms.Textarea(attrs={"rows": 4})


class PlanForm(_StageForm):
    stage = "plan"
    heading = "Plan"
    intro = "Write the plan, and especially the prediction, before the test starts."

    started_on = _date_field("Start date (optional)", "The cycle moves to Do on this date.")

    class Meta:
        model = PDSACycle
        fields = list(PDSACycle.STAGE_FIELDS["plan"])
        labels = {
            "title": "Title of the test",
            "objective": "Objective",
            "questions": "Questions this test will answer",
            "prediction": "Prediction",
            "plan_what": "What will be done",
            "plan_who": "Who will do it",
            "plan_when": "When",
            "plan_where": "Where",
            "plan_data": "Data to collect",
        }
        help_texts = {
            "prediction": "What you expect to happen. The Study stage compares the results with it.",
            "plan_data": "What will be counted or asked, and by whom, to answer the questions.",
        }
        widgets = {
            "objective": _TEXT,
            "questions": _TEXT,
            "prediction": _TEXT,
            "plan_what": _TEXT,
            "plan_data": _TEXT,
        }
        error_messages = {"title": {"required": "Enter a title for the cycle"}}


class DoForm(_StageForm):
    stage = "do"
    heading = "Do"
    intro = "Record what happened while the test ran, including problems and surprises."

    class Meta:
        model = PDSACycle
        fields = list(PDSACycle.STAGE_FIELDS["do"])
        labels = {"do_what_happened": "What happened", "do_observations": "Observations"}
        help_texts = {"do_observations": "What the team noticed that was not in the plan."}
        widgets = {"do_what_happened": _TEXT, "do_observations": _TEXT}


class StudyForm(_StageForm):
    stage = "study"
    heading = "Study"
    intro = "Compare the results with the prediction: what did the team learn?"

    class Meta:
        model = PDSACycle
        fields = list(PDSACycle.STAGE_FIELDS["study"])
        labels = {"study_results": "Results compared with the prediction"}
        widgets = {"study_results": forms.Textarea(attrs={"rows": 6})}


class ActForm(_StageForm):
    stage = "act"
    heading = "Act"
    intro = "Decide what to do with the change, and what happens next."

    act_decision = forms.ChoiceField(
        label="Decision",
        choices=ActDecision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose adopt, adapt or abandon"},
    )
    completed_on = _date_field("Date the cycle was completed (optional)")

    class Meta:
        model = PDSACycle
        fields = list(PDSACycle.STAGE_FIELDS["act"])
        labels = {"act_next_step": "Next step"}
        widgets = {"act_next_step": _TEXT}

    def decision_items(self) -> list[dict[str, Any]]:
        """The radios with a hint under each choice (the generic field renderer has no per-item hints)."""
        chosen = str(self["act_decision"].value() or "")
        return [
            {
                "value": value,
                "text": label,
                "hint": {"text": ACT_HINTS[ActDecision(value)]},
                "checked": value == chosen,
            }
            for value, label in ActDecision.choices
        ]


STAGE_FORMS: dict[str, type[_StageForm]] = {f.stage: f for f in (PlanForm, DoForm, StudyForm, ActForm)}


class OwnerField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class TaskForm(PersonalDataGuardMixin, forms.Form):
    description = forms.CharField(
        label="Task",
        max_length=300,
        error_messages={
            "required": "Enter what needs doing",
            "max_length": "The task must be 300 characters or fewer",
        },
    )
    owner = OwnerField(
        queryset=get_user_model().objects.none(),
        label="Owner (optional)",
        required=False,
        empty_label="No owner yet",
        help_text="A current member of the project team.",
    )
    due_on = _date_field("Due date (optional)")
    done = forms.BooleanField(label="Done", required=False)

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only people on the team now: someone who left should not be handed new work.
        self.fields["owner"].queryset = (  # type: ignore[attr-defined]
            get_user_model()
            .objects.filter(project_roles__project=project, project_roles__left_on__isnull=True)
            .distinct()
            .order_by("name", "email")
        )


class TaskEditForm(TaskForm):
    version = VersionField()

    def __init__(self, *args: Any, task: PDSATask, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).update(
            description=task.description,
            owner=task.owner_id,
            due_on=task.due_on,
            done=task.done,
            version=task.version,
        )
        super().__init__(*args, **kwargs)
