"""Installs of Tandem per workspace: the bot token and who installed it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from store.directory import SqlWorkspaces
from store.models import InstallationRow, WorkspaceRow


@dataclass(frozen=True)
class Installed:
    platform: str
    team: str
    bot_token: str
    bot_id: str
    bot_user_id: str
    scopes: str
    installer: str
    installed_at: datetime
    enterprise_id: str | None = None

    def __repr__(self) -> str:  # the token never reaches a log
        return f"Installed(platform={self.platform!r}, team={self.team!r})"


class SqlInstallations:
    """Stored installs; a second install of the same workspace replaces the first."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def save(self, installed: Installed) -> None:
        with self._sessions.begin() as session:
            workspace = SqlWorkspaces(session).ensure(
                installed.platform, installed.team, installed.installed_at
            )
            session.execute(
                delete(InstallationRow).where(InstallationRow.workspace_id == workspace.id)
            )
            session.add(
                InstallationRow(
                    workspace_id=workspace.id,
                    enterprise_id=installed.enterprise_id,
                    bot_token=installed.bot_token,
                    bot_id=installed.bot_id,
                    bot_user_id=installed.bot_user_id,
                    scopes=installed.scopes,
                    installer=installed.installer,
                    installed_at=installed.installed_at,
                )
            )

    def find(self, platform: str, team: str) -> Installed | None:
        query = (
            select(InstallationRow)
            .join(WorkspaceRow, WorkspaceRow.id == InstallationRow.workspace_id)
            .where(WorkspaceRow.platform == platform, WorkspaceRow.external_id == team)
        )
        with self._sessions() as session:
            row = session.scalars(query).first()
            if row is None:
                return None
            return Installed(
                platform=platform,
                team=team,
                bot_token=row.bot_token,
                bot_id=row.bot_id,
                bot_user_id=row.bot_user_id,
                scopes=row.scopes,
                installer=row.installer,
                installed_at=row.installed_at,
                enterprise_id=row.enterprise_id,
            )

    def token(self, platform: str, team: str) -> str | None:
        found = self.find(platform, team)
        return found.bot_token if found else None

    def remove(self, platform: str, team: str) -> bool:
        """Forget the workspace's install (its token); whether there was one."""
        workspace = (
            select(WorkspaceRow.id)
            .where(WorkspaceRow.platform == platform, WorkspaceRow.external_id == team)
            .scalar_subquery()
        )
        with self._sessions.begin() as session:
            result = session.execute(
                delete(InstallationRow).where(InstallationRow.workspace_id == workspace)
            )
            return bool(getattr(result, "rowcount", 0))
