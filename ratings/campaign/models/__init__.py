"""The year's campaign records: task lists and the problem ledger, inspections, awards.

They belong to the `ratings` app (its tables and migrations); `ratings.models` re-exports them."""

from .awards import (
    Application,
    ApplicationStatus,
    Notice,
    Objection,
    ObjectionSource,
    StarReview,
    StarWithdrawal,
)
from .checklist import ChecklistItem, ChecklistProgress, ItemOrigin, ItemStatus
from .inspection import Inspection, InspectionScore
from .plan import TargetChangeSource, TargetLevelChange, TownshipPlan
from .rewards import RewardDecision, RewardScheme
from .warnings import EarlyWarning, WarningKind, WarningState
from .weekly import Commentary, WeeklyPhoto, WeeklyReport, WeeklyReportStar

__all__ = [
    "Application", "ApplicationStatus", "Notice", "Objection", "ObjectionSource", "StarReview", "StarWithdrawal",
    "ChecklistItem", "ChecklistProgress", "ItemOrigin", "ItemStatus", "Inspection", "InspectionScore",
    "TargetChangeSource", "TargetLevelChange", "TownshipPlan", "RewardDecision", "RewardScheme", "EarlyWarning", "WarningKind", "WarningState",
    "Commentary", "WeeklyPhoto", "WeeklyReport", "WeeklyReportStar",
]
