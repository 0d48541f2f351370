from typing import Any

from django.core.management.base import BaseCommand

from dashboards.rollups import coaching_months_refresh


class Command(BaseCommand):
    help = "Work out every member's coaching months again for the dashboards."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--changed-only",
            action="store_true",
            help="Only the members whose coaching changed since the last refresh.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        written = coaching_months_refresh(changed_only=options["changed_only"])
        self.stdout.write(f"Coaching summaries written: {written}.")
