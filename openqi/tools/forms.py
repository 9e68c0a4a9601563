"""Forms for the tools. Every text a person types passes the personal-data guard; every form that
changes a tool carries the tool's version, so a save over someone else's newer change is refused and
the person's text is shown again (core.concurrency)."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms

from openqi.core.concurrency import VersionField
from openqi.measures.dataio.records import MAX_FILE_BYTES
from openqi.privacy.forms import PersonalDataGuardMixin
from openqi.projects.models import ChangeIdea, Driver, PDSACycle, Project, StoryEntry
from openqi.tools.models import STEP_KINDS, ItemKind, Tool, ToolItem, ToolKind

LEVELS = [(1, "1 – very low"), (2, "2 – low"), (3, "3 – medium"), (4, "4 – high"), (5, "5 – very high")]


def _text(
    label: str, *, required: bool = True, max_length: int = 300, help_text: str = ""
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        error_messages={
            "required": f"Enter {label[0].lower()}{label[1:]}".rstrip("?"),
            "max_length": f"{label} must be %(limit_value)d characters or fewer",
        },
    )


class ToolForm(PersonalDataGuardMixin, forms.Form):
    kind = forms.ChoiceField(
        label="Which tool?",
        choices=ToolKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select which tool to start"},
    )
    title = _text("Title", max_length=200, help_text="For example ‘Step 2 pathway as it is today’.")
    subject = _text(
        "What is it about? (optional)",
        required=False,
        help_text="The effect a fishbone explains, the problem the 5 whys start from, or the question an "
        "affinity diagram answers.",
    )


class ToolEditForm(PersonalDataGuardMixin, forms.Form):
    personal_data_fields: ClassVar[tuple[str, ...]] = ("title", "subject")

    title = _text("Title", max_length=200)
    subject = _text("What is it about? (optional)", required=False)
    include_in_storyboard = forms.BooleanField(
        label="Include in the project’s storyboard",
        required=False,
        help_text="The storyboard and poster exports show the tools ticked here.",
    )
    version = VersionField()


class _ItemForm(PersonalDataGuardMixin, forms.Form):
    """An item of a tool. `fields_saved` are the model fields the form writes (the rest stay as they
    are); subclasses narrow the choices to the tool's own items and the project's drivers and ideas."""

    fields_saved: ClassVar[tuple[str, ...]] = ("text",)
    version = VersionField()

    def __init__(self, *args: Any, tool: Tool, item: ToolItem | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tool = tool
        self.item = item
        for name in ("parent", "branch_to"):
            if name in self.fields:
                field: forms.ModelChoiceField = self.fields[name]  # type: ignore[type-arg, assignment]
                field.queryset = self.choosable(name)
        if "driver" in self.fields:
            self.fields["driver"].queryset = tool.project.drivers.all()  # type: ignore[attr-defined]
        if "change_idea" in self.fields:
            self.fields["change_idea"].queryset = tool.project.change_ideas.all()  # type: ignore[attr-defined]

    def choosable(self, name: str) -> Any:
        items = self.tool.items.all()
        if self.item is not None:
            items = items.exclude(pk=self.item.pk)
        return items

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.fields_saved}


class _ItemChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: ToolItem) -> str:
        return obj.text


def _driver_field() -> forms.ModelChoiceField:  # type: ignore[type-arg]
    return forms.ModelChoiceField(
        queryset=Driver.objects.none(),
        required=False,
        label="Link to a driver (optional)",
        help_text="A driver of the project’s driver diagram that this acts on.",
        empty_label="Not linked",
    )


def _idea_field() -> forms.ModelChoiceField:  # type: ignore[type-arg]
    return forms.ModelChoiceField(
        queryset=ChangeIdea.objects.none(),
        required=False,
        label="Link to a change idea (optional)",
        empty_label="Not linked",
    )


class ProcessStepForm(_ItemForm):
    fields_saved = (
        "kind",
        "text",
        "lane",
        "note",
        "data_collected",
        "next_label",
        "branch_label",
        "branch_to",
    )

    kind = forms.ChoiceField(
        label="What kind of step?",
        choices=[(k.value, k.label) for k in STEP_KINDS],
        widget=forms.RadioSelect,
        error_messages={"required": "Select what kind of step this is"},
    )
    text = _text("What happens", help_text="For example ‘Referral triaged by the duty worker’.")
    lane = _text(
        "Who does it (swimlane)",
        required=False,
        max_length=100,
        help_text="A role or team, for example ‘Admin team’. Steps with the same role share a swimlane.",
    )
    note = forms.CharField(
        label="What goes wrong here? (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Pain points: delays, hand-offs, where people drop out.",
    )
    data_collected = forms.BooleanField(label="Data is collected at this step", required=False)
    next_label = _text(
        "Decision: label of the path to the next step (optional)",
        required=False,
        max_length=40,
        help_text="For a decision, for example ‘Yes’.",
    )
    branch_label = _text(
        "Decision: label of the other path (optional)",
        required=False,
        max_length=40,
        help_text="For example ‘No’.",
    )
    branch_to = _ItemChoice(
        queryset=ToolItem.objects.none(),
        required=False,
        label="Decision: the other path goes to",
        empty_label="No other path",
    )

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        if cleaned and cleaned.get("kind") != ItemKind.DECISION:
            for name in ("next_label", "branch_label"):
                if cleaned.get(name):
                    self.add_error(
                        name, "Only a decision has labelled paths: choose ‘Decision’ or clear this"
                    )
            if cleaned.get("branch_to"):
                self.add_error(
                    "branch_to", "Only a decision has another path: choose ‘Decision’ or ‘No other path’"
                )
        elif cleaned and cleaned.get("branch_to") and not cleaned.get("branch_label"):
            self.add_error("branch_label", "Enter the label of the other path, for example ‘No’")
        return cleaned


class FishboneCategoryForm(_ItemForm):
    text = _text("Category", max_length=100, help_text="For example ‘People’ or ‘Appointments’.")


class FishboneCauseForm(_ItemForm):
    fields_saved = ("text", "parent", "marked", "votes", "driver", "change_idea")

    text = _text("Cause", help_text="For example ‘Letters arrive after the first appointment’.")
    parent = _ItemChoice(
        queryset=ToolItem.objects.none(),
        label="Where does it go?",
        help_text="A category, or a cause this is a sub-cause of.",
        error_messages={"required": "Select the category or cause it belongs under"},
    )
    marked = forms.BooleanField(label="The team will act on this cause", required=False)
    votes = forms.IntegerField(
        label="Votes",
        min_value=0,
        max_value=999,
        required=False,
        help_text="How many of the team voted for it (dot voting).",
        error_messages={"min_value": "Votes must be 0 or more", "max_value": "Votes must be 999 or fewer"},
    )
    driver = _driver_field()
    change_idea = _idea_field()

    def choosable(self, name: str) -> Any:
        chosen = super().choosable(name).filter(kind__in=[ItemKind.CATEGORY, ItemKind.CAUSE])
        if self.item is not None:
            # A cause cannot sit under its own sub-causes.
            chosen = chosen.exclude(pk__in=descendants(self.item))
        return chosen

    def values(self) -> dict[str, Any]:
        values = super().values()
        values["votes"] = values["votes"] or 0
        return values


class ParetoCategoryForm(_ItemForm):
    fields_saved = ("text", "count")

    text = _text("Category", max_length=100, help_text="For example ‘Could not attend at the times offered’.")
    count = forms.IntegerField(
        label="Count",
        min_value=0,
        max_value=10_000_000,
        error_messages={
            "required": "Enter the count",
            "invalid": "Count must be a whole number, like 12",
            "min_value": "Count must be 0 or more",
            "max_value": "Count must be 10,000,000 or fewer",
        },
    )


class WhyForm(_ItemForm):
    fields_saved = ("text", "parent", "marked", "driver", "change_idea")

    text = _text(
        "Because …", help_text="The answer to ‘why?’, for example ‘The first letter is sent second class’."
    )
    parent = _ItemChoice(
        queryset=ToolItem.objects.none(),
        required=False,
        label="Which answer does it explain?",
        help_text="Leave it on the problem for a first ‘why?’; choose an answer to ask ‘why?’ of it. "
        "Two answers to the same question make a branch.",
        empty_label="The problem",
    )
    marked = forms.BooleanField(label="This is a root cause", required=False)
    driver = _driver_field()
    change_idea = _idea_field()

    def choosable(self, name: str) -> Any:
        chosen = super().choosable(name).filter(kind=ItemKind.WHY)
        if self.item is not None:
            # An answer cannot explain itself through its own further whys.
            chosen = chosen.exclude(pk__in=descendants(self.item))
        return chosen


def descendants(item: ToolItem) -> set[int]:
    by_parent: dict[int | None, list[int]] = {}
    for pk, parent in item.tool.items.values_list("pk", "parent_id"):
        by_parent.setdefault(parent, []).append(pk)
    found: set[int] = set()
    frontier = [item.pk]
    while frontier:
        children = by_parent.get(frontier.pop(), [])
        found.update(children)
        frontier.extend(children)
    return found


class StakeholderForm(_ItemForm):
    fields_saved = ("text", "lane", "influence", "interest", "is_service_user", "note")

    text = _text("Person or group", max_length=100, help_text="A role or group, for example ‘GP practices’.")
    lane = _text(
        "Kind of stakeholder (optional)", required=False, max_length=100, help_text="For example ‘Staff’."
    )
    influence = forms.TypedChoiceField(
        label="Influence on the project",
        choices=LEVELS,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how much influence they have"},
    )
    interest = forms.TypedChoiceField(
        label="Interest in the project",
        choices=LEVELS,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how interested they are"},
    )
    is_service_user = forms.BooleanField(label="Service users or carers", required=False)
    note = forms.CharField(
        label="How will the team involve them? (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example ‘Co-design the letter with two service-user partners’.",
    )


class AffinityThemeForm(_ItemForm):
    text = _text("Theme", max_length=100, help_text="A short name for what the notes have in common.")


class AffinityNoteForm(_ItemForm):
    fields_saved = ("text", "parent")

    text = _text("Note", help_text="One idea, in the words people used.")
    parent = _ItemChoice(
        queryset=ToolItem.objects.none(),
        required=False,
        label="Theme",
        empty_label="Not grouped yet",
    )

    def choosable(self, name: str) -> Any:
        return super().choosable(name).filter(kind=ItemKind.THEME)


class AffinityNotesForm(PersonalDataGuardMixin, forms.Form):
    notes = forms.CharField(
        label="Notes, one on each line",
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=20_000,
        help_text="Paste a list, for example from the sticky notes of a ‘what matters to you?’ session.",
        error_messages={
            "required": "Enter at least one note",
            "max_length": "Paste at most 20,000 characters",
        },
    )
    version = VersionField()

    def lines(self) -> list[str]:
        return [
            line.strip(" \t-•*") for line in self.cleaned_data["notes"].splitlines() if line.strip(" \t-•*")
        ]

    def clean_notes(self) -> str:
        notes: str = self.cleaned_data["notes"]
        lines = [line for line in notes.splitlines() if line.strip(" \t-•*")]
        if not lines:
            raise forms.ValidationError("Enter at least one note")
        if len(lines) > 200:
            raise forms.ValidationError("Add at most 200 notes at a time")
        if any(len(line.strip()) > 300 for line in lines):
            raise forms.ValidationError("Each note must be 300 characters or fewer")
        return notes


class CountsUploadForm(PersonalDataGuardMixin, forms.Form):
    """A CSV or Excel file of counts: a column of categories and a column of counts, with a header."""

    file = forms.FileField(
        label="Upload a file",
        help_text="CSV or Excel (.xlsx), smaller than 5MB: a header row, then one category and its count "
        "on each row.",
        error_messages={"required": "Select a CSV or Excel file", "empty": "The selected file is empty"},
    )
    replace = forms.BooleanField(
        label="Replace the chart’s categories with the file’s",
        required=False,
        help_text="Otherwise categories already on the chart get the file’s counts and new ones are added.",
    )
    version = VersionField()

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size and upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 5MB")
        return upload


class LinkForm(forms.Form):
    """Link the tool to one of the project's PDSA cycles or story entries."""

    cycle = forms.ModelChoiceField(
        queryset=PDSACycle.objects.none(), required=False, label="PDSA cycle", empty_label="None"
    )
    story_entry = forms.ModelChoiceField(
        queryset=StoryEntry.objects.none(), required=False, label="Story entry", empty_label="None"
    )

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = project.pdsa_cycles.all()  # type: ignore[attr-defined]
        self.fields["story_entry"].queryset = project.story_entries.all()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        if cleaned is not None and bool(cleaned.get("cycle")) == bool(cleaned.get("story_entry")):
            raise forms.ValidationError("Select one PDSA cycle or one story entry")
        return cleaned


