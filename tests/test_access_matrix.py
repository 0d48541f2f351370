"""Who gets what from every route: the access matrix, generated from the URLconf.

Every route the portal serves is listed in ``EXPECTED`` with the status each
kind of caller gets: an anonymous visitor, each role of the people fixtures
(tests/conftest.py), and API tokens of the member's own organization and of
another one. A route added without an entry fails
``test_every_route_has_an_entry``, which prints what the route answers now,
to be checked and copied into the table.

The member, its records and the other objects the routes need belong to
provider A and to Wellpoint's case manager, so the outsiders (provider B,
another MCO, its token) show the denials: 404 for records out of scope,
never their contents. Write routes are sent an empty POST: a caller allowed
to write gets the form back with its errors (200) or a refusal of the input
(400), and nothing is written.

The admin site is checked separately: only administrators get past its
sign-in.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import Organization, User
from api.tokens import api_token_issue
from billing.services import claim_batch_create
from dashboards.forms import DashboardFilterForm
from dashboards.report import (
    dashboard_report_request,
    dashboard_report_store,
    filter_values,
)
from dashboards.scope import dashboard_scope
from fidelity.models import FidelityReview
from flags.models import Flag
from flags.sweeps import sweep
from milestones.models import EvidenceDocument, MilestoneAchievement
from providers.models import ProviderSite
from tests.api.read_builders import NOW, World, member_with_everything
from tests.fidelity.helpers import record as record_fidelity_review

CALLERS = (
    "anonymous",
    "specialist",
    "supervisor",
    "case_manager",
    "reviewer",
    "administrator",
    "outsider",
    "outsider_supervisor",
    "outsider_case_manager",
    "token",
    "other_token",
)
PEOPLE = [
    caller for caller in CALLERS if caller not in {"anonymous", "token", "other_token"}
]

# One row a route: the method sent, then the status for each caller in the
# order of CALLERS: anonymous, specialist, supervisor, case manager,
# reviewer, administrator, outsider (a specialist at provider B), outsider
# supervisor, outsider case manager (another MCO), the member's
# organization's token, another organization's token. 302 from a page
# means "to the sign-in page", except where a signed-in caller is sent on
# (sign-in, a referral already answered, a report asked for).
MATRIX = """
route                             sent ano spe sup cm  rev adm out osu ocm tok otk
accounts:account                  GET  302 200 200 200 200 200 200 200 200 302 302
accounts:home                     GET  302 200 200 200 200 200 200 200 200 302 302
accounts:password-change          GET  302 200 200 200 200 200 200 200 200 302 302
accounts:sign-in                  GET  200 302 302 302 302 302 302 302 302 200 200
accounts:sign-in-code             GET  302 302 302 302 302 302 302 302 302 302 302
accounts:sign-out                 POST 302 302 302 302 302 302 302 302 302 302 302
accounts:sign-out-everywhere      POST 302 302 302 302 302 302 302 302 302 302 302
accounts:two-factor-setup         GET  302 200 200 200 200 200 200 200 200 302 302
api-tokens:detail                 GET  302 403 403 403 403 200 403 403 403 302 302
api-tokens:issue                  GET  302 403 403 403 403 200 403 403 403 302 302
api-tokens:list                   GET  302 403 403 403 403 200 403 403 403 302 302
api-tokens:revoke                 GET  302 403 403 403 403 200 403 403 403 302 302
api/v1/^.*$                       GET  404 404 404 404 404 404 404 404 404 404 404
api:achievement-log               POST 401 400 400 403 403 403 400 400 403 403 403
api:authorization-detail          GET  401 200 200 200 200 403 404 404 404 200 404
api:authorization-list            GET  401 200 200 200 200 403 200 200 200 200 200
api:coaching-authorization-detail GET  401 200 200 200 200 403 404 404 404 200 404
api:coaching-authorization-list   GET  401 200 200 200 200 403 200 200 200 200 200
api:coaching-entry-log            POST 401 400 400 403 403 403 400 400 403 403 403
api:coaching-month-list           GET  401 200 200 200 200 403 200 200 200 200 200
api:docs                          GET  200 200 200 200 200 200 200 200 200 200 200
api:flag-detail                   GET  401 200 200 404 404 403 404 404 404 404 404
api:flag-list                     GET  401 200 200 200 200 403 200 200 200 200 200
api:job-detail                    GET  401 200 200 200 200 403 404 404 404 200 404
api:job-end-detail                GET  401 200 200 200 200 403 404 404 404 200 404
api:job-end-list                  GET  401 200 200 200 200 403 200 200 200 200 200
api:job-list                      GET  401 200 200 200 200 403 200 200 200 200 200
api:member-detail                 GET  401 200 200 200 200 403 404 404 404 200 404
api:member-list                   GET  401 200 200 200 200 403 200 200 200 200 200
api:referral-detail               GET  401 200 200 200 200 403 404 404 404 200 404
api:referral-list                 GET  401 200 200 200 200 403 200 200 200 200 200
api:schema                        GET  200 200 200 200 200 200 200 200 200 200 200
audit:member                      GET  302 403 200 200 200 403 403 404 404 302 302
audit:search                      GET  302 403 403 403 200 403 403 403 403 302 302
billing:batch                     GET  302 403 200 403 403 403 403 404 403 302 302
billing:create-batch              POST 302 403 404 403 403 403 403 404 403 302 302
billing:download                  GET  302 403 200 403 403 403 403 404 403 302 302
billing:home                      GET  302 403 200 403 403 403 403 200 403 302 302
billing:release                   POST 302 403 302 403 403 403 403 404 403 302 302
billing:void                      POST 302 403 302 403 403 403 403 404 403 302 302
coaching:authorize                GET  302 403 403 200 403 404 404 404 404 302 302
coaching:log                      GET  302 200 200 403 403 404 404 404 404 302 302
dashboards:board                  GET  302 403 200 200 200 403 403 200 200 302 302
dashboards:chart                  GET  302 403 200 200 200 403 403 200 200 302 302
dashboards:csv                    GET  302 403 200 200 200 403 403 200 200 302 302
dashboards:home                   GET  302 403 200 200 200 403 403 200 200 302 302
dashboards:report                 GET  302 404 200 404 404 404 404 404 404 302 302
dashboards:report-file            GET  302 404 200 404 404 404 404 404 404 302 302
dashboards:report-pdf             POST 302 403 302 302 302 403 403 302 302 302 302
fidelity:provider                 GET  302 200 200 200 200 200 200 200 200 302 302
fidelity:record                   GET  302 403 403 403 200 403 403 403 403 302 302
fidelity:review                   GET  302 200 200 200 200 200 200 200 200 302 302
fidelity:void                     GET  302 403 403 403 200 403 403 403 403 302 302
flags:dismiss                     GET  302 200 200 404 404 404 404 404 404 302 302
flags:inbox                       GET  302 200 200 200 200 200 200 200 200 302 302
jobends:add-perspective           POST 302 400 400 400 403 404 404 404 404 302 302
jobends:consent                   GET  302 200 200 200 403 404 404 404 404 302 302
jobends:detail                    GET  302 200 200 200 200 404 404 404 404 302 302
jobends:exit                      GET  302 403 200 200 403 404 404 404 404 302 302
jobends:form                      POST 302 400 400 400 403 404 404 404 404 302 302
jobends:form-pdf                  GET  302 200 200 200 200 404 404 404 404 302 302
jobends:meeting                   GET  302 200 200 200 403 404 404 404 404 302 302
jobends:next-step                 POST 302 404 404 404 404 404 404 404 404 302 302
jobends:record                    GET  302 200 200 200 403 404 404 404 404 302 302
jobends:team-log                  GET  302 200 200 200 403 404 404 404 404 302 302
jobs:create                       GET  302 200 200 403 403 404 404 404 404 302 302
jobs:fit-windows                  GET  302 403 403 200 403 404 404 404 404 302 302
members:create                    GET  302 403 403 200 403 403 403 403 200 302 302
members:detail                    GET  302 200 200 200 200 404 404 404 404 302 302
members:edit                      GET  302 403 403 200 403 404 404 404 404 302 302
members:list                      GET  302 200 200 200 200 403 200 200 200 302 302
milestones:achieve                GET  302 200 200 403 403 404 404 404 404 302 302
milestones:add-evidence           GET  302 200 200 403 403 404 404 404 404 302 302
milestones:authorize              GET  302 403 403 200 403 404 404 404 404 302 302
milestones:change-window          GET  302 403 403 200 403 404 404 404 404 302 302
milestones:documentation-pdf      GET  302 200 200 200 200 404 404 404 404 302 302
milestones:download-evidence      GET  302 200 200 200 200 404 404 404 404 302 302
milestones:service-plan-pdf       GET  302 200 200 200 200 404 404 404 404 302 302
milestones:void-achievement       GET  302 200 200 403 403 404 404 404 404 302 302
providers:directory               GET  302 200 200 200 200 200 200 200 200 302 302
referrals:accept                  POST 302 302 302 302 302 404 404 404 404 302 302
referrals:caseload                GET  302 403 200 403 403 403 403 200 403 302 302
referrals:create                  GET  302 403 403 200 403 404 404 404 404 302 302
referrals:detail                  GET  302 200 200 200 200 404 404 404 404 302 302
referrals:redirect                POST 302 302 302 302 302 404 404 404 404 302 302
referrals:withdraw                POST 302 302 302 302 302 404 404 404 404 302 302
"""


def _parse(matrix: str) -> dict[str, tuple[str, str]]:
    rows = [line.split() for line in matrix.strip().splitlines()[1:]]
    return {name: (method, " ".join(statuses)) for name, method, *statuses in rows}


EXPECTED = _parse(MATRIX)


@dataclass
class Scene:
    world: World
    provider: ProviderSite
    achievement: MilestoneAchievement
    evidence: EvidenceDocument
    flag: Flag
    review: FidelityReview
    batch_id: Any
    claim_line_id: Any
    token_id: Any
    report_id: str
    secrets: dict[str, str]


def walk(
    patterns: list[Any], prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str]]:
    """Yield (route, URL name) for every pattern, namespaces included."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = (
                    f"{namespace}:{pattern.namespace}"
                    if namespace
                    else pattern.namespace
                )
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name or ""
            if name and namespace:
                name = f"{namespace}:{name}"
            yield prefix + str(pattern.pattern), name


