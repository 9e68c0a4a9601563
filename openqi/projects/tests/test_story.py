"""The story log: who may add, edit and delete; attachments (limits, type sniffing, downloads); audit rows;
the personal-data guard; edits that conflict."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from openqi.core.concurrency import EditConflict
from openqi.core.models import AuditEvent
from openqi.privacy.forms import BLOCK_MESSAGE, CONFIRM_FIELD, WARN_MESSAGE
from openqi.projects.forms.story import MAX_ATTACHMENT_BYTES
from openqi.projects.models import StoryAttachment, StoryCategory, StoryEntry
from openqi.projects.services import story as services
from openqi.projects.tests.factories import ProjectFactory, StoryEntryFactory

pytestmark = pytest.mark.django_db

NHS = "943 476 5919"
PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def office(folder: str, *, macros: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}document.xml", "<document/>")
        if macros:
            archive.writestr(f"{folder}vbaProject.bin", b"\x00")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def entry_data(**overrides: Any) -> dict[str, Any]:
    return {
        "occurred_on": "17/3/2025",
        "category": StoryCategory.MEETING,
        "title": "Kick-off meeting",
        "text": "The team agreed the **aim** and a meeting schedule.",
        **overrides,
    }


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def story_url(project: Any) -> str:
    return reverse("projects:story", kwargs={"pk": project.pk})


def add_url(project: Any) -> str:
    return reverse("projects:story_add", kwargs={"pk": project.pk})


def edit_url(entry: StoryEntry) -> str:
    return reverse("projects:story_edit", kwargs={"pk": entry.project_id, "entry_pk": entry.pk})


def delete_url(entry: StoryEntry) -> str:
    return reverse("projects:story_delete", kwargs={"pk": entry.project_id, "entry_pk": entry.pk})


def download_url(attachment: StoryAttachment) -> str:
    return reverse(
        "projects:story_attachment",
        kwargs={"pk": attachment.entry.project_id, "attachment_pk": attachment.pk},
    )


def stored_attachment(entry: StoryEntry, name: str = "minutes.pdf", content: bytes = PDF) -> StoryAttachment:
    attachment = StoryAttachment(
        entry=entry, original_name=name, content_type="application/pdf", size=len(content)
    )
    attachment.file.save("x", ContentFile(content), save=False)
    attachment.save()
    return attachment


# --- Who may do what ---------------------------------------------------------------------------------

# persona -> (status reading the shared project's log, reading the private one, adding to the shared one)
READ_AND_ADD = {
    "lead": (200, 200, 302),
    "partner": (200, 200, 302),
    "coach": (200, 200, 302),
    "admin": (200, 200, 302),  # the organisation's QI team admin
    "sponsor": (200, 200, 403),  # sponsors read and unblock; the team writes the story
    "advisor": (200, 200, 403),
    "member": (200, 404, 403),  # in the organisation, not in the team
    "outsider": (404, 404, 404),
    "loner": (404, 404, 404),
}


@pytest.mark.parametrize("persona", READ_AND_ADD)
def test_who_may_read_the_log_and_add_an_entry(world, projects, persona: str) -> None:  # type: ignore[no-untyped-def]
    StoryEntryFactory(project=projects.shared, title="Shared story")
    StoryEntryFactory(project=projects.private, title="Private story")
    client = signed_in(getattr(world, persona))
    read_shared, read_private, add_shared = READ_AND_ADD[persona]

    assert client.get(story_url(projects.shared)).status_code == read_shared
    private = client.get(story_url(projects.private))
    assert private.status_code == read_private
    if read_private == 404:
        assert "Private story" not in private.content.decode()

    assert client.get(add_url(projects.shared)).status_code == (200 if add_shared == 302 else add_shared)
    response = client.post(add_url(projects.shared), entry_data(title=f"By {persona}"))
    assert response.status_code == add_shared
    assert StoryEntry.objects.filter(title=f"By {persona}").exists() == (add_shared == 302)


def test_signed_out_people_are_sent_to_sign_in(projects) -> None:  # type: ignore[no-untyped-def]
    response = Client().get(story_url(projects.shared))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_add_link_shows_only_to_people_who_may_add(world, projects) -> None:  # type: ignore[no-untyped-def]
    assert "Add a story entry" in signed_in(world.partner).get(story_url(projects.shared)).content.decode()
    sponsor_page = signed_in(world.sponsor).get(story_url(projects.shared)).content.decode()
    assert "Add a story entry" not in sponsor_page


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("partner", 200),  # the author
        ("lead", 200),  # project ADMIN
        ("admin", 200),  # QI team admin: ADMIN on every project
        ("coach", 403),  # may add entries, but not change someone else's
        ("sponsor", 403),
        ("member", 403),
        ("outsider", 404),
        ("loner", 404),
    ],
)
def test_only_the_author_or_a_project_admin_may_edit_or_delete(
    world, projects, persona: str, status: int
) -> None:  # type: ignore[no-untyped-def]
    entry = StoryEntryFactory(project=projects.shared, author=world.partner, title="Partner's entry")
    client = signed_in(getattr(world, persona))
    assert client.get(edit_url(entry)).status_code == status
    assert client.get(delete_url(entry)).status_code == status
    response = client.post(edit_url(entry), entry_data(title="Changed", version=entry.version))
    assert response.status_code == (302 if status == 200 else status)
    entry.refresh_from_db()
    assert (entry.title == "Changed") == (status == 200)
    response = client.post(delete_url(entry))
    assert response.status_code == (302 if status == 200 else status)
    assert StoryEntry.objects.filter(pk=entry.pk).exists() == (status != 200)


def test_edit_and_delete_links_show_only_where_allowed(world, projects) -> None:  # type: ignore[no-untyped-def]
    entry = StoryEntryFactory(project=projects.shared, author=world.partner)
    assert edit_url(entry) in signed_in(world.partner).get(story_url(projects.shared)).content.decode()
    assert edit_url(entry) in signed_in(world.lead).get(story_url(projects.shared)).content.decode()
    coach_page = signed_in(world.coach).get(story_url(projects.shared)).content.decode()
    assert edit_url(entry) not in coach_page and delete_url(entry) not in coach_page


def test_an_author_who_left_the_team_can_no_longer_edit(world, projects) -> None:  # type: ignore[no-untyped-def]
    for project in (projects.private, projects.shared):
        project.team.filter(user=world.partner).update(left_on=dt.date(2025, 1, 1))
    private = StoryEntryFactory(project=projects.private, author=world.partner)
    shared = StoryEntryFactory(project=projects.shared, author=world.partner)
    client = signed_in(world.partner)
    assert client.get(edit_url(private)).status_code == 404  # private: not even visible any more
    assert client.get(edit_url(shared)).status_code == 403  # readable by the organisation, not editable


def test_an_entry_of_another_project_is_not_found_through_this_one(world, projects) -> None:  # type: ignore[no-untyped-def]
    elsewhere = StoryEntryFactory(project=projects.private, author=world.lead)
    url = reverse("projects:story_edit", kwargs={"pk": projects.shared.pk, "entry_pk": elsewhere.pk})
    assert signed_in(world.lead).get(url).status_code == 404


# --- The log ------------------------------------------------------------------------------------------


def test_the_log_lists_entries_newest_first_with_author_category_and_formatted_text(world, projects) -> None:  # type: ignore[no-untyped-def]
    StoryEntryFactory(
        project=projects.shared, occurred_on=dt.date(2025, 1, 10), title="Older", author=world.lead
    )
    StoryEntryFactory(
        project=projects.shared,
        occurred_on=dt.date(2025, 2, 3),
        title="Newer",
        author=world.partner,
        category=StoryCategory.CELEBRATION,
        text="We did it: **first signal** on the run chart <script>alert(1)</script>",
    )
    page = signed_in(world.member).get(story_url(projects.shared)).content.decode()
    assert page.index("Newer") < page.index("Older")
    assert "3 February 2025" in page and "Sam Taylor" in page and "Celebration" in page
    assert "<strong>first signal</strong>" in page
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
    assert 'data-testid="read-only"' in page  # a member outside the team reads only


def test_the_log_filters_by_category(world, projects) -> None:  # type: ignore[no-untyped-def]
    StoryEntryFactory(project=projects.shared, title="A decision", category=StoryCategory.DECISION)
    StoryEntryFactory(project=projects.shared, title="A setback", category=StoryCategory.CHALLENGE)
    client = signed_in(world.lead)
    page = client.get(story_url(projects.shared), {"category": "decision"}).content.decode()
    assert "A decision" in page and "A setback" not in page
    everything = client.get(story_url(projects.shared), {"category": "nonsense"}).content.decode()
    assert "A decision" in everything and "A setback" in everything


def test_adding_an_entry_saves_it_with_its_author_and_an_audit_row(world, projects) -> None:  # type: ignore[no-untyped-def]
    response = signed_in(world.partner).post(add_url(projects.shared), entry_data())
    entry = StoryEntry.objects.get(title="Kick-off meeting")
    assert response["Location"] == f"{story_url(projects.shared)}#entry-{entry.pk}"
    assert entry.author == world.partner and entry.occurred_on == dt.date(2025, 3, 17)
    event = AuditEvent.objects.get(object_type="projects.storyentry", action=AuditEvent.Action.CREATE)
    assert event.project_id == projects.shared.pk and event.actor == world.partner
    assert event.changes["title"] == [None, "Kick-off meeting"]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "Enter a title"),
        ({"text": ""}, "text", "Enter what happened"),
        ({"occurred_on": "31/2/2025"}, "occurred_on", "Date must be a real date"),
        ({"occurred_on": "1/1/2999"}, "occurred_on", "Date must be today or in the past"),
        ({"category": ""}, "category", "Select what kind of entry this is"),
    ],
)
def test_mistakes_are_explained_in_an_error_summary(world, projects, overrides, field, message) -> None:  # type: ignore[no-untyped-def]
    response = signed_in(world.lead).post(add_url(projects.shared), entry_data(**overrides))
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and message in page
    assert f'href="#id_{field}' in page
    assert "<title>Error:" in page


def test_editing_records_before_and_after(world, projects) -> None:  # type: ignore[no-untyped-def]
    entry = StoryEntryFactory(
        project=projects.shared, author=world.partner, title="Draft", text="First words"
    )
    response = signed_in(world.lead).post(
        edit_url(entry), entry_data(title="Final", text="First words", version=entry.version)
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.title == "Final" and entry.version == 2
    event = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE, object_id=str(entry.pk))
    assert event.actor == world.lead
    assert event.changes["title"] == ["Draft", "Final"]
    assert "text" not in event.changes


def test_deleting_asks_first_then_deletes_with_an_audit_row(world, projects) -> None:  # type: ignore[no-untyped-def]
    entry = StoryEntryFactory(project=projects.shared, author=world.partner, title="Mistaken entry")
    client = signed_in(world.partner)
    confirm = client.get(delete_url(entry)).content.decode()
    assert "Delete this story entry?" in confirm and "Mistaken entry" in confirm
    assert edit_url(entry) not in confirm  # the entry is shown without its own edit/delete links
    assert StoryEntry.objects.filter(pk=entry.pk).exists()
    response = client.post(delete_url(entry))
    assert response.status_code == 302
    assert not StoryEntry.objects.filter(pk=entry.pk).exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.DELETE)
    assert event.object_repr == "Mistaken entry" and event.changes["title"] == ["Mistaken entry", None]
    assert event.project_id == projects.shared.pk


# --- Attachments --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("minutes.pdf", PDF, "application/pdf"),
        ("photo.PNG", PNG, "image/png"),
        ("poster.jpeg", JPEG, "image/jpeg"),
        ("poster.jpg", JPEG, "image/jpeg"),
        (
            "notes.docx",
            office("word/"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("data.xlsx", office("xl/"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (
            "slides.pptx",
            office("ppt/"),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        ("counts.csv", b"week,referrals\n1,27\n", "text/csv"),
        ("notes.txt", "Caf\u00e9 huddle notes".encode("cp1252"), "text/plain"),
    ],
)
def test_allowed_files_are_stored_under_a_random_name(world, projects, name, content, content_type) -> None:  # type: ignore[no-untyped-def]
    response = signed_in(world.lead).post(
        add_url(projects.shared), entry_data(attachments=[upload(name, content, "text/html")])
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    attachment = StoryAttachment.objects.get()
    assert attachment.original_name == name and attachment.size == len(content)
    # The type we serve comes from what the file is, not from what the browser claimed (text/html).
    assert attachment.content_type == content_type
    assert name not in attachment.file.name and attachment.file.name.startswith(
        f"story/{projects.shared.pk}/"
    )
    with attachment.file.open("rb") as handle:
        assert handle.read() == content


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "is not a real PDF"),
        ("photo.png", PDF, "is not a real PNG image"),
        ("notes.docx", b"PK\x03\x04 not really a zip", "is not a real Word document"),
        ("notes.docx", office("xl/"), "is not a real Word document"),
        ("macro.docx", office("word/", macros=True), "is not a real Word document"),
        ("setup.pdf", b"MZ\x90\x00" + b"\x00" * 64, "is not a real PDF"),
        ("notes.txt", b"<html><body onload=alert(1)>hi</body></html>", "is not a real text file"),
        ("data.csv", b"\x7fELF\x02\x01\x01" + b"\x00" * 40, "is not a real CSV file"),
        ("data.csv", b"a,b\x00\x00\x00", "is not a real CSV file"),
        ("page.html", b"<html></html>", "must be a PDF, PNG, JPEG"),
        ("logo.svg", b"<svg onload='alert(1)'/>", "must be a PDF, PNG, JPEG"),
        ("setup.exe", b"MZ" + b"\x00" * 64, "must be a PDF, PNG, JPEG"),
        ("archive.zip", office("word/"), "must be a PDF, PNG, JPEG"),
        ("no-extension", PDF, "must be a PDF, PNG, JPEG"),
        ("empty.pdf", b"", "is empty"),
    ],
)
def test_wrong_or_disguised_files_are_refused_with_a_clear_message(
    world, projects, name, content, message
) -> None:  # type: ignore[no-untyped-def]
    response = signed_in(world.lead).post(
        add_url(projects.shared), entry_data(attachments=[upload(name, content)])
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and message in page
    assert 'href="#id_attachments"' in page
    assert not StoryEntry.objects.exists() and not StoryAttachment.objects.exists()
    # A browser cannot re-fill a file input, so the page says which file to choose again.
    assert "Choose your files again" in page
    # What the person typed is still there.
    assert "The team agreed the **aim** and a meeting schedule." in page


def test_a_file_over_10mb_is_refused(world, projects) -> None:  # type: ignore[no-untyped-def]
    big = upload("big.pdf", PDF + b"0" * MAX_ATTACHMENT_BYTES)
    page = (
        signed_in(world.lead).post(add_url(projects.shared), entry_data(attachments=[big])).content.decode()
    )
    assert "big.pdf must be smaller than 10MB" in page
    assert not StoryAttachment.objects.exists()
    exactly = upload("exact.pdf", PDF + b"0" * (MAX_ATTACHMENT_BYTES - len(PDF)))
    assert (
        signed_in(world.lead).post(add_url(projects.shared), entry_data(attachments=[exactly])).status_code
        == 302
    )


def test_no_more_than_three_files_per_entry(world, projects, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(world.lead)
    four = [upload(f"file{i}.pdf", PDF) for i in range(4)]
    page = client.post(add_url(projects.shared), entry_data(attachments=four)).content.decode()
    assert "You can attach up to 3 files to an entry" in page
    assert not StoryEntry.objects.exists()

    three = [upload(f"file{i}.pdf", PDF) for i in range(3)]
    assert client.post(add_url(projects.shared), entry_data(attachments=three)).status_code == 302
    entry = StoryEntry.objects.get()
    assert entry.attachments.count() == 3
    # Editing: a fourth is refused until one is removed.
    more = entry_data(version=entry.version, attachments=[upload("fourth.pdf", PDF)])
    page = client.post(edit_url(entry), more).content.decode()
    assert "remove one before adding another" in page
    first = entry.attachments.order_by("pk").first()
    assert first is not None
    stored_name = first.file.name
    more = entry_data(
        version=entry.version, attachments=[upload("fourth.pdf", PDF)], remove_attachments=[first.pk]
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(edit_url(entry), more).status_code == 302
    assert sorted(entry.attachments.values_list("original_name", flat=True)) == [
        "file1.pdf",
        "file2.pdf",
        "fourth.pdf",
    ]
    assert not first.file.storage.exists(stored_name)  # the removed file is gone from storage too
    event = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE)
    assert event.changes["attachments"] == [
        ["file0.pdf", "file1.pdf", "file2.pdf"],
        ["file1.pdf", "file2.pdf", "fourth.pdf"],
    ]


def test_a_file_name_is_kept_only_as_a_name(world, projects) -> None:  # type: ignore[no-untyped-def]
    signed_in(world.lead).post(
        add_url(projects.shared), entry_data(attachments=[upload("../../etc/evil\x07.pdf", PDF)])
    )
    attachment = StoryAttachment.objects.get()
    assert attachment.original_name == "evil.pdf"
    assert ".." not in attachment.file.name


# persona -> status of a download from each project
DOWNLOADS = {
    "lead": (200, 200),
    "partner": (200, 200),
    "sponsor": (200, 200),
    "member": (200, 404),
    "advisor": (200, 200),
    "outsider": (404, 404),
    "loner": (404, 404),
}


@pytest.mark.parametrize("persona", DOWNLOADS)
def test_downloads_follow_project_access(world, projects, persona: str) -> None:  # type: ignore[no-untyped-def]
    shared = stored_attachment(StoryEntryFactory(project=projects.shared), name="Huddle minutes.pdf")
    private = stored_attachment(StoryEntryFactory(project=projects.private))
    client = signed_in(getattr(world, persona))
    expect_shared, expect_private = DOWNLOADS[persona]

    response = client.get(download_url(shared))
    assert response.status_code == expect_shared
    if expect_shared == 200:
        assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="Huddle minutes.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"
    assert client.get(download_url(private)).status_code == expect_private


def test_an_attachment_cannot_be_fetched_through_another_project(world, projects) -> None:  # type: ignore[no-untyped-def]
    private = stored_attachment(StoryEntryFactory(project=projects.private))
    sneaky = reverse(
        "projects:story_attachment", kwargs={"pk": projects.shared.pk, "attachment_pk": private.pk}
    )
    assert signed_in(world.member).get(sneaky).status_code == 404
    assert signed_in(world.lead).get(sneaky).status_code == 404


def test_a_non_ascii_name_is_offered_back_safely(world, projects) -> None:  # type: ignore[no-untyped-def]
    attachment = stored_attachment(StoryEntryFactory(project=projects.shared), name='Café "notes".pdf')
    response = signed_in(world.lead).get(download_url(attachment))
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''Caf%C3%A9")


def test_deleting_an_entry_deletes_its_files(world, projects, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    entry = StoryEntryFactory(project=projects.shared, author=world.lead)
    attachment = stored_attachment(entry)
    name, storage = attachment.file.name, attachment.file.storage
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        signed_in(world.lead).post(delete_url(entry))
    # Until the deletion commits the file stays, so a rollback never leaves a broken entry.
    assert storage.exists(name)
    for callback in callbacks:
        callback()
    assert not storage.exists(name)


# --- Personal data --------------------------------------------------------------------------------------


def test_an_nhs_number_is_warned_about_and_the_text_is_kept(world, projects) -> None:  # type: ignore[no-untyped-def]
    typed = f"Discussed the referral of {NHS} at the huddle."
    client = signed_in(world.lead)
    page = client.post(add_url(projects.shared), entry_data(text=typed)).content.decode()
    assert WARN_MESSAGE.split(".")[0] in page.replace("&#39;", "'")
    assert "This looks like an NHS number" in page
    assert typed in page  # nothing typed is lost
    assert CONFIRM_FIELD in page
    assert not StoryEntry.objects.exists()

    # Confirming saves it, and the confirmation is audited without the number itself.
    response = client.post(add_url(projects.shared), entry_data(text=typed, **{CONFIRM_FIELD: "on"}))
    assert response.status_code == 302
    entry = StoryEntry.objects.get()
    confirmation = AuditEvent.objects.get(action=AuditEvent.Action.CONFIRM, object_id=str(entry.pk))
    assert (
        NHS not in str(confirmation.changes) and confirmation.changes["findings"][0]["kind"] == "nhs_number"
    )


def test_removing_the_number_saves_without_confirmation(world, projects) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(world.partner)
    client.post(add_url(projects.shared), entry_data(title=f"Patient {NHS}"))
    assert not StoryEntry.objects.exists()
    assert client.post(add_url(projects.shared), entry_data(title="A referral discussed")).status_code == 302
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.CONFIRM).exists()


def test_a_file_name_with_patient_details_is_flagged(world, projects) -> None:  # type: ignore[no-untyped-def]
    page = (
        signed_in(world.lead)
        .post(add_url(projects.shared), entry_data(attachments=[upload(f"letter {NHS}.pdf", PDF)]))
        .content.decode()
    )
    assert "There is a problem" in page and "Choose your files again" in page
    assert not StoryAttachment.objects.exists()


def test_block_mode_refuses_even_with_the_box_ticked(world, projects) -> None:  # type: ignore[no-untyped-def]
    world.trust.block_personal_data = True
    world.trust.save()
    typed = f"Discussed {NHS}."
    client = signed_in(world.lead)
    response = client.post(add_url(projects.shared), entry_data(text=typed, **{CONFIRM_FIELD: "on"}))
    page = response.content.decode().replace("&#39;", "'")
    assert response.status_code == 200
    assert BLOCK_MESSAGE.split(":")[0] in page
    assert typed in page  # still kept, so the person can edit it out
    assert f'name="{CONFIRM_FIELD}"' not in page
    assert not StoryEntry.objects.exists()


def test_editing_is_guarded_too(world, projects) -> None:  # type: ignore[no-untyped-def]
    entry = StoryEntryFactory(project=projects.shared, author=world.lead)
    page = (
        signed_in(world.lead)
        .post(edit_url(entry), entry_data(text=f"Now with {NHS}", version=entry.version))
        .content.decode()
    )
    assert "This looks like an NHS number" in page and f"Now with {NHS}" in page
    entry.refresh_from_db()
    assert NHS not in entry.text


# --- Two people editing at once -----------------------------------------------------------------------


def test_a_conflicting_edit_keeps_the_persons_text_and_explains(world, projects) -> None:  # type: ignore[no-untyped-def]
    entry = StoryEntryFactory(project=projects.shared, author=world.partner, title="Huddle", text="Original")
    opened_at = entry.version
    # The lead saves first...
    assert (
        signed_in(world.lead)
        .post(edit_url(entry), entry_data(title="Huddle", text="Lead's version", version=opened_at))
        .status_code
        == 302
    )
    # ...then the partner saves from the page they opened before.
    response = signed_in(world.partner).post(
        edit_url(entry), entry_data(title="Huddle", text="Partner's careful words", version=opened_at)
    )
    page = response.content.decode().replace("&#39;", "'")
    assert response.status_code == 200
    assert EditConflict.message.split(":")[0] in page
    assert "Partner's careful words" in page  # kept in the form
    assert "Lead's version" in page  # and the latest saved version shown beside it
    entry.refresh_from_db()
    assert entry.text == "Lead's version" and entry.version == opened_at + 1
    assert AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE).count() == 1


def test_the_service_refuses_a_stale_version(world) -> None:  # type: ignore[no-untyped-def]
    entry = StoryEntryFactory(project=ProjectFactory(organisation=world.trust), text="v1")
    change = services.EntryChange(
        occurred_on=entry.occurred_on, category=entry.category, title=entry.title, text="v2"
    )
    services.edit_entry(entry, change, expected_version=1, by=world.lead)
    stale = StoryEntry.objects.get(pk=entry.pk)
    with pytest.raises(EditConflict):
        services.edit_entry(stale, change, expected_version=1, by=world.lead)


def test_the_audit_trail_shows_a_story_entry_with_attachments(world, projects) -> None:  # type: ignore[no-untyped-def]
    # Reliability issue item 3: the trail answered 500 for any project with a story attachment, because
    # the audit row's "attachments" (the other side of a relation) has no verbose name.
    client = signed_in(world.lead)
    assert (
        client.post(
            add_url(projects.shared), entry_data(attachments=[upload("minutes.pdf", PDF)])
        ).status_code
        == 302
    )
    response = client.get(reverse("projects:audit", kwargs={"pk": projects.shared.pk}))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Attachments" in body and "minutes.pdf" in body
