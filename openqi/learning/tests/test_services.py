"""Enrolment, the waiting list, completion by the programme's rule, feedback and its summaries."""

from __future__ import annotations

import datetime as dt

import pytest

from openqi.core.models import AuditEvent
from openqi.learning import reports, services
from openqi.learning.models import CompletionSource, EnrolmentStatus, Feedback, Group
from openqi.learning.pathway import Pathway, Standing
from openqi.learning.tests.factories import CohortFactory, EnrolmentFactory, ProgrammeFactory, SessionFactory
from openqi.organisations.tests.factories import UserFactory


@pytest.mark.parametrize(
    ("sessions", "percent", "needed"),
    [(1, 80, 1), (5, 80, 4), (6, 80, 5), (3, 60, 2), (10, 100, 10), (4, 1, 1)],
)
def test_sessions_needed_rounds_the_share_up(sessions: int, percent: int, needed: int) -> None:
    assert services.sessions_needed(sessions, percent) == needed


def test_a_full_cohort_puts_people_on_the_waiting_list_and_a_freed_place_goes_to_the_first(world) -> None:  # type: ignore[no-untyped-def]
    cohort = CohortFactory(programme=ProgrammeFactory(organisation=world.trust), capacity=1)
    first = services.enrol(cohort, user=world.member, group=Group.STAFF, by=world.admin)
    second = services.request_place(cohort, user=world.partner, group=Group.PARTNER, by=world.partner)
    assert (first.status, second.status) == (EnrolmentStatus.ENROLLED, EnrolmentStatus.REQUESTED)
    services.approve(second, by=world.admin)
    assert second.status == EnrolmentStatus.WAITING
    with pytest.raises(services.LearningError, match="already asked"):
        services.request_place(cohort, user=world.partner, group=Group.PARTNER, by=world.partner)
    services.set_status(first, EnrolmentStatus.WITHDRAWN, by=world.member)
    second.refresh_from_db()
    assert second.status == EnrolmentStatus.ENROLLED
    assert AuditEvent.objects.filter(object_type="learning.enrolment").count() == 5


def test_a_cohort_that_has_started_takes_no_requests(world) -> None:  # type: ignore[no-untyped-def]
    cohort = CohortFactory(
        programme=ProgrammeFactory(organisation=world.trust), starts_on=dt.date(2020, 1, 1)
    )
    with pytest.raises(services.LearningError, match="not taking requests"):
        services.request_place(cohort, user=world.member, group=Group.STAFF, by=world.member)


def test_completion_follows_the_rule_and_a_corrected_register_undoes_it(world) -> None:  # type: ignore[no-untyped-def]
    programme = ProgrammeFactory(organisation=world.trust, completion_percent=80)
    cohort = CohortFactory(programme=programme)
    days = [dt.date(2026, 1, 5) + dt.timedelta(weeks=n) for n in range(5)]
    sessions = [SessionFactory(cohort=cohort, date=day) for day in days]
    keen, patchy = EnrolmentFactory(cohort=cohort), EnrolmentFactory(cohort=cohort)
    imported = EnrolmentFactory(
        cohort=cohort, completed_on=dt.date(2019, 5, 1), completion_source=CompletionSource.RECORD
    )
    for n, session in enumerate(sessions[:4]):
        done = services.take_register(session, [keen.pk] + ([patchy.pk] if n < 3 else []), by=world.coach)
    keen.refresh_from_db()
    patchy.refresh_from_db()
    assert keen.completed_on == days[3]  # 4 of 5 sessions is 80 %
    assert [e.pk for e in done] == [keen.pk]
    assert patchy.completed_on is None  # 3 of 5 so far
    services.take_register(sessions[4], [patchy.pk], by=world.coach)
    patchy.refresh_from_db()
    assert patchy.completed_on == days[4]
    # The facilitator corrects session 2: `keen` was not there after all.
    services.take_register(sessions[1], [patchy.pk], by=world.coach)
    keen.refresh_from_db()
    assert keen.completed_on is None
    imported.refresh_from_db()
    assert imported.completed_on == dt.date(2019, 5, 1)  # records keep their own dates


