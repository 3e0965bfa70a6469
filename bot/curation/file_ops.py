"""The curation operations on whole files: ``curate import`` (previewed, then confirmed)
and ``curate export``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from bot.core.answer import Answer, Attachment, Confirmation, Status
from bot.core.arguments import Arg, Param
from bot.curation import edits
from bot.curation.files import ATTACHMENT_MAX_BYTES, read_bytes
from bot.curation.operations import REASON, Desk, hint, operation
from bot.curation.outcomes import change_lines, confirmed
from bot.curation.safe_yaml import dump_yaml
from bot.curation.transfer import KEYS_NAMED, ImportReport, export_document, load_data
from bot.errors import ImportFileError

IMPORT_MAX_BYTES = ATTACHMENT_MAX_BYTES
"""The largest file ``curate import`` takes as an attachment: 8 MiB."""
PREVIEW_CHANGES = KEYS_NAMED
"""How many of an import's changes its preview and its receipt list, before a count."""


@operation(
    "import",
    "Import a .yaml or .json file in the import format: checked, previewed, "
    "and applied once confirmed.",
    'curate import reason:"March 2024 coverage"',
    Param("file", "A .yaml or .json file in diplobot's import format", type=Arg.FILE),
    REASON,
)
def import_file(desk: Desk, values: Mapping[str, Any]) -> Answer:
    filename, data = values["file"]
    if len(data) > IMPORT_MAX_BYTES:
        raise ImportFileError(
            filename, [f"the file is {len(data):,} bytes; at most {IMPORT_MAX_BYTES:,} are taken"]
        )
    raw = read_bytes(filename, data)
    reason = values.get("reason")
    store = desk.library.store
    preview = load_data(store, raw, filename, desk.actor, reason=reason, dry_run=True)
    counts = preview.counts()
    if not preview.changed:
        return Answer(
            import_file.command,
            "",
            Status.DONE,
            title=f"Nothing to import from {filename}",
            notice=f"{filename} matches the store already ({counts}); nothing was changed.",
        )

    def apply() -> Answer:
        return confirmed(
            desk,
            import_file,
            lambda: _imported(load_data(store, raw, filename, desk.actor, reason=reason)),
        )

    return Answer(
        import_file.command,
        "",
        Status.PENDING,
        title=f"Import {filename}?",
        notice=f"Importing {filename} would make these changes: {counts}. Confirm to apply it.",
        lines=_lines(preview),
        confirm=Confirmation("Import", apply),
    )


def _lines(report: ImportReport) -> tuple[str, ...]:
    """The warnings first, then a line per change (the first `PREVIEW_CHANGES`)."""
    warnings = [f"⚠ {warning}" for warning in report.warnings]
    return (*warnings, *change_lines(report.changes, PREVIEW_CHANGES))


def _imported(report: ImportReport) -> Answer:
    counts = report.counts()
    first = report.revisions[0] if report.revisions else None
    undo = f" {hint('undo', first)} reverts it." if first is not None else ""
    return Answer(
        import_file.command,
        "",
        Status.DONE,
        title=f"Imported {report.origin}",
        notice=f"Imported {report.origin}: {counts}.{undo}",
        lines=_lines(report),
        revisions=tuple(report.revisions),
    )


@operation(
    "export",
    "The whole store as a YAML file in the import format.",
    "curate export",
    writes=False,
)
def export(desk: Desk, values: Mapping[str, Any]) -> Answer:
    document = export_document(desk.library.store)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    nouns = {"sources": "source", "entities": "entity", "facts": "fact"}
    counts = ", ".join(
        edits.count(len(records), nouns[section], section) for section, records in document.items()
    )
    return Answer(
        export.command,
        "",
        Status.DONE,
        title="Export",
        notice=f"The whole store: {counts}.",
        attachment=Attachment(f"diplobot-{stamp}.yaml", dump_yaml(document).encode()),
    )
