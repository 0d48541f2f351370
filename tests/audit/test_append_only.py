"""Nobody changes or removes the access log: not the ORM, not raw SQL.

The models refuse in Python; the database's triggers refuse whatever
writes, which the raw SQL tests show on SQLite and PostgreSQL alike.
"""

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from accounts.models import User
from audit.models import AccessEvent, AccessEventMember, AppendOnlyError
from members.models import Member
from tests.audit.helpers import member_ids_of, read_now
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

RAW_UPDATES = [
    "UPDATE audit_accessevent SET purpose = 'member.list'",
    "UPDATE audit_accesseventmember SET member_id = member_id",
]
RAW_DELETES = ["DELETE FROM audit_accessevent", "DELETE FROM audit_accesseventmember"]
TRUNCATES = [
    "TRUNCATE audit_accessevent CASCADE",
    "TRUNCATE audit_accesseventmember",
]


def run_raw(sql: str) -> None:
    """Run SQL past the models, in a savepoint the test survives."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)


def check_keys_now() -> None:
    """Check the test's deferred foreign keys now, as a commit would.

    PostgreSQL truncates no table with checks still pending on it: flush
    and TRUNCATE run after a commit, never in the middle of a transaction.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


@pytest.fixture
def event(case_manager: User) -> AccessEvent:
    member = MemberFactory(managing_organization=case_manager.organization)
    return read_now(case_manager, [member])


def test_a_saved_event_cannot_be_saved_again_with_changes(event: AccessEvent) -> None:
    event.purpose = "member.list"

    with pytest.raises(AppendOnlyError):
        event.save()

    assert AccessEvent.objects.get(pk=event.pk).purpose == "member.view"


def test_a_member_row_cannot_be_saved_again(event: AccessEvent) -> None:
    row = AccessEventMember.objects.get(event=event)

    with pytest.raises(AppendOnlyError):
        row.save()


def test_querysets_refuse_update_and_bulk_update(event: AccessEvent) -> None:
    with pytest.raises(AppendOnlyError):
        AccessEvent.objects.filter(pk=event.pk).update(purpose="member.list")
    with pytest.raises(AppendOnlyError):
        AccessEventMember.objects.filter(event=event).update(member_id=event.user_id)
    with pytest.raises(AppendOnlyError):
        AccessEvent.objects.bulk_update([event], ["purpose"])


def test_rows_and_querysets_refuse_delete(event: AccessEvent) -> None:
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AccessEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnlyError):
        AccessEventMember.objects.all().delete()

    assert AccessEvent.objects.filter(pk=event.pk).exists()


def test_a_member_who_was_read_cannot_be_deleted(event: AccessEvent) -> None:
    member = Member.objects.get(pk=member_ids_of(event)[0])

    with pytest.raises(ProtectedError):
        member.delete()


@pytest.mark.parametrize("statement", RAW_UPDATES)
def test_the_database_refuses_a_raw_update(statement: str, event: AccessEvent) -> None:
    with pytest.raises(IntegrityError):
        run_raw(statement)

    assert AccessEvent.objects.get(pk=event.pk).purpose == "member.view"


@pytest.mark.parametrize("statement", RAW_DELETES)
def test_the_database_refuses_a_raw_delete(statement: str, event: AccessEvent) -> None:
    with pytest.raises(IntegrityError):
        run_raw(statement)

    assert AccessEventMember.objects.filter(event=event).count() == 1


@pytest.mark.parametrize("statement", TRUNCATES)
def test_postgresql_refuses_truncate(statement: str, event: AccessEvent) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no TRUNCATE; CI runs this on PostgreSQL.")
    check_keys_now()

    with pytest.raises(IntegrityError):
        run_raw(statement)

    assert AccessEvent.objects.filter(pk=event.pk).exists()


def test_flush_empties_the_log_and_leaves_its_triggers_in_place(
    event: AccessEvent,
) -> None:
    """The test runner's flush gets through; nothing else does after it."""
    check_keys_now()
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)

    assert not AccessEvent.objects.exists()
    user = User.objects.create(username="after-flush", role=User.Role.ADMINISTRATOR)
    again = AccessEvent.objects.create(user=user, purpose="member.view", member_count=0)
    with pytest.raises(IntegrityError):
        run_raw("DELETE FROM audit_accessevent")
    assert AccessEvent.objects.filter(pk=again.pk).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_test_that_commits_reads_is_cleaned_up_after(case_manager: User) -> None:
    """The runner flushes the database after this test: were the triggers
    in its way, the test would end with an error in its teardown."""
    member = MemberFactory(managing_organization=case_manager.organization)

    read_now(case_manager, [member])

    assert AccessEvent.objects.count() == 1