def test_feedback_is_summarised_as_a_distribution(world) -> None:  # type: ignore[no-untyped-def]
    session = SessionFactory(cohort=CohortFactory(programme=ProgrammeFactory(organisation=world.trust)))
    for rating, useful in [(5, True), (5, True), (4, True), (1, False)]:
        services.give_feedback(
            session,
            EnrolmentFactory(cohort=session.cohort),
            services.FeedbackAnswers(useful=useful, rating=rating, usefulness=3, comment=""),
            by=world.member,
        )
    summary = reports.summarise(Feedback.objects.filter(session=session))
    assert summary.responses == 4 and summary.useful_yes == 3 and summary.useful_share == 75
    assert summary.rating.counts == {1: 1, 2: 0, 3: 0, 4: 1, 5: 2}
    assert summary.rating.median == 4.5 and summary.rating.mean == 3.75
    assert summary.rating.rows()[0] == (1, 1, 25)
    assert summary.rating.in_words("poor", "great").startswith("4 answers (2 gave 5, 1 gave 4, 0 gave 3")
    assert summary.usefulness.counts[3] == 4


def test_giving_feedback_again_replaces_it(world) -> None:  # type: ignore[no-untyped-def]
    session = SessionFactory(cohort=CohortFactory(programme=ProgrammeFactory(organisation=world.trust)))
    enrolment = EnrolmentFactory(cohort=session.cohort)
    for rating in (2, 4):
        services.give_feedback(
            session, enrolment, services.FeedbackAnswers(True, rating, 3, ""), by=enrolment.user
        )
    assert list(Feedback.objects.values_list("rating", flat=True)) == [4]


def test_the_pathway_suggests_what_comes_next_for_the_person(world) -> None:  # type: ignore[no-untyped-def]
    intro = ProgrammeFactory(organisation=world.trust, name="Intro", audience="partners", position=1)
    pocket = ProgrammeFactory(organisation=world.trust, name="Pocket QI", position=2)
    ilp = ProgrammeFactory(organisation=world.trust, name="ILP", position=3)
    intro.next_programmes.add(pocket)
    pocket.next_programmes.add(ilp)
    pathway = Pathway.of(world.trust)
    assert [p.name for p in pathway.suggestions(Group.PARTNER, set(), set())] == ["Intro"]
    assert [p.name for p in pathway.suggestions(Group.STAFF, set(), set())] == ["Pocket QI"]
    assert [p.name for p in pathway.suggestions(Group.STAFF, {pocket.pk}, set())] == ["ILP"]
    assert pathway.suggestions(Group.STAFF, {pocket.pk}, {ilp.pk}) == []

    learner = UserFactory()
    done = EnrolmentFactory(
        cohort=CohortFactory(programme=pocket), user=learner, completed_on=dt.date(2026, 2, 1)
    )
    now = EnrolmentFactory(cohort=CohortFactory(programme=ilp, name="Wave 9"), user=learner)
    assert Standing.of([done, now]).in_words() == "Pocket QI ✓, ILP wave 9 — in progress"
    assert Standing.of([]).in_words() == "No training yet"


def test_the_report_splits_by_year_and_its_csv_cannot_carry_a_formula(world) -> None:  # type: ignore[no-untyped-def]
    programme = ProgrammeFactory(organisation=world.trust, name="=HYPERLINK(1)")
    cohort = CohortFactory(programme=programme)
    EnrolmentFactory(cohort=cohort, completed_on=dt.date(2025, 6, 1))
    EnrolmentFactory(cohort=cohort, completed_on=dt.date(2026, 6, 1), group=Group.PARTNER)
    EnrolmentFactory(cohort=cohort)  # not completed: not counted
    assert reports.trained_counts(world.trust, since=dt.date(2026, 1, 1)).partners == 1
    assert reports.trained_counts(world.trust).people == 2
    text = reports.trained_csv(reports.trained_rows(world.trust))
    assert text.splitlines()[1].startswith("'=HYPERLINK(1),2025,Staff,Not recorded,1")
    # Another organisation's records are never counted.
    other = CohortFactory(programme=ProgrammeFactory(organisation=world.other_trust))
    EnrolmentFactory(cohort=other, completed_on=dt.date(2026, 6, 1))
    assert reports.trained_counts(world.trust).people == 2
