"""What a large import stages, and how it is taken away again (issue #20).

Kept apart from :mod:`.imports` so that start-up can look for a crashed import's leftovers
without loading the importers. The staging itself is :mod:`.imports.staged`.
"""

from __future__ import annotations

from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from .db import Database
from .kinds import STAGING_PREFIX as STAGING_PREFIX  # re-exported
from .models import ImportSource, Profile, Task, TimeSlot

#: Items per staging transaction (1,000 tasks: about 0.35 s of write lock).
BATCH = 1000


def discard(db: Database, staging_id: int, profile_id: int | None = None,
            newest_project: int | None = None, newest_tag: int | None = None) -> None:
    """Delete a staging profile and what it owns, in short batches; then the projects and
    tags the import made for the person, if nothing uses them."""
    for model in (Task, TimeSlot):
        while True:
            with db.transaction() as session:
                ids = session.scalars(select(model.id).where(
                    model.profile_id == staging_id).limit(BATCH)).all()
                if not ids:
                    break
                session.execute(delete(model).where(model.id.in_(ids)))
    with db.transaction() as session:
        session.execute(delete(ImportSource).where(ImportSource.profile_id == staging_id))
        session.execute(delete(Profile).where(Profile.id == staging_id))
        if profile_id is not None and newest_project is not None:
            conn = session.connection()
            conn.execute(text(
                "DELETE FROM projects WHERE profile_id = :p AND id > :newest AND NOT is_inbox "
                "AND NOT EXISTS (SELECT 1 FROM tasks WHERE project_id = projects.id) "
                "AND NOT EXISTS (SELECT 1 FROM goals WHERE project_id = projects.id)"),
                {"p": profile_id, "newest": newest_project})
            conn.execute(text(
                "DELETE FROM tags WHERE profile_id = :p AND id > :newest "
                "AND NOT EXISTS (SELECT 1 FROM task_tags WHERE tag_id = tags.id)"),
                {"p": profile_id, "newest": newest_tag or 0})
        # a deleted project that the import brought back stays back: harmless, and the
        # person may have used it meanwhile


def staging_name(profile_id: int, newest_project: int, newest_tag: int, token: str) -> str:
    """A staging profile's name: the person's profile and the newest project and tag
    ids before the import, so that a clean-up after a crash can take back the projects
    and tags the import made (when still unused)."""
    return f"{STAGING_PREFIX}{profile_id}:{newest_project}:{newest_tag}:{token}"


def abandoned_staging(session: Session) -> list[tuple[int, str]]:
    """Staging profiles a crashed import left, with their names (read only)."""
    return [(row.id, row.name) for row in session.execute(
        select(Profile.id, Profile.name).where(
            Profile.name.startswith(STAGING_PREFIX, autoescape=True)))]


def discard_abandoned(db: Database, staging: list[tuple[int, str]]) -> None:
    """At start-up, with the database to itself: remove what a crashed import staged."""
    for staging_id, name in staging:
        try:
            profile, project, tag = (int(part) for part in
                                     name[len(STAGING_PREFIX):].split(":")[:3])
        except ValueError:  # not a name this version wrote: the staged rows only
            discard(db, staging_id)
        else:
            discard(db, staging_id, profile, project, tag)