def portal_routes() -> dict[str, str]:
    routes = {}
    for route, name in walk(get_resolver().url_patterns):
        if route.startswith("admin/"):
            continue
        routes[name or route] = route
    return routes


def admin_routes() -> dict[str, str]:
    return {
        name or route: route
        for route, name in walk(get_resolver().url_patterns)
        if route.startswith("admin/")
    }


@pytest.fixture
def scene(
    case_manager: User,
    specialist: User,
    supervisor: User,
    reviewer: User,
    administrator: User,
    provider_a: ProviderSite,
    other_mco: Organization,
) -> Iterator[Scene]:
    with time_machine.travel(NOW, tick=False):
        world = member_with_everything(case_manager, specialist)
        sweep(member_ids=[world.member.pk])
        achievement = MilestoneAchievement.objects.filter(
            line__round=world.authorization, line__milestone=2
        ).get()
        batch = claim_batch_create(
            actor=supervisor, provider=provider_a, month=datetime.date(2026, 4, 1)
        )
        assert batch is not None
        own = api_token_issue(
            actor=administrator,
            organization=case_manager.organization,
            name="Wellpoint nightly sync (test)",
        )
        other = api_token_issue(
            actor=administrator, organization=other_mco, name="ITC nightly sync (test)"
        )
        review = record_fidelity_review(
            reviewer, provider_a, datetime.date(2026, 10, 1)
        )
        report_id = supervisor_report(supervisor)
        yield Scene(
            world=world,
            provider=provider_a,
            achievement=achievement,
            evidence=achievement.documents.get(),
            flag=Flag.objects.filter(member=world.member).first(),
            review=review,
            batch_id=batch.public_id,
            claim_line_id=batch.lines.get().public_id,
            token_id=own.token.public_id,
            report_id=report_id,
            secrets={"token": own.secret, "other_token": other.secret},
        )


