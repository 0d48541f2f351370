"""Render one of each printable document from demo data, and time them.

Writes the first page of each as PNG (the samples under docs/samples/) and,
with --pdf-dir, the PDFs. Each document is rendered a few times; the table
printed at the end gives the slowest and the median render of each. Run it
through scripts/render-samples, which loads fresh demo data first.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, Q

from accounts.models import User
from dashboards.report import dashboard_report_pdf
from jobends.documents import job_end_form_pdf
from jobends.models import JobEnd
from milestones.documents import documentation_packet_pdf, service_plan_pdf
from milestones.models import AuthorizationRound, MilestoneAchievement

# Names the fonts must carry; samples favour members who have them.
NAMES_TO_SHOW = ("Nguyễn", "O'Brien", "Zoë", "Ngũgĩ", "José María")


def _shows_a_name(member: Any) -> bool:
    return any(name in member.full_name for name in NAMES_TO_SHOW)


def _pick(candidates: list[Any], member_of: Callable[[Any], Any]) -> Any:
    if not candidates:
        raise CommandError("No demo record fits; run manage.py demo_data first.")
    named = [each for each in candidates if _shows_a_name(member_of(each))]
    return (named or candidates)[0]


def _reader_for(member: Any) -> User:
    """The member's case manager, or one of the managing organization's."""
    if member.case_manager is not None:
        return member.case_manager  # type: ignore[no-any-return]
    return User.objects.filter(
        organization=member.managing_organization, role=User.Role.CASE_MANAGER
    ).first()  # type: ignore[return-value]


class Command(BaseCommand):
    help = "Render each printable document from demo data; save page 1 as PNG."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--out", default="docs/samples", help="folder for PNGs")
        parser.add_argument("--pdf-dir", help="also save the PDFs here")
        parser.add_argument("--repeat", type=int, default=5)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            import pypdfium2
        except ImportError as missing:  # a development dependency
            raise CommandError("Install requirements-dev.txt first.") from missing

        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        pdf_dir = Path(options["pdf_dir"]) if options["pdf_dir"] else None
        timings: list[tuple[str, float, float, int]] = []

        for name, render in self._documents():
            seconds = []
            for _ in range(max(1, options["repeat"])):
                started = time.perf_counter()
                pdf = render()
                seconds.append(time.perf_counter() - started)
            document = pypdfium2.PdfDocument(pdf)
            pages = len(document)
            page = document[0]
            page.render(scale=1.5).to_pil().save(out / f"{name}.png", optimize=True)
            page.close()
            document.close()
            if pdf_dir is not None:
                pdf_dir.mkdir(parents=True, exist_ok=True)
                (pdf_dir / f"{name}.pdf").write_bytes(pdf)
            timings.append((name, max(seconds), statistics.median(seconds), pages))

        self.stdout.write(f"{'document':<28} {'slowest':>8} {'median':>8} pages")
        for name, slowest, median, pages in timings:
            self.stdout.write(f"{name:<28} {slowest:>7.2f}s {median:>7.2f}s {pages:>5}")

    def _documents(self) -> list[tuple[str, Callable[[], bytes]]]:
        rounds = list(
            AuthorizationRound.objects.filter(voided_at__isnull=True)
            .annotate(
                line_count=Count("lines", distinct=True),
                period_count=Count("episode__coaching_periods", distinct=True),
            )
            .filter(line_count=4, period_count__gt=0)
            .select_related("member__case_manager")
            .order_by("pk")[:200]
        )
        plan = _pick(rounds, lambda each: each.member)

        achievements = list(
            MilestoneAchievement.objects.filter(
                voided_at__isnull=True, job__isnull=False
            )
            .annotate(document_count=Count("documents"))
            .filter(document_count__gt=0)
            .select_related("line__round__member__case_manager")
            .order_by("-line__milestone", "pk")[:200]
        )
        achievement = _pick(achievements, lambda each: each.line.round.member)

        job_ends = list(
            JobEnd.objects.filter(form_completed_at__isnull=False)
            .annotate(
                perspective_count=Count("perspectives", distinct=True),
                meeting_count=Count("meetings", distinct=True),
            )
            .filter(Q(meeting_count__gt=0))
            .select_related("job__member__case_manager")
            .order_by("-perspective_count", "pk")[:200]
        )
        job_end = _pick(job_ends, lambda each: each.job.member)

        supervisor = (
            User.objects.filter(role=User.Role.IPS_SUPERVISOR, is_active=True)
            .order_by("username")
            .first()
        )
        reviewer = (
            User.objects.filter(role=User.Role.PROGRAM_REVIEWER, is_active=True)
            .order_by("username")
            .first()
        )
        if supervisor is None or reviewer is None:
            raise CommandError("No supervisor or reviewer in the demo data.")

        return [
            (
                "service-plan-authorization",
                lambda: service_plan_pdf(plan, _reader_for(plan.member)),
            ),
            (
                "milestone-documentation",
                lambda: documentation_packet_pdf(
                    achievement, _reader_for(achievement.line.round.member)
                ),
            ),
            (
                "job-end-form",
                lambda: job_end_form_pdf(job_end, _reader_for(job_end.job.member)),
            ),
            (
                "dashboard-report-provider",
                lambda: dashboard_report_pdf(supervisor, {}),
            ),
            ("dashboard-report-program", lambda: dashboard_report_pdf(reviewer, {})),
        ]
