"""Declarative base: Decimal maps to the Money column; every entity has an id and a row version."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from cspdesk.db.types import Money

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Root of every model."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {Decimal: Money()}


class Entity(Base):
    """An editable row: integer id, and a version that guards against overwriting a newer save."""

    __abstract__ = True
    #: audited entities have every change recorded by the audit hook
    __audited__: ClassVar[bool] = True
    #: the field that names a row in the audit trail
    __label_field__: ClassVar[str] = "name"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805
        return {"version_id_col": cls.__table__.c.version}

    def audit_label(self) -> str:
        """Human label for the audit trail."""
        value = getattr(self, self.__label_field__, None)
        return str(value) if value is not None else f"#{self.id}"
