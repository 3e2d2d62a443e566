"""manage.py bulletin YYYY-MM: the month's bulletin in one or more formats.

    manage.py bulletin 2016-12                                  # JSON figures to standard output
    manage.py bulletin 2016-12 --format pdf --out dec.pdf       # one file
    manage.py bulletin 2016-12 --format html,docx,pdf,json --out out/       # a directory:
        out/bulletin-2016-12.html, .docx, .pdf, .json
    manage.py bulletin 2016-12 --format docx,pdf --out out/dec  # a filename stem: out/dec.docx …

A month with no record in any register (no case, punch, leave, patrol, complaint, journal
entry …) is refused with a message and a non-zero exit — usually a mistyped month or an import
not yet run; --allow-empty writes its (empty) bulletin all the same.

One format without --out: html and json go to standard output, docx and pdf to
bulletin-YYYY-MM.<ext> in the current directory. Several formats: --out is a directory when it
exists or ends with "/", otherwise a filename stem (an extension given is dropped).

    manage.py bulletin 2016-12 --region 随州市 --format html,docx,pdf,json --out out/
        # the regional bulletin over every center under 随州市: out/bulletin-随州市-2016-12.html …

The month's issue when the office has made one (its latest published version, else its draft
with today's figures); without an issue, the figures with drafted texts and the next number.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from govhall.bulletins import outputs, render_region
from govhall.bulletins.choices import Format
from govhall.bulletins.registers import month_has_records
from govhall.bulletins.selectors import month_document, region_figures
from govhall.core.months import month_start
from govhall.org.selectors import center_for_command, region_for_command

TEXT_FORMATS = (Format.HTML, Format.JSON)


def parse_formats(value: str) -> list[str]:
    formats = [part.strip().lower() for part in value.split(",") if part.strip()]
    unknown = [f for f in formats if f not in Format.values]
    if unknown or not formats:
        raise CommandError(
            _("Unknown format “{value}”: use html, docx, pdf or json, separated by commas.").format(
                value=value
            )
        )
    return list(dict.fromkeys(formats))


def targets(
    formats: list[str], out: str | None, month: str, *, stem: str | None = None
) -> dict[str, Path | None]:
    """Where each format goes (None: standard output), by the rules in the module's docstring."""
    default_stem = stem or f"bulletin-{month}"
    if len(formats) == 1 and out is None:
        fmt = formats[0]
        return {fmt: None if fmt in TEXT_FORMATS else Path(f"{default_stem}.{fmt}")}
    if len(formats) == 1 and out is not None:
        path = Path(out)
        if out.endswith(("/", "\\")) or path.is_dir():
            return {formats[0]: path / f"{default_stem}.{formats[0]}"}
        return {formats[0]: path}
    if out is None:
        base = Path(default_stem)
    elif out.endswith(("/", "\\")) or Path(out).is_dir():
        base = Path(out) / default_stem
    else:
        path = Path(out)
        base = path.with_suffix("") if path.suffix.lstrip(".").lower() in Format.values else path
    return {fmt: base.with_name(f"{base.name}.{fmt}") for fmt in formats}


class Command(BaseCommand):
    help = (
        "The month's bulletin (窗口工作情况通报) as HTML, DOCX, PDF and/or JSON figures. "
        "Several formats: --out is a directory (existing, or ending with /) or a filename stem."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("month", metavar="YYYY-MM")
        parser.add_argument(
            "--format",
            default="json",
            metavar="html,docx,pdf,json",
            help="one format or several separated by commas (default: json)",
        )
        parser.add_argument("--out", metavar="FILE", help="a file, a directory or a filename stem")
        parser.add_argument(
            "--center", metavar="NAME", help="the center (default: the only one in the database)"
        )
        parser.add_argument(
            "--allow-empty",
            action="store_true",
            help="write the bulletin of a month that has no records at all (refused otherwise)",
        )
        parser.add_argument(
            "--region",
            metavar="NAME",
            help="the regional bulletin over every center under this region (e.g. 随州市)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            month = month_start(options["month"])
        except ValueError:
            raise CommandError(
                _("“{value}” is not a month: use YYYY-MM.").format(value=options["month"])
            ) from None
        formats = parse_formats(options["format"])
        if options["region"]:
            self._regional(options, month, formats)
            return
        center = center_for_command(options["center"])
        if not options["allow_empty"] and not month_has_records(center=center, month=month):
            raise CommandError(
                _(
                    "{center} has no records for {month}: no case, consultation, attendance "
                    "punch, leave, outing, patrol, inspection, complaint or journal entry. Check the month or "
                    "import its records first; --allow-empty writes the empty bulletin anyway."
                ).format(center=center.name, month=f"{month:%Y-%m}")
            )
        doc = month_document(center=center, month=month)
        for fmt, path in targets(formats, options["out"], f"{month:%Y-%m}").items():
            content = outputs.render(doc, fmt)
            if path is None:  # html or json
                self.stdout.write(content.decode("utf-8"), ending="")
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
            if options["verbosity"] >= 1:
                self.stderr.write(f"{doc.issue} {fmt}: {path}")

    def _regional(self, options: dict[str, Any], month: Any, formats: list[str]) -> None:
        if options["center"]:
            raise CommandError(_("Name a center or a region, not both."))
        region = region_for_command(options["region"])
        figures = region_figures(region=region, month=month)
        label = f"{month:%Y-%m}"
        stem = f"bulletin-{region.name}-{label}"
        for fmt, path in targets(formats, options["out"], label, stem=stem).items():
            content = render_region.render(figures, fmt)
            if path is None:  # html or json
                self.stdout.write(content.decode("utf-8"), ending="")
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
            if options["verbosity"] >= 1:
                self.stderr.write(f"{figures.issue} {fmt}: {path}")
