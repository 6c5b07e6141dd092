"""Installs of Tandem per workspace: what lets it act there, and who installed it."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.platform import Installation
from store.directory import SqlWorkspaces
from store.tables import InstallationRow, WorkspaceRow


class SqlInstallations:
    """Stored installs; a second install of the same workspace replaces the first."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def save(self, installation: Installation) -> None:
        workspace = SqlWorkspaces(self._s).ensure(
            installation.platform, installation.workspace, installation.installed_at
        )
        self._s.execute(delete(InstallationRow).where(InstallationRow.workspace_id == workspace.id))
        self._s.add(
            InstallationRow(
                workspace_id=workspace.id,
                token=installation.token,
                bot_user_id=installation.bot_user_id,
                installer=installation.installer,
                installed_at=installation.installed_at,
                details=dict(installation.details),
            )
        )
        self._s.flush()

    def find(self, platform: str, workspace: str) -> Installation | None:
        query = (
            select(InstallationRow)
            .join(WorkspaceRow, WorkspaceRow.id == InstallationRow.workspace_id)
            .where(WorkspaceRow.platform == platform, WorkspaceRow.external_id == workspace)
        )
        row = self._s.scalars(query).first()
        if row is None:
            return None
        return Installation(
            platform=platform,
            workspace=workspace,
            token=row.token,
            bot_user_id=row.bot_user_id,
            installer=row.installer,
            installed_at=row.installed_at,
            details={str(k): str(v) for k, v in (row.details or {}).items()},
        )

    def remove(self, platform: str, workspace: str) -> bool:
        found = (
            select(WorkspaceRow.id)
            .where(WorkspaceRow.platform == platform, WorkspaceRow.external_id == workspace)
            .scalar_subquery()
        )
        result = self._s.execute(
            delete(InstallationRow).where(InstallationRow.workspace_id == found)
        )
        return bool(getattr(result, "rowcount", 0))