def supervisor_report(supervisor: User) -> str:
    """A dashboard report the supervisor asked for, rendered and ready."""
    filters = DashboardFilterForm(
        {}, scope=dashboard_scope(supervisor), as_of=NOW.date()
    )
    assert filters.is_valid()
    report_id = dashboard_report_request(supervisor, filters.filters())
    stored = dashboard_report_store(
        supervisor.pk, filter_values(filters.filters()), report_id
    )
    assert stored.state == "ready"
    return report_id


def kwargs_for(name: str, route: str, scene: Scene) -> dict[str, Any]:
    """The URL arguments a route needs, taken from the scene."""
    world = scene.world
    by_name: dict[str, Any] = {
        "milestones:achieve": world.authorization.public_id,
        "milestones:change-window": world.authorization.public_id,
        "milestones:service-plan-pdf": world.authorization.public_id,
        "milestones:void-achievement": scene.achievement.public_id,
        "milestones:add-evidence": scene.achievement.public_id,
        "milestones:documentation-pdf": scene.achievement.public_id,
        "milestones:download-evidence": scene.evidence.public_id,
        "jobs:fit-windows": world.job.public_id,
        "jobends:record": world.job.public_id,
        "billing:download": scene.batch_id,
        "billing:batch": scene.batch_id,
        "billing:release": scene.claim_line_id,
        "billing:void": scene.claim_line_id,
        "flags:dismiss": scene.flag.public_id,
        "fidelity:review": scene.review.public_id,
        "fidelity:void": scene.review.public_id,
        "dashboards:report": scene.report_id,
        "dashboards:report-file": scene.report_id,
        "api-tokens:detail": scene.token_id,
        "api-tokens:revoke": scene.token_id,
        "api:member-detail": world.member.public_id,
        "api:referral-detail": world.referral.public_id,
        "api:authorization-detail": world.authorization.public_id,
        "api:job-detail": world.job.public_id,
        "api:job-end-detail": world.job_end.public_id,
        "api:coaching-authorization-detail": world.coaching_period.public_id,
        "api:flag-detail": scene.flag.public_id,
    }
    by_prefix = {
        "members:": world.member.public_id,
        "referrals:": world.referral.public_id,
        "jobends:": world.job_end.public_id,
        "audit:": world.member.public_id,
    }
    kwargs: dict[str, Any] = {}
    for parameter in re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route):
        key = parameter[0] or parameter[1]
        if key == "milestone":
            kwargs[key] = 2
        elif key == "slug" and name.startswith("fidelity:"):
            kwargs[key] = scene.provider.slug
        elif key == "slug":
            kwargs[key] = "employment"
        elif key == "board":
            kwargs[key] = "outcomes"
        elif key == "name":
            kwargs[key] = "employment"
        elif name in by_name:
            kwargs[key] = by_name[name]
        elif route.startswith("members/"):
            # A member's own pages, whichever app serves them.
            kwargs[key] = world.member.public_id
        else:
            prefix = next((p for p in by_prefix if name.startswith(p)), None)
            if prefix is None:
                raise AssertionError(f"No URL arguments for {name} ({route})")
            kwargs[key] = by_prefix[prefix]
    return kwargs


