"""Story log journeys: the personal-data warning keeps what was typed; a service-user partner without an NHS
e-mail address adds to the story log (without JavaScript) and sees it on the timeline."""

from __future__ import annotations

from tests.system.conftest import Journey
from tests.system.steps import given_i_am_signed_in_as

NHS_NUMBER = "943 476 5919"


def when_i_open_the_story_log(journey: Journey, project) -> None:  # type: ignore[no-untyped-def]
    journey.goto(f"/projects/{project.pk}/story/")
    assert "Story log" in journey.text


def when_i_write_a_story_entry(journey: Journey, title: str, text: str) -> None:
    journey.follow("Add a story entry")
    journey.fill("Title", title)
    journey.fill("What happened", text)
    journey.press("Save story entry")


def test_an_nhs_number_is_caught_and_nothing_typed_is_lost(journey: Journey, world, projects) -> None:  # type: ignore[no-untyped-def]
    # Given the project lead is signed in and on the story log of their project
    given_i_am_signed_in_as(journey, world.lead.email)
    when_i_open_the_story_log(journey, projects.shared)

    # When they write an entry that contains an NHS number
    typed = f"Huddle reviewed the referral for {NHS_NUMBER}. Agreed to test text reminders next week."
    when_i_write_a_story_entry(journey, "Weekly huddle", typed)

    # Then they are warned, next to the field, and everything they typed is still there
    assert "There is a problem" in journey.text
    assert "This looks like an NHS number" in journey.text
    assert journey.page.get_by_label("What happened", exact=True).input_value() == typed
    assert journey.page.get_by_label("Title", exact=True).input_value() == "Weekly huddle"
    assert journey.page.locator("#id_confirm_no_personal_data").count() == 1

    # When they edit the number out and save again
    journey.fill("What happened", "Huddle reviewed a referral. Agreed to test text reminders next week.")
    journey.press("Save story entry")

    # Then the entry is in the story log, without the number
    assert "Story entry ‘Weekly huddle’ added." in journey.text
    assert "Agreed to test text reminders next week." in journey.text
    assert NHS_NUMBER not in journey.page.content()


def test_a_confirmed_warning_saves_the_entry(journey: Journey, world, projects) -> None:  # type: ignore[no-untyped-def]
    # Given the coach writes up training that quotes the made-up NHS number from the training pack
    given_i_am_signed_in_as(journey, world.coach.email)
    when_i_open_the_story_log(journey, projects.shared)
    typed = f"Reference {NHS_NUMBER} is the service's test case number from the training pack."
    when_i_write_a_story_entry(journey, "Training session", typed)
    assert "This looks like an NHS number" in journey.text

    # When they confirm it identifies nobody and save again
    journey.page.get_by_label("I have checked: this does not identify a patient").check()
    journey.press("Save story entry")

    # Then the entry is saved as typed
    assert "Story entry ‘Training session’ added." in journey.text
    assert "test case number from the training pack" in journey.text


def test_a_service_user_partner_adds_to_the_story_without_javascript(
    second_journey: Journey, world, projects, settings, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    leaflet = tmp_path / "Welcome leaflet.pdf"
    leaflet.write_bytes(b"%PDF-1.7\n%%EOF\n")
    partner = second_journey
    # Given the service-user partner (a personal e-mail address, no NHS account) signs in on their own device
    given_i_am_signed_in_as(partner, world.partner.email)

    # When they add a story entry to the shared project
    when_i_open_the_story_log(partner, projects.shared)
    partner.follow("Add a story entry")
    partner.page.get_by_label("Celebration", exact=True).check()
    partner.fill("Title", "First co-produced leaflet")
    partner.fill("What happened", "We wrote the **welcome leaflet** together:\n\n- plain words\n- a map")
    partner.page.get_by_label("Attach files (optional)", exact=True).set_input_files(leaflet)
    partner.press("Save story entry")

    # Then it shows in the story log with their name, category and formatting
    assert "Story entry ‘First co-produced leaflet’ added." in partner.text
    entry = partner.page.locator("article", has_text="First co-produced leaflet")
    assert "Sam Taylor" in entry.inner_text() and "Celebration" in entry.inner_text()
    assert entry.locator("strong", has_text="welcome leaflet").count() == 1
    # And the leaflet can be downloaded under its own name
    with partner.page.expect_download() as download:
        entry.get_by_role("link", name="Welcome leaflet.pdf").click()
    assert download.value.suggested_filename == "Welcome leaflet.pdf"

    # And on the project timeline
    partner.follow("Timeline")
    assert "First co-produced leaflet" in partner.text
    assert "By Sam Taylor" in partner.text
