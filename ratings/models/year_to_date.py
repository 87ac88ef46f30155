"""The ledger's year-to-date values, kept up to date so a recompute reads one row per village.

`LedgerYearToDate` holds, per village × year × month × view, the value of every ledger
indicator aggregated over the months up to that month (latest / sum / max / count, as the
indicator says), from the entries that count in the view (live: submitted and approved;
published: approved). A month's recompute reads one row per village instead of rescanning up to
twelve months of entries.

`LedgerYearToDateMark` is how it stays true: database triggers on the ledger table (added by the
migration, for every INSERT, UPDATE and DELETE, whatever wrote it: a page, an import, a bulk
update, COPY) mark the village and year, with the first month touched. Every recompute first
refreshes the marked villages of its scope (only those villages, only the months from the mark
on), in its own transaction, then reads. `recompute --check` compares the stored results with a
full rescan of the ledger, so a difference between the two paths cannot go unnoticed.

A migration that alters the ledger table on SQLite rebuilds it, which drops its triggers: such a
migration must create them again (tests/ratings/test_year_to_date.py checks they exist).
"""

from __future__ import annotations

from django.db import models

from villages.models import Region


class LedgerYearToDate(models.Model):
    # Indexed by the unique constraint, which starts with it.
    village = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+", db_index=False)
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    view = models.CharField(max_length=10)
    # {indicator id: the year-to-date value as a decimal string}; an indicator without any value
    # up to the month is absent (missing).
    values = models.JSONField(default=dict)

    class Meta:
        verbose_name = "台账年度累计值"
        verbose_name_plural = "台账年度累计值"
        constraints = [
            models.UniqueConstraint(fields=["village", "year", "month", "view"], name="ledger_ytd_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.village_id} {self.year}-{self.month:02d} {self.view}"


class LedgerYearToDateMark(models.Model):
    """A village whose year-to-date rows of a year are out of date from `from_month` on.

    Written by the ledger table's triggers only; `version` grows with every mark, so a refresh
    removes a mark only if no change came in after it read the ledger.
    """

    village = models.ForeignKey(Region, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+",
                                db_index=False)
    year = models.PositiveSmallIntegerField()
    from_month = models.PositiveSmallIntegerField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "待刷新台账累计值"
        verbose_name_plural = "待刷新台账累计值"
        constraints = [
            models.UniqueConstraint(fields=["village", "year"], name="ledger_ytd_mark_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.village_id} {self.year} from {self.from_month}"