# Query strings a route needs before it answers about records at all.
QUERIES = {"api:coaching-month-list": "?month=2026-09"}


def url_for(name: str, route: str, scene: Scene) -> str:
    if ":" not in name:
        return "/" + route.lstrip("^").rstrip("$")
    return reverse(name, kwargs=kwargs_for(name, route, scene)) + QUERIES.get(name, "")


def client_for(caller: str, people: dict[str, User], scene: Scene | None) -> Client:
    client = Client()
    if scene is not None and caller in scene.secrets:
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {scene.secrets[caller]}"
    elif caller != "anonymous":
        # Fresh from the database: "sign out everywhere", sent to every
        # caller above, changes the hash their sessions must carry.
        person = people[caller]
        person.refresh_from_db()
        client.force_login(person)
    return client


def answers(
    name: str, route: str, method: str, scene: Scene, people: dict[str, User]
) -> list[int]:
    url = url_for(name, route, scene)
    statuses = []
    for caller in CALLERS:
        client = client_for(caller, people, scene)
        with time_machine.travel(NOW, tick=False):
            if method == "GET":
                response = client.get(url)
            elif name.startswith("api:"):
                response = client.post(url, {}, content_type="application/json")
            else:
                response = client.post(url, {})
        if caller == "anonymous" and response.status_code == 302:
            # Nobody signed in is only ever sent to sign in.
            assert response["Location"].startswith(reverse("accounts:sign-in")), url
        statuses.append(response.status_code)
    return statuses


