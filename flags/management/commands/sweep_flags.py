"""Run the monitors' sweep now, in this process, without the task queue.

The run command uses it so the demo's flags show at once instead of the
next morning; operators can use it after restoring data.
"""

from typing import Any

from django.core.management.base import BaseCommand

from flags.sweeps import sweep


class Command(BaseCommand):
    help = "Bring every flag in line with the records now."

    def handle(self, *args: Any, **options: Any) -> None:
        result = sweep()
        for label, counts in (
            ("opened", result.opened),
            ("moved", result.moved),
            ("closed", result.closed),
        ):
            total = sum(counts.values())
            self.stdout.write(f"Flags {label}: {total}")
