"""The schema: SQLAlchemy 2 typed tables, one module per area.

Change it only with an Alembic revision.

Every table carries ``workspace_id``: rows never mix tenants, and a workspace's
data can be found (and removed) by that one column.
"""

from __future__ import annotations

from store.tables.base import NAMING, Base
from store.tables.cadence import (
    CheckinRow,
    FeedbackRow,
    GoalRow,
    MilestoneRow,
    QuietPeriodRow,
    TrainingRow,
    WrapupRow,
)
from store.tables.community import (
    DashboardLinkRow,
    DashboardSessionRow,
    PollAnswerRow,
    PollRow,
    ProgramChangeRow,
    ProgramSurveyRow,
    RecognitionRow,
)
from store.tables.matching import MatchMemberRow, MatchRow, PartnerRequestRow, RoundRow, WaitlistRow
from store.tables.messaging import (
    AddressRow,
    ConsoleInboxRow,
    ConversationRow,
    InboundEventRow,
    InstallationRow,
    OutboxRow,
    QueuedEventRow,
)
from store.tables.people import AnswerRow, EnrolmentRow, PersonRow, ProgramRow, WorkspaceRow

__all__ = [
    "NAMING",
    "AddressRow",
    "AnswerRow",
    "Base",
    "CheckinRow",
    "ConsoleInboxRow",
    "ConversationRow",
    "DashboardLinkRow",
    "DashboardSessionRow",
    "EnrolmentRow",
    "FeedbackRow",
    "GoalRow",
    "InboundEventRow",
    "InstallationRow",
    "MatchMemberRow",
    "MatchRow",
    "MilestoneRow",
    "OutboxRow",
    "PartnerRequestRow",
    "PersonRow",
    "PollAnswerRow",
    "PollRow",
    "ProgramChangeRow",
    "ProgramRow",
    "ProgramSurveyRow",
    "QueuedEventRow",
    "QuietPeriodRow",
    "RecognitionRow",
    "RoundRow",
    "TrainingRow",
    "WaitlistRow",
    "WorkspaceRow",
    "WrapupRow",
]