class CycleLinkForm(forms.Form):
    """On a PDSA cycle's page: which of the project's tools this cycle draws on."""

    tool = forms.ModelChoiceField(
        queryset=Tool.objects.none(),
        label="Tool",
        error_messages={"required": "Select a tool", "invalid_choice": "Select one of the project’s tools"},
    )

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tool"].queryset = project.tools.all()  # type: ignore[attr-defined]


# The form for each kind of item a tool has, by the name used in its URLs.
ITEM_FORMS: dict[str, tuple[str, ItemKind | None, type[_ItemForm]]] = {
    # url name: (tool kind, item kind (None: the form chooses), form)
    "step": (ToolKind.PROCESS_MAP, None, ProcessStepForm),
    "category": (ToolKind.FISHBONE, ItemKind.CATEGORY, FishboneCategoryForm),
    "cause": (ToolKind.FISHBONE, ItemKind.CAUSE, FishboneCauseForm),
    "bar": (ToolKind.PARETO, ItemKind.CATEGORY, ParetoCategoryForm),
    "why": (ToolKind.FIVE_WHYS, ItemKind.WHY, WhyForm),
    "stakeholder": (ToolKind.STAKEHOLDERS, ItemKind.STAKEHOLDER, StakeholderForm),
    "theme": (ToolKind.AFFINITY, ItemKind.THEME, AffinityThemeForm),
    "note": (ToolKind.AFFINITY, ItemKind.NOTE, AffinityNoteForm),
}


def item_type_of(tool: Tool, item: ToolItem) -> str:
    """The URL name of an item's form."""
    for name, (tool_kind, item_kind, _form) in ITEM_FORMS.items():
        if tool_kind == tool.kind and (item_kind is None or item_kind == item.kind):
            return name
    raise LookupError(item.kind)


def initial_of(form_class: type[_ItemForm], item: ToolItem, tool: Tool) -> dict[str, Any]:
    initial: dict[str, Any] = {name: getattr(item, name) for name in form_class.fields_saved}
    for name in ("parent", "branch_to", "driver", "change_idea"):
        if name in initial:
            initial[name] = getattr(item, f"{name}_id")
    initial["version"] = tool.version
    return initial
