"""Action plans (priorities, actions, milestones, updates, snapshots) and action points."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cspdesk.models.base import Base, Entity
from cspdesk.models.organisation import Organisation
from cspdesk.models.person import Person


class ActionStatus(StrEnum):
    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    COMPLETE = "complete"
    ABANDONED = "abandoned"

    @property
    def label(self) -> str:
        return {
            "not_started": "Not started",
            "on_track": "On track",
            "at_risk": "At risk",
            "off_track": "Off track",
            "complete": "Complete",
            "abandoned": "Abandoned",
        }[self.value]


class Rag(StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"
    COMPLETE = "complete"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class PointStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class ActionPlan(Entity):
    __tablename__ = "action_plan"
    __label_field__ = "title"

    partnership_id: Mapped[int] = mapped_column(
        ForeignKey("partnership.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    period: Mapped[str | None] = mapped_column(String(20))
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    lead_text: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)

    priorities: Mapped[list[PlanPriority]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="PlanPriority.position")
    actions: Mapped[list[PlanAction]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="PlanAction.position")


class PlanPriority(Entity):
    __tablename__ = "plan_priority"
    __label_field__ = "title"

    plan_id: Mapped[int] = mapped_column(
        ForeignKey("action_plan.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(300))

    plan: Mapped[ActionPlan] = relationship(back_populates="priorities")


plan_action_partner = Table(
    "plan_action_partner",
    Base.metadata,
    Column("action_id", ForeignKey("plan_action.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("organisation.id", ondelete="RESTRICT"),
           primary_key=True, index=True),
)


class PlanAction(Entity):
    """An action (ref ``1.1``) or, with a parent, one of its milestones (ref ``1.1a``)."""

    __tablename__ = "plan_action"
    __label_field__ = "ref"

    def audit_label(self) -> str:
        """'1.2 Title' (just the title while a new action waits for its ref)."""
        title = self.title or f"#{self.id}"
        return title if self.ref in (None, "", "?") else f"{self.ref} {title}"

    plan_id: Mapped[int] = mapped_column(
        ForeignKey("action_plan.id", ondelete="CASCADE"), index=True)
    priority_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_priority.id", ondelete="SET NULL"), index=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_action.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    ref: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str | None] = mapped_column(Text)
    lead_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True)
    lead_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="RESTRICT"), index=True)
    lead_text: Mapped[str | None] = mapped_column(String(200))
    resources: Mapped[str | None] = mapped_column(Text)
    cost: Mapped[Decimal | None]
    budget_line_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("budget_line.id", ondelete="SET NULL"), index=True)
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    timescale: Mapped[str | None] = mapped_column(String(200))
    quarter: Mapped[str | None] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(20), default=ActionStatus.NOT_STARTED.value)
    status_text: Mapped[str | None] = mapped_column(String(300))
    rag_override: Mapped[str | None] = mapped_column(String(20))
    rag_override_reason: Mapped[str | None] = mapped_column(String(300))

    plan: Mapped[ActionPlan] = relationship(back_populates="actions")
    priority: Mapped[PlanPriority | None] = relationship()
    parent: Mapped[PlanAction | None] = relationship(remote_side="PlanAction.id",
                                                     back_populates="milestones")
    milestones: Mapped[list[PlanAction]] = relationship(
        back_populates="parent", order_by="PlanAction.position")
    lead_organisation: Mapped[Organisation | None] = relationship()
    lead_person: Mapped[Person | None] = relationship()
    partners: Mapped[list[Organisation]] = relationship(secondary=plan_action_partner)
    updates: Mapped[list[ActionUpdate]] = relationship(
        back_populates="action", cascade="all, delete-orphan",
        order_by=lambda: (ActionUpdate.date, ActionUpdate.id))


class ActionUpdate(Entity):
    """A dated progress update; the history is kept, newest last."""

    __tablename__ = "action_update"
    __label_field__ = "text"

    action_id: Mapped[int] = mapped_column(
        ForeignKey("plan_action.id", ondelete="CASCADE"), index=True)
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str | None] = mapped_column(String(20))
    source: Mapped[str | None] = mapped_column(String(200))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime)

    action: Mapped[PlanAction] = relationship(back_populates="updates")


class ActionSnapshot(Base):
    """One action frozen when a quarter was closed: status, RAG and latest update."""

    __tablename__ = "action_snapshot"
    __table_args__ = (UniqueConstraint("action_id", "quarter", name="uq_action_snapshot_quarter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("action_plan.id", ondelete="CASCADE"), index=True)
    action_id: Mapped[int] = mapped_column(
        ForeignKey("plan_action.id", ondelete="CASCADE"), index=True)
    quarter: Mapped[str] = mapped_column(String(20))
    taken_on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    rag: Mapped[str] = mapped_column(String(20))
    latest_update: Mapped[str | None] = mapped_column(Text)


action_point_owner = Table(
    "action_point_owner",
    Base.metadata,
    Column("point_id", ForeignKey("action_point.id", ondelete="CASCADE"), primary_key=True),
    Column("person_id", ForeignKey("person.id", ondelete="RESTRICT"), primary_key=True, index=True),
)


class ActionPoint(Entity):
    """An action point from the minutes: ref ``MM/NN`` (meeting month / running number)."""

    __tablename__ = "action_point"
    __label_field__ = "ref"
    __table_args__ = (UniqueConstraint("meeting_id", "number", name="uq_action_point_number"),)

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_item.id", ondelete="SET NULL"), index=True)
    number: Mapped[int]
    ref: Mapped[str] = mapped_column(String(10))
    minute_ref: Mapped[str | None] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    due_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(20), default=PointStatus.OPEN.value)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    closing_note: Mapped[str | None] = mapped_column(String(500))

    owners: Mapped[list[Person]] = relationship(secondary=action_point_owner,
                                                order_by="Person.name")
