"""Historic training records from a file: previewed row by row, imported whole or not at all."""

from __future__ import annotations

import datetime as dt

import pytest

from openqi.learning import imports, reports
from openqi.learning.models import Cohort, CompletionSource, Enrolment, Group
from openqi.learning.tests.factories import ProgrammeFactory

GOOD = (
    "Email,Programme,Completed on,Cohort,Group,Directorate\n"
    "staff@northshire.nhs.uk,Pocket QI,12/03/2024,,staff,Primary Care Mental Health\n"
    "sam@example.com,pocket qi,2024-03-12,Run 3,Service user or carer,\n"
)


@pytest.fixture
def pocket(world):  # type: ignore[no-untyped-def]
    return ProgrammeFactory(organisation=world.trust, name="Pocket QI")


def test_a_clean_file_previews_and_imports_every_row(world, pocket) -> None:  # type: ignore[no-untyped-def]
    preview = imports.preview_records(world.trust, "records.csv", GOOD.encode())
    assert preview.is_valid, preview.error_messages()
    assert [r.user for r in preview.rows] == [world.member, world.partner]
    assert preview.rows[0].completed_on == preview.rows[1].completed_on == dt.date(2024, 3, 12)
    draft = imports.stage(world.trust, filename="records.csv", content=GOOD.encode(), by=world.admin)
    assert imports.confirm(draft, by=world.admin) == 2
    historic = Cohort.objects.get(name=imports.HISTORIC_COHORT)
    assert historic.is_historic and not historic.is_open()
    partner = Enrolment.objects.get(user=world.partner)
    assert (partner.cohort.name, partner.group, partner.completion_source) == (
        "Run 3",
        Group.PARTNER,
        CompletionSource.RECORD,
    )
    counts = reports.trained_counts(world.trust)
    assert (counts.people, counts.staff, counts.partners) == (2, 1, 1)
    rows = reports.trained_rows(world.trust)
    assert [(r.year, r.group, r.directorate) for r in rows] == [
        (2024, "Service user or carer", "Not recorded"),
        (2024, "Staff", "Primary Care Mental Health"),
    ]
    # The same file again: every row is already held, so nothing is imported.
    again = imports.preview_records(world.trust, "records.csv", GOOD.encode())
    assert not again.is_valid and again.error_count == 2


def test_every_problem_is_reported_and_nothing_is_saved(world, pocket) -> None:  # type: ignore[no-untyped-def]
    bad = (
        "email,programme,completed_on,group\n"
        "nobody@example.com,Pocket QI,12/03/2024,staff\n"  # not in the organisation
        "lead@eastvale.nhs.uk,Pocket QI,12/03/2024,staff\n"  # in another organisation
        "staff@northshire.nhs.uk,Knitting,12/03/2024,staff\n"
        "staff@northshire.nhs.uk,Pocket QI,31/02/2024,staff\n"
        "staff@northshire.nhs.uk,Pocket QI,12/03/2099,staff\n"
        "sam@example.com,Pocket QI,12/03/2024,boss\n"
        "lead@northshire.nhs.uk,Pocket QI,12/03/2024,\n"
        "lead@northshire.nhs.uk,Pocket QI,13/03/2024,\n"  # the same record twice
    )
    preview = imports.preview_records(world.trust, "records.csv", bad.encode())
    assert not preview.is_valid
    messages = preview.error_messages()
    assert messages[0].startswith(
        "Row 2: nobody in the organisation has the e-mail address nobody@example.com"
    )
    assert messages[1].startswith("Row 3: nobody in the organisation")
    assert "Row 4: there is no programme called ‘Knitting’" in messages[2]
    assert messages[3].startswith("Row 5: enter the date completed as a real date")
    assert messages[4] == "Row 6: the date completed must be today or in the past."
    assert messages[5].startswith("Row 7: group must be")
    assert messages[6] == "Row 9: the same record as row 8. Remove one of them."
    draft = imports.stage(world.trust, filename="records.csv", content=bad.encode(), by=world.admin)
    with pytest.raises(imports.ImportRefused):
        imports.confirm(draft, by=world.admin)
    assert not Enrolment.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The selected file is empty."),
        (b"name,when\nx,y\n", "Missing: email, programme, completed_on."),
        (b"email,programme,completed_on\n", "The selected file has no rows"),
        (b"\x00\x01\x02" * 100, "could not be read"),
    ],
)
def test_file_problems_are_messages_not_errors(world, content: bytes, message: str) -> None:  # type: ignore[no-untyped-def]
    preview = imports.preview_records(world.trust, "records.csv", content)
    assert not preview.is_valid
    assert message in " ".join(preview.file_errors)


def test_the_import_pages_preview_then_import(client, world, pocket) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client.force_login(world.admin)
    upload = SimpleUploadedFile("records.csv", GOOD.encode(), content_type="text/csv")
    response = client.post(reverse("learning:import"), {"file": upload})
    assert response.status_code == 302
    preview = client.get(response.url).content.decode()
    assert "Import 2 records" in preview and "Aisha Khan" in preview
    assert not Enrolment.objects.exists()
    done = client.post(response.url)
    assert done.status_code == 302 and Enrolment.objects.count() == 2
