"""manage.py load_demo: the demo center 随县政务服务中心, built through the real services."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from govhall.demo.steps import load


class Command(BaseCommand):
    help = "Load the demo service center (idempotent: an existing demo is left as it is)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--center", help="ignored: the demo center is 随县政务服务中心")

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            load(self.stdout)
