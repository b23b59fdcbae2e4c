"""Crew registry: people, identity documents, certificates, work agreements, boardings."""

from __future__ import annotations

import enum
from datetime import date
from decimal import Decimal

from sqlalchemy import ARRAY, Boolean, Date, Enum, ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from maritime_hub.db.base import Base, TimestampMixin


def _enum(e: type[enum.Enum], name: str) -> Enum:
    return Enum(e, name=name, native_enum=False, length=30, validate_strings=True)


class Sex(str, enum.Enum):
    male = "male"
    female = "female"
    other = "other"


class DocumentType(str, enum.Enum):
    resident_id = "resident_id"  # 居民身份证 (GB 11643)
    passport = "passport"  # 护照
    seafarer_passport = "seafarer_passport"  # 海员证
    seafarer_id = "seafarer_id"  # foreign seafarer's identity document (ILO C185)


class CertificateType(str, enum.Enum):
    fisher_general = "fisher_general"  # 渔业普通船员证书
    fisher_officer = "fisher_officer"  # 渔业职务船员证书
    medical = "medical"  # 健康证明
    safety_training = "safety_training"  # 基本安全培训
    other = "other"


class WagePeriod(str, enum.Enum):
    month = "month"
    voyage = "voyage"
    year = "year"
    day = "day"
    share = "share"  # a share of the catch (C188 Annex II (i))


class Person(Base, TimestampMixin):
    __tablename__ = "person"
    __table_args__ = (
        Index("ix_person_name_trgm", "name", postgresql_using="gin", postgresql_ops={"name": "gin_trgm_ops"}),
        Index(
            "ix_person_name_latin_trgm",
            "name_latin",
            postgresql_using="gin",
            postgresql_ops={"name_latin": "gin_trgm_ops"},
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    name_latin: Mapped[str | None] = mapped_column(String(120))
    sex: Mapped[Sex | None] = mapped_column(_enum(Sex, "sex"))
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    nationality: Mapped[str] = mapped_column(String(2), default="CN")
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(Text)
    # Remote parties: the family ashore is often how a fisher at sea is reached.
    emergency_contact_name: Mapped[str | None] = mapped_column(String(120))
    emergency_contact_phone: Mapped[str | None] = mapped_column(String(40))
    emergency_contact_relation: Mapped[str | None] = mapped_column(String(40))
    family_address: Mapped[str | None] = mapped_column(Text)
    languages: Mapped[list[str]] = mapped_column(ARRAY(String(8)), default=list)  # ISO 639-1/3 codes
    notes: Mapped[str | None] = mapped_column(Text)

    documents: Mapped[list[IdentityDocument]] = relationship(
        back_populates="person", lazy="raise", order_by="IdentityDocument.id"
    )
    certificates: Mapped[list[Certificate]] = relationship(
        back_populates="person", lazy="raise", order_by="Certificate.expiry_date"
    )
    agreements: Mapped[list[WorkAgreement]] = relationship(
        back_populates="person", lazy="raise", order_by="WorkAgreement.start_date.desc()"
    )
    boardings: Mapped[list[Boarding]] = relationship(
        back_populates="person", lazy="raise", order_by="Boarding.embark_date.desc()"
    )


class IdentityDocument(Base, TimestampMixin):
    __tablename__ = "identity_document"
    __table_args__ = (UniqueConstraint("doc_type", "issuing_country", "number", name="uq_identity_document_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    doc_type: Mapped[DocumentType] = mapped_column(_enum(DocumentType, "document_type"))
    number: Mapped[str] = mapped_column(String(40), index=True)
    issuing_country: Mapped[str] = mapped_column(String(2))
    issue_date: Mapped[date | None] = mapped_column(Date)
    expiry_date: Mapped[date | None] = mapped_column(Date)

    person: Mapped[Person] = relationship(back_populates="documents", lazy="raise")


class Certificate(Base, TimestampMixin):
    __tablename__ = "certificate"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    cert_type: Mapped[CertificateType] = mapped_column(_enum(CertificateType, "certificate_type"))
    number: Mapped[str | None] = mapped_column(String(60))
    issuer: Mapped[str | None] = mapped_column(String(120))
    issue_date: Mapped[date | None] = mapped_column(Date)
    expiry_date: Mapped[date | None] = mapped_column(Date, index=True)

    person: Mapped[Person] = relationship(back_populates="certificates", lazy="raise")


class WorkAgreement(Base, TimestampMixin):
    __tablename__ = "work_agreement"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="RESTRICT"))
    vessel_id: Mapped[int | None] = mapped_column(ForeignKey("vessel.id", ondelete="RESTRICT"), index=True)
    position: Mapped[str | None] = mapped_column(String(60))
    wage_amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    wage_currency: Mapped[str] = mapped_column(String(3), default="CNY")
    wage_period: Mapped[WagePeriod] = mapped_column(_enum(WagePeriod, "wage_period"), default=WagePeriod.month)
    share_percent: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    language: Mapped[str | None] = mapped_column(String(8))
    copy_on_board: Mapped[bool] = mapped_column(Boolean, default=False)
    signed_at_place: Mapped[str | None] = mapped_column(String(120))
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    file_name: Mapped[str | None] = mapped_column(String(200))
    file_size: Mapped[int | None] = mapped_column(Integer)
    file_content_type: Mapped[str | None] = mapped_column(String(100))

    person: Mapped[Person] = relationship(back_populates="agreements", lazy="raise")


class Boarding(Base, TimestampMixin):
    __tablename__ = "boarding"
    __table_args__ = (Index("ix_boarding_vessel_dates", "vessel_id", "embark_date", "disembark_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    vessel_id: Mapped[int] = mapped_column(ForeignKey("vessel.id", ondelete="RESTRICT"))
    position: Mapped[str | None] = mapped_column(String(60))
    embark_date: Mapped[date] = mapped_column(Date)
    embark_port: Mapped[str | None] = mapped_column(String(80))
    disembark_date: Mapped[date | None] = mapped_column(Date)
    disembark_port: Mapped[str | None] = mapped_column(String(80))

    person: Mapped[Person] = relationship(back_populates="boardings", lazy="raise")
