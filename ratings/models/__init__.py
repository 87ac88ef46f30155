from .awards import Application, ApplicationStatus, Notice, Objection, StarReview, StarWithdrawal
from .checklist import ChecklistItem, ChecklistProgress, ItemOrigin, ItemStatus
from .closing import MonthCheckRun, MonthReopening
from .inspection import Inspection, InspectionScore
from .ledger import Evidence, LedgerEntry, LedgerEvent, LedgerStatus, LedgerWindow
from .results import MonthClose, PendingRecompute, StarScore, TargetLevel, View, VillageScore
from .standard import (
    Aggregation,
    Direction,
    Frequency,
    Indicator,
    Rule,
    Source,
    Standard,
    StandardKind,
    StandardStatus,
    Star,
    ValueType,
)

__all__ = [
    "Aggregation", "Direction", "Evidence", "Frequency", "Indicator", "LedgerEntry", "LedgerEvent",
    "LedgerStatus", "LedgerWindow", "Rule", "Source", "Standard", "StandardKind", "StandardStatus",
    "Star", "ValueType", "MonthClose", "PendingRecompute", "StarScore", "TargetLevel", "VillageScore", "View",
    "Application", "ApplicationStatus", "Notice", "Objection", "StarReview", "StarWithdrawal",
    "ChecklistItem", "ChecklistProgress", "MonthCheckRun", "MonthReopening", "ItemOrigin", "ItemStatus", "Inspection", "InspectionScore",
]
