"""QI forum packs (made in the background, opened and read; decisions recorded on the projects) and the
quarterly board report (PDF and slides)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from openqi.measures.tests.factories import ProjectMeasureFactory, add_points
from openqi.portfolio import board
from openqi.portfolio.models import Decision, ForumDecision, ForumPack, RunStatus
from openqi.portfolio.tests.helpers import pdf_pages, slides
from openqi.projects.models import (
    Lifecycle,
    LifecycleChange,
    ProgressScoreChange,
    Project,
    StoryCategory,
    TeamRole,
)
from openqi.projects.tests.factories import (
    PDSACycleFactory,
    ProjectFactory,
    StoryEntryFactory,
    TeamMemberFactory,
)


def _directorate_projects(world):  # type: ignore[no-untyped-def]
    directorate = world.trust.directorates.first()
    seeking = ProjectFactory(
        organisation=world.trust,
        directorate=directorate,
        title="Peer support in addictions",
        lifecycle=Lifecycle.PROPOSED,
        aim_what="Increase the number of people who stay in treatment",
    )
    TeamMemberFactory(project=seeking, user=world.lead, role=TeamRole.LEAD)
    active = ProjectFactory(
        organisation=world.trust,
        directorate=directorate,
        title="Completing LI CBT",
        lifecycle=Lifecycle.ACTIVE,
        progress_score=Decimal("3.0"),
    )
    ProgressScoreChange.objects.create(
        project=active, score=Decimal("2.5"), note="Tests", changed_at=timezone.now() - dt.timedelta(days=90)
    )
    ProgressScoreChange.objects.create(project=active, score=Decimal("3.0"), note="Improving")
    link = ProjectMeasureFactory(project=active)
    link.measure.name = "Completion of LI CBT"
    link.measure.save()
    add_points(link.measure, [(40 + i % 4, 90) for i in range(16)])
    PDSACycleFactory(project=active, title="Reminder texts")
    StoryEntryFactory(project=active, category=StoryCategory.CHALLENGE, title="Need a data analyst")
    elsewhere = ProjectFactory(
        organisation=world.trust, title="Another directorate", lifecycle=Lifecycle.PROPOSED
    )
    return directorate, seeking, active, elsewhere


def test_a_forum_pack_is_made_in_the_background_and_opens(world, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    directorate, seeking, active, elsewhere = _directorate_projects(world)
    today = timezone.localdate()
    client = Client()
    client.force_login(world.advisor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("portfolio:forum_packs"),
            {"directorate": directorate.pk, "forum_date": f"{today:%d/%m/%Y}"},
        )
    pack = ForumPack.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "portfolio:forum_pack", kwargs={"pk": pack.pk}
    )
    assert pack.status == RunStatus.DONE and pack.progress == 100

    page = client.get(response.url).content.decode()
    assert "Peer support in addictions" in page and "Completing LI CBT" in page
    assert "Another directorate" not in page
    assert "Need a data analyst" in page and "Reminder texts" in page
    assert "Progress score 2.5 → 3.0" in page

    pdf = client.get(reverse("portfolio:forum_download", kwargs={"pk": pack.pk, "fmt": "pdf"}))
    pages, text, _size = pdf_pages(pdf.content)
    assert pages >= 1
    flat = text.replace("\n", " ")
    for words in ("Peer support in addictions", "Completing LI CBT", "Tom Price", "Need a data analyst"):
        assert words in flat, words
    deck = client.get(reverse("portfolio:forum_download", kwargs={"pk": pack.pk, "fmt": "pptx"}))
    count, text, pictures = slides(deck.content)
    assert count == 4  # title, one for approval, one update and its chart
    assert pictures == 1 and "For approval: Peer support in addictions" in text


def test_the_form_explains_its_errors(world) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world.admin)
    response = client.post(
        reverse("portfolio:forum_packs"), {"directorate": "999", "forum_date": "31/2/2026"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "nhsuk-error-summary" in html and "Select the directorate" in html and "real date" in html


def test_forum_decisions_are_recorded_on_the_projects(world) -> None:  # type: ignore[no-untyped-def]
    directorate, seeking, active, _ = _directorate_projects(world)
    second = ProjectFactory(
        organisation=world.trust, directorate=directorate, title="Second idea", lifecycle=Lifecycle.PROPOSED
    )
    pack = ForumPack.objects.create(
        organisation=world.trust,
        directorate=directorate,
        forum_date=dt.date(2026, 3, 3),
        status=RunStatus.DONE,
    )
    url = lambda p: reverse("portfolio:forum_decision", kwargs={"pk": pack.pk, "project_pk": p.pk})  # noqa: E731
    client = Client()
    client.force_login(world.advisor)  # may read the pack, may not decide
    assert client.post(url(seeking), {f"p{seeking.pk}-decision": "approve"}).status_code == 403

    client.force_login(world.admin)
    refused = client.post(url(second), {f"p{second.pk}-decision": "changes", f"p{second.pk}-note": ""})
    assert refused.status_code == 400 and "Say what the team should change" in refused.content.decode()

    assert (
        client.post(
            url(seeking), {f"p{seeking.pk}-decision": "approve", f"p{seeking.pk}-note": "Go"}
        ).status_code
        == 302
    )
    seeking.refresh_from_db()
    assert seeking.lifecycle == Lifecycle.APPROVED and seeking.approved_on == dt.date(2026, 3, 3)
    assert seeking.approved_by == f"{directorate.name} QI forum"
    response = client.post(
        url(second), {f"p{second.pk}-decision": "changes", f"p{second.pk}-note": "Add a balancing measure"}
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.lifecycle == Lifecycle.IDEA
    change = LifecycleChange.objects.filter(project=second).first()
    assert change is not None and "Add a balancing measure" in change.note
    assert {d.decision for d in ForumDecision.objects.filter(pack=pack)} == {
        Decision.APPROVE,
        Decision.CHANGES,
    }
    # Deciding twice is refused with a message, not an error page.
    again = client.post(url(seeking), {f"p{seeking.pk}-decision": "approve"})
    assert again.status_code == 400 and "cannot move" in again.content.decode()
    # The pack page shows the decisions.
    html = client.get(reverse("portfolio:forum_pack", kwargs={"pk": pack.pk})).content.decode()
    assert "Approve the project" in html and "Add a balancing measure" in html


def test_quarters_of_the_financial_year() -> None:
    assert board.quarter_bounds(2025, 1) == (dt.date(2025, 4, 1), dt.date(2025, 6, 30))
    assert board.quarter_bounds(2025, 3) == (dt.date(2025, 10, 1), dt.date(2025, 12, 31))
    assert board.quarter_bounds(2025, 4) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))


def test_the_board_report(world) -> None:  # type: ignore[no-untyped-def]
    _directorate, _seeking, active, _ = _directorate_projects(world)
    today = timezone.localdate()
    year = today.year if today.month >= 4 else today.year - 1
    quarter = str((today.month - 4) % 12 // 3 + 1)
    client = Client()
    client.force_login(world.admin)
    query = {"year": year, "quarter": quarter, "stories": [active.pk]}
    page = client.get(reverse("portfolio:board"), query).content.decode()
    assert "Reached 3.0 or more in the quarter" in page and "Project story: Completing LI CBT" in page
    pdf = client.get(reverse("portfolio:board_download", kwargs={"fmt": "pdf"}), query)
    pages, text, _size = pdf_pages(pdf.content)
    flat = text.replace("\n", " ")
    assert (
        pages >= 2
        and "Projects reaching a progress score of 3.0 or more" in flat
        and "Completing LI CBT" in flat
    )
    deck = client.get(reverse("portfolio:board_download", kwargs={"fmt": "pptx"}), query)
    count, text, pictures = slides(deck.content)
    assert count == 5 and pictures == 3  # numbers, two charts, the story and its chart
    assert "Reached 3.0 or more in the quarter: 1" in text

    too_many = {**query, "stories": [p.pk for p in Project.objects.all()][:4]}
    ProjectFactory.create_batch(3, organisation=world.trust, lifecycle=Lifecycle.ACTIVE)
    too_many["stories"] = [p.pk for p in Project.objects.filter(lifecycle=Lifecycle.ACTIVE)][:4]
    refused = client.get(reverse("portfolio:board"), too_many)
    assert refused.status_code == 400 and "Select up to three project stories" in refused.content.decode()