def method_for(name: str, route: str, scene: Scene, people: dict[str, User]) -> str:
    """GET, unless the route only takes POST."""
    client = client_for("case_manager", people, scene)
    with time_machine.travel(NOW, tick=False):
        response = client.get(url_for(name, route, scene))
    return "POST" if response.status_code == 405 else "GET"


def row(statuses: list[int]) -> str:
    return "  ".join(str(status) for status in statuses)


@pytest.fixture
def people(
    specialist: User,
    supervisor: User,
    case_manager: User,
    reviewer: User,
    administrator: User,
    outsider: User,
    outsider_supervisor: User,
    outsider_case_manager: User,
) -> dict[str, User]:
    return {
        "specialist": specialist,
        "supervisor": supervisor,
        "case_manager": case_manager,
        "reviewer": reviewer,
        "administrator": administrator,
        "outsider": outsider,
        "outsider_supervisor": outsider_supervisor,
        "outsider_case_manager": outsider_case_manager,
    }


def test_every_route_has_an_entry(scene: Scene, people: dict[str, User]) -> None:
    routes = portal_routes()
    missing = sorted(set(routes) - set(EXPECTED))
    stale = sorted(set(EXPECTED) - set(routes))
    suggestions = []
    for name in missing:
        method = method_for(name, routes[name], scene, people)
        statuses = answers(name, routes[name], method, scene, people)
        suggestions.append(f'    "{name}": ("{method}", "{row(statuses)}"),')
    assert not missing and not stale, (
        "Routes without an entry in EXPECTED (check each answer, then copy):\n"
        + "\n".join(suggestions)
        + (f"\nEntries for routes that no longer exist: {stale}" if stale else "")
    )


def test_each_caller_gets_what_the_matrix_says(
    scene: Scene, people: dict[str, User]
) -> None:
    routes = portal_routes()
    wrong = []
    for name, (method, expected) in sorted(EXPECTED.items()):
        if name not in routes:
            continue
        statuses = answers(name, routes[name], method, scene, people)
        if row(statuses) != "  ".join(expected.split()):
            wrong.append(
                f"{name} {method}\n  expected {expected}\n  got      {row(statuses)}"
            )
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("caller", PEOPLE)
def test_only_administrators_get_past_the_admin_sign_in(
    caller: str, people: dict[str, User]
) -> None:
    client = client_for(caller, people, scene=None)
    for model in admin.site._registry:
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        response = client.get(url)
        if caller == "administrator":
            assert response.status_code == 200, url
        else:
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("admin:login")), url
