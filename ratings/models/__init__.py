# The campaign's models live in ratings/campaign/ but belong to this app (same tables, same migrations).
from ratings.campaign.models import (
    Application,
    ApplicationStatus,
    ChecklistItem,
    ChecklistProgress,
    Commentary,
    EarlyWarning,
    Inspection,
    InspectionScore,
    ItemOrigin,
    ItemStatus,
    Notice,
    Objection,
    ObjectionSource,
    RewardDecision,
    RewardScheme,
    StarReview,
    StarWithdrawal,
    TargetChangeSource,
    TargetLevelChange,
    TownshipPlan,
    WarningKind,
    WarningState,
    WeeklyPhoto,
    WeeklyReport,
    WeeklyReportStar,
)

from .closing import MonthCheckRun, MonthFollowUp, MonthReopening
from .ledger import Evidence, LedgerEntry, LedgerEvent, LedgerStatus, LedgerWindow
from .preview import PreviewState, StandardPreview
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
from .year_to_date import LedgerYearToDate, LedgerYearToDateMark

__all__ = [
    "Aggregation", "Direction", "Evidence", "Frequency", "Indicator", "LedgerEntry", "LedgerEvent",
    "LedgerStatus", "LedgerWindow", "Rule", "Source", "Standard", "StandardKind", "StandardStatus",
    "Star", "ValueType", "MonthClose", "PendingRecompute", "StarScore", "TargetLevel", "VillageScore", "View",
    "Application", "ApplicationStatus", "Notice", "Objection", "ObjectionSource", "StarReview", "StarWithdrawal",
    "ChecklistItem", "ChecklistProgress", "MonthCheckRun", "MonthFollowUp", "MonthReopening", "ItemOrigin", "ItemStatus", "Inspection", "InspectionScore",
    "TargetChangeSource", "TargetLevelChange", "TownshipPlan", "RewardDecision", "RewardScheme", "Commentary", "WeeklyPhoto", "WeeklyReport", "WeeklyReportStar",
    "LedgerYearToDate", "LedgerYearToDateMark",
    "EarlyWarning", "WarningKind", "WarningState", "PreviewState", "StandardPreview",
]
