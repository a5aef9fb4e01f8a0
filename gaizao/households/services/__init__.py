"""The households register as a workbook: reading it (`reader`), importing it all or nothing (`importer`) and
writing it with contacts masked (`exporter`). Callers use the names gathered here."""

from gaizao.households.services.exporter import (
    households_workbook,
    masked_owner,
    may_reveal,
    owner_contacts,
    reveal,
    reveal_export,
)
from gaizao.households.services.importer import (
    ImportRejected,
    ImportResult,
    PlannedHousehold,
    PlannedOwner,
    apply_import,
    may_import,
    plan_import,
)
from gaizao.households.services.reader import COLUMNS, HEADERS, SHEET, id_checksum_ok, read_workbook

__all__ = ["COLUMNS", "HEADERS", "SHEET", "ImportRejected", "ImportResult", "PlannedHousehold", "PlannedOwner",
           "apply_import", "households_workbook", "id_checksum_ok", "masked_owner", "may_import",
           "owner_contacts", "plan_import", "read_workbook", "may_reveal", "reveal", "reveal_export"]
