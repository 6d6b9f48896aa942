from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from notes import exporting


class Command(BaseCommand):
    help = (
        "Write notes as <slug>.md with YAML front matter, and the images they show under media/, "
        "to a folder or (--zip) one zip file."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, nargs="?")
        parser.add_argument("--zip", type=Path, metavar="FILE", help="write one zip file instead of a folder")
        parser.add_argument(
            "--tag", action="append", default=[], help="only notes with this tag (repeat for any of several)"
        )
        parser.add_argument(
            "--exclude-tag", action="append", default=[], help="leave out notes with this tag, e.g. tldr"
        )

    def handle(self, *args, directory, zip, tag, exclude_tag, **options):
        if (directory is None) == (zip is None):
            raise CommandError("give either a folder or --zip FILE")
        for name in tag + exclude_tag:
            if not exporting.tag_names([name]):  # as typed: ＤＯＣＫＥＲ is docker
                self.stderr.write(self.style.WARNING(f"warning: no tag named {name!r}"))
        export = exporting.build(exporting.select(tags=tag, exclude_tags=exclude_tag))
        for warning in export.warnings:
            self.stderr.write(self.style.WARNING(f"warning: {warning}"))
        images = len(export.files) - export.notes
        if zip is not None:
            zip.parent.mkdir(parents=True, exist_ok=True)
            partial = zip.with_name(zip.name + ".partial")
            with partial.open("wb") as out:
                exporting.write_zip(export, out)
            partial.replace(zip)  # a reader never sees half a zip
            self.stdout.write(f"{export.notes} notes and {images} images written to {zip}")
        else:
            exporting.write_folder(export, directory)
            self.stdout.write(f"{export.notes} notes and {images} images written to {directory}")
