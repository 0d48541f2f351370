"""Fixtures of the dashboard tests: the hand-made dataset and its scopes."""

import pytest

from accounts.models import User
from dashboards.rollups import coaching_months_refresh
from dashboards.scope import DashboardFilters, DashboardScope, dashboard_scope
from tests.dashboards.builders import AS_OF, PERIOD, Dataset, People, build, people_make


@pytest.fixture
def people(db: None) -> People:
    return people_make()


@pytest.fixture
def dataset(people: People) -> Dataset:
    data = build(people)
    coaching_months_refresh(today=AS_OF)
    return data


@pytest.fixture
def period() -> DashboardFilters:
    return DashboardFilters(period_from=PERIOD[0], period_to=PERIOD[1], as_of=AS_OF)


@pytest.fixture
def scope_all(reviewer: User) -> DashboardScope:
    return dashboard_scope(reviewer)


@pytest.fixture
def scope_a(supervisor: User) -> DashboardScope:
    return dashboard_scope(supervisor)


@pytest.fixture
def scope_wellpoint(case_manager: User) -> DashboardScope:
    return dashboard_scope(case_manager)


@pytest.fixture
def scope_b(outsider_supervisor: User) -> DashboardScope:
    return dashboard_scope(outsider_supervisor)


@pytest.fixture
def scope_itc(outsider_case_manager: User) -> DashboardScope:
    return dashboard_scope(outsider_case_manager)
