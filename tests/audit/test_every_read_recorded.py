"""Every answer that shows a member is in the access log: checked route by route.

The access matrix's scene (tests/test_access_matrix.py) is reused: one
member with a referral, an authorization, a job, a job end, coaching, a
flag and a bill. Every route is asked by every caller, as the matrix asks
it, and wherever the answer carries the member's name or Medicaid ID (a
page, a form shown again with its errors, a PDF, a CSV, a JSON body) the
same request must have recorded a read of that member. A route added
later that shows a member without recording it fails here, whoever wrote
it.
"""

from __future__ import annotations

import html

import pypdfium2
import pytest
import time_machine
from django.db.models import Max

from accounts.models import User
from audit.models import AccessEvent, AccessEventMember
from tests.api.read_builders import NOW
from tests.documents.pdf import pdf_text
from tests.test_access_matrix import (  # noqa: F401 (fixtures)
    CALLERS,
    EXPECTED,
    Scene,
    client_for,
    people,
    portal_routes,
    scene,
    url_for,
)

pytestmark = pytest.mark.django_db


def shown_text(response: object) -> str:
    """What a person would read in the answer, whatever its type."""
    content = getattr(response, "content", b"")
    content_type = response["Content-Type"]  # type: ignore[index]
    if content_type.startswith("application/pdf"):
        try:
            return pdf_text(content)
        except pypdfium2.PdfiumError:
            # Not one of ours: an uploaded file about the member (the test
            # upload is a stub). Serving it is a read of the member.
            return EVERYTHING
    return html.unescape(content.decode("utf-8", errors="replace"))


class _Everything(str):
    """Text that contains every mark: for answers that are the member's own."""

    def __contains__(self, _mark: object) -> bool:
        return True


EVERYTHING = _Everything()


def last_event_id() -> int:
    return AccessEvent.objects.aggregate(last=Max("pk"))["last"] or 0


def test_every_answer_that_shows_the_member_records_the_read(
    scene: Scene,  # noqa: F811 (fixture)
    people: dict[str, User],  # noqa: F811 (fixture)
) -> None:
    member = scene.world.member
    # Lists give "Last, First"; pages the full name; exports the ID.
    marks = (
        member.full_name,
        f"{member.last_name}, {member.first_name}",
        member.medicaid_id,
    )
    routes = portal_routes()
    shown = []
    unrecorded = []
    for name, (method, _expected) in sorted(EXPECTED.items()):
        if name not in routes:
            continue
        url = url_for(name, routes[name], scene)
        for caller in CALLERS:
            if caller == "anonymous":
                continue
            client = client_for(caller, people, scene)
            before = last_event_id()
            with time_machine.travel(NOW, tick=False):
                if method == "GET":
                    response = client.get(url)
                elif name.startswith("api:"):
                    response = client.post(url, {}, content_type="application/json")
                else:
                    response = client.post(url, {})
            if response.status_code >= 300 and response.status_code != 400:
                continue
            text = shown_text(response)
            if not any(mark in text for mark in marks):
                continue
            shown.append((name, caller))
            recorded = AccessEventMember.objects.filter(
                event_id__gt=before, member=member
            ).exists()
            if not recorded:
                unrecorded.append(f"{name} ({method}) as {caller}")

    # The check must have had something to check: the member's own pages.
    assert ("members:detail", "case_manager") in shown
    assert ("accounts:home", "specialist") in shown
    assert not unrecorded, "Showed the member without recording it:\n" + "\n".join(
        unrecorded
    )
