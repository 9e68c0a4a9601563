"""The signal scan: the batch engine's verdicts per measure, kept per scan, and what changed between two."""

from __future__ import annotations

import datetime as dt

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from openqi.measures.models import DataKind, Improvement, Measure, MeasureType
from openqi.measures.tests.factories import ProjectMeasureFactory, add_points
from openqi.portfolio import presenters, scan
from openqi.portfolio.models import MeasureSignal, RunStatus, SignalScan
from openqi.projects.models import Project

TODAY = dt.date(2025, 6, 2)


def _series(values: list[float], **kw) -> scan.MeasureSeries:  # type: ignore[no-untyped-def]
    return scan.MeasureSeries(
        measure_id=kw.pop("measure_id", 1),
        improvement=kw.pop("improvement", "increase"),
        frequency=kw.pop("frequency", "weekly"),
        min_points=12,
        target=kw.pop("target", None),
        values=values,
        last_period=kw.pop("last_period", TODAY),
    )


def test_analyse_gives_the_engine_verdict_of_each_measure() -> None:
    flat = [50.0, 51, 49, 50, 52, 48, 50, 51, 49, 50, 51, 49, 50, 50]
    rising = flat[:12] + [70.0, 71]  # far above the limits: special cause
    found = {
        f.measure_id: f
        for f in scan.analyse(
            [
                _series(flat, measure_id=1, target=40),
                _series(rising, measure_id=2),
                _series(rising, measure_id=3, improvement="decrease"),
                _series(flat[:5], measure_id=4),  # too few points for a verdict
                _series([], measure_id=5, last_period=None),
                _series(flat, measure_id=6, last_period=TODAY - dt.timedelta(weeks=6)),
            ],
            TODAY,
        )
    }
    assert found[1].variation == "common_cause" and found[1].assurance == "consistently_pass"
    assert found[2].variation == "special_cause_improvement_high"
    assert found[3].variation == "special_cause_concern_high"
    assert found[4].variation == "" and found[4].n_points == 5
    assert found[5].no_recent_data and not found[1].no_recent_data
    assert found[6].no_recent_data


def _measure(project: Project, values: list[float], measure_type: str = MeasureType.OUTCOME) -> Measure:
    link = ProjectMeasureFactory(project=project, measure_type=measure_type)
    measure = link.measure
    measure.kind, measure.improvement, measure.target_value = DataKind.CONTINUOUS, Improvement.INCREASE, None
    measure.save()
    add_points(measure, values, start=dt.date.today() - dt.timedelta(weeks=len(values)))
    return measure


def test_a_scan_keeps_what_it_found_and_the_dashboard_says_what_changed(world, projects) -> None:  # type: ignore[no-untyped-def]
    base = [50.0, 51, 49, 50, 52, 48, 50, 51, 49, 50, 51, 49, 50]
    steady = _measure(projects.shared, base)
    balancing = _measure(projects.shared, base, MeasureType.BALANCING)
    hidden = _measure(projects.private, base)
    first = scan.run_scan(scan.request_scan(world.trust, by=None, on_demand=False))
    assert first.status == RunStatus.DONE and first.measures_scanned == 3
    assert MeasureSignal.objects.get(scan=first, measure=steady).variation == "common_cause"

    # New data: the outcome measure improves, the balancing measure falls (concern), so does the hidden one.
    add_points(steady, [80.0, 81], start=dt.date.today())
    add_points(balancing, [20.0, 19], start=dt.date.today())
    add_points(hidden, [20.0, 19], start=dt.date.today())
    scan.run_scan(scan.request_scan(world.trust, by=world.admin, on_demand=True))

    def lists(person) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
        summary = presenters.signal_summary(
            person, world.trust, presenters.filtered(person, world.trust, {})[1]
        )
        return {key: [item.measure for item in items] for key, _heading, items in summary.lists}

    admin = lists(world.admin)
    assert admin["improvement"] == [steady.name]
    assert sorted(admin["concern"]) == sorted([balancing.name, hidden.name])
    assert admin["balancing"] == [balancing.name]
    # A member of the trust does not see the private project's measure.
    member = lists(world.member)
    assert member["concern"] == [balancing.name]

    client = Client()
    client.force_login(world.admin)
    html = client.get(reverse("portfolio:dashboard")).content.decode()
    assert steady.name in html and "New special-cause improvement (1)" in html


def test_asking_for_a_scan(world, projects, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    _measure(projects.shared, [50.0] * 3)
    client = Client()
    client.force_login(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portfolio:scan"), {"org": "northshire"})
    assert response.status_code == 302
    done = SignalScan.objects.get(organisation=world.trust)
    # The tests' task backend runs the task at once.
    assert done.status == RunStatus.DONE and done.on_demand and done.requested_by == world.admin
    for person in ("member", "sponsor", "coach", "outsider", "loner"):
        client.force_login(getattr(world, person))
        assert client.post(reverse("portfolio:scan"), {"org": "northshire"}).status_code == 404, person


def test_the_daily_command_scans_every_organisation(
    world, projects, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    _measure(projects.shared, [50.0] * 3)
    call_command("signal_scan", "--now", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert SignalScan.objects.filter(status=RunStatus.DONE).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        call_command("signal_scan", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert SignalScan.objects.filter(status=RunStatus.DONE).count() == 4
