"""Projects: each profile has an Inbox; goals (milestone cards) can be switched off."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import NotFoundError, ValidationError
from ..models import Project
from . import history
from . import validation as v
from .context import Context
from .dto import ProjectDTO
from .engine_store import raw
from .profiles import INBOX, ensure_inbox
from .screen_reads import projects_of


def to_dto(project: Project) -> ProjectDTO:
    return ProjectDTO(project.id, project.name, project.goals_enabled, project.is_inbox)


def find_project(session: Session, profile_id: int, name: str | None, *,
                 create: bool = False, now: object = None,
                 created: list[str] | None = None) -> Project:
    """The named project of a profile; None means the Inbox.

    ``create`` (``--project`` on add and edit, SPEC §9 *v2*) makes a missing one, or
    brings back a deleted one of that name, and appends its name to ``created``; without
    it an unknown name is bad input (a filter such as ``task list --project``).
    """
    if name is None or (isinstance(name, str) and name.strip() == ""):
        return ensure_inbox(session, profile_id, now)  # type: ignore[arg-type]
    clean = v.name(name, "project")
    project = session.scalar(select(Project).where(
        Project.profile_id == profile_id, Project.name == clean, Project.deleted_at.is_(None)))
    if project is None:
        if clean.lower() == INBOX.lower():
            return ensure_inbox(session, profile_id, now)  # type: ignore[arg-type]
        if create:
            return _create_project(session, profile_id, clean, now, created)
        raise NotFoundError("project", f"no project named {clean!r} "
                            "(create it with `momentum project add NAME`)")
    return project


def _create_project(session: Session, profile_id: int, name: str, now: object,
                    created: list[str] | None) -> Project:
    project = session.scalar(select(Project).where(Project.profile_id == profile_id,
                                                   Project.name == name))
    if project is not None:  # deleted before: the same project comes back
        project.deleted_at = None
    else:
        project = Project(profile_id=profile_id, name=name, goals_enabled=True,
                          is_inbox=False, created_at=now)
        session.add(project)
        session.flush()
    if created is not None:
        created.append(name)
    return project


class ProjectService:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def add(self, name: str) -> ProjectDTO:
        clean = v.name(name, "name")
        with self.ctx.db.transaction() as session:
            existing = session.scalar(select(Project).where(
                Project.profile_id == self.ctx.profile_id, Project.name == clean))
            if existing is not None and existing.deleted_at is None:
                raise ValidationError("name", f"a project named {clean!r} already exists")
            label = f"Add project “{clean}”"
            if existing is not None:  # re-adding a deleted project restores it
                before = history.snapshot(session, existing)
                existing.deleted_at = None
                history.record_edit(session, self.ctx, label, existing, before)
                return to_dto(existing)
            project = Project(profile_id=self.ctx.profile_id, name=clean, goals_enabled=True,
                              is_inbox=False, created_at=self.ctx.now())
            session.add(project)
            history.record_created(session, self.ctx, label, project)
            return to_dto(project)

    def list(self) -> list[ProjectDTO]:
        """The Inbox first, then by name (one implementation with the window's first
        screen: :func:`.screen_reads.projects_of`)."""
        with self.ctx.db.reading() as session:
            return projects_of(raw(session), self.ctx.profile_id)

    def set_goals_enabled(self, name: str, enabled: bool) -> ProjectDTO:
        with self.ctx.db.transaction() as session:
            project = find_project(session, self.ctx.profile_id, name, now=self.ctx.now())
            before = history.snapshot(session, project)
            project.goals_enabled = enabled
            verb = "Show" if enabled else "Hide"
            history.record_edit(session, self.ctx, f"{verb} milestones of “{project.name}”",
                                project, before)
            return to_dto(project)

    def rename(self, name: str, new_name: str) -> ProjectDTO:
        clean = v.name(new_name, "name")
        with self.ctx.db.transaction() as session:
            project = find_project(session, self.ctx.profile_id, name, now=self.ctx.now())
            if project.is_inbox:
                raise ValidationError("project", "the Inbox cannot be renamed")
            if session.scalar(select(Project).where(Project.profile_id == self.ctx.profile_id,
                                                    Project.name == clean)):
                raise ValidationError("name", f"a project named {clean!r} already exists")
            before = history.snapshot(session, project)
            project.name = clean
            history.record_edit(session, self.ctx, f"Rename project “{name}”", project, before)
            return to_dto(project)

    def delete(self, name: str) -> ProjectDTO:
        """Soft delete; its tasks stay (and keep their points)."""
        with self.ctx.db.transaction() as session:
            project = find_project(session, self.ctx.profile_id, name, now=self.ctx.now())
            if project.is_inbox:
                raise ValidationError("project", "the Inbox cannot be deleted")
            before = history.snapshot(session, project)
            project.deleted_at = self.ctx.now()
            history.record_edit(session, self.ctx, f"Delete project “{project.name}”",
                                project, before)
            return to_dto(project)
