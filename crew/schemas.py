from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, ConfigDict, Field, model_validator

from crew.models import CertificateType, DocumentType, Sex, WagePeriod
from crew.validation import check_birth_date
from maritime_hub.errors import field_error
from maritime_hub.messages import N_
from maritime_hub.types import Day, Id, Schema
from vessels.validation import check_country

Country = Annotated[str, AfterValidator(check_country)]
Lang = Annotated[str, Field(pattern=r"^[a-z]{2,3}$", description="ISO 639 code, e.g. zh, id, tl, en, vi")]
# From 1900 to today, with a registrar's message for each side (crew.validation.check_birth_date).
BirthDate = Annotated[date, AfterValidator(check_birth_date)]


class Warning(Schema):
    code: str
    severity: str
    message: str
    params: dict = {}


class IdentityDocumentCreate(Schema):
    doc_type: DocumentType
    number: str = Field(min_length=3, max_length=40)
    issuing_country: Country = "CN"
    issue_date: Day | None = None
    expiry_date: Day | None = None

    @model_validator(mode="after")
    def _dates(self):
        if self.issue_date and self.expiry_date and self.expiry_date < self.issue_date:
            raise field_error("expiry_date", N_("expiry_date is before issue_date"))
        if self.doc_type == DocumentType.resident_id and self.issuing_country != "CN":
            raise field_error("issuing_country", N_("a resident ID (居民身份证) is issued by CN"))
        return self


class IdentityDocument(Schema):
    """As stored: the input rules (dates in range, in order) are not re-checked on the way out, so a
    row kept before a rule existed is still shown."""

    model_config = ConfigDict(from_attributes=True)
    id: int
    doc_type: DocumentType
    number: str
    issuing_country: str
    issue_date: date | None = None
    expiry_date: date | None = None


class _PersonFields(Schema):
    name: str | None = Field(default=None, min_length=1, max_length=120, description="name in the person's own script")
    name_latin: str | None = Field(default=None, max_length=120)
    sex: Sex | None = None
    date_of_birth: BirthDate | None = None
    nationality: Country | None = None
    phone: str | None = Field(default=None, max_length=40)
    email: str | None = Field(default=None, max_length=200)
    address: str | None = None
    emergency_contact_name: str | None = Field(default=None, max_length=120)
    emergency_contact_phone: str | None = Field(default=None, max_length=40)
    emergency_contact_relation: str | None = Field(default=None, max_length=40)
    family_address: str | None = None
    languages: list[Lang] | None = None
    notes: str | None = None


class PersonCreate(_PersonFields):
    name: str = Field(min_length=1, max_length=120)
    nationality: Country = "CN"
    languages: list[Lang] = []
    documents: list[IdentityDocumentCreate] = []


class PersonUpdate(_PersonFields):
    """Only the fields sent are changed."""


class CertificateCreate(Schema):
    cert_type: CertificateType
    number: str | None = Field(default=None, max_length=60)
    issuer: str | None = Field(default=None, max_length=120)
    issue_date: Day | None = None
    expiry_date: Day | None = None

    @model_validator(mode="after")
    def _dates(self):
        if self.issue_date and self.expiry_date and self.expiry_date < self.issue_date:
            raise field_error("expiry_date", N_("expiry_date is before issue_date"))
        return self


class Certificate(Schema):
    model_config = ConfigDict(from_attributes=True)
    id: int
    person_id: int
    cert_type: CertificateType
    number: str | None = None
    issuer: str | None = None
    issue_date: date | None = None
    expiry_date: date | None = None
    status: str = "valid"  # valid | expiring | expired | no_expiry


class WorkAgreementCreate(Schema):
    employer_id: Id | None = Field(default=None, gt=0)
    vessel_id: Id | None = Field(default=None, gt=0)
    position: str | None = Field(default=None, max_length=60)
    wage_amount: Decimal | None = Field(default=None, ge=0, max_digits=12, decimal_places=2)
    wage_currency: str = Field(default="CNY", pattern=r"^[A-Z]{3}$")
    wage_period: WagePeriod = WagePeriod.month
    # numeric(5, 2): a third decimal would be rounded away, 0.001 % to a stored 0.00
    share_percent: Decimal | None = Field(default=None, gt=0, le=100, decimal_places=2)
    start_date: Day | None = None
    end_date: Day | None = None
    language: Lang | None = None
    copy_on_board: bool = False
    signed_at_place: str | None = Field(default=None, max_length=120)

    @model_validator(mode="after")
    def _terms(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise field_error("end_date", N_("end_date is before start_date"))
        if self.wage_period == WagePeriod.share and self.share_percent is None:
            raise field_error("share_percent", N_("share_percent is required when wage_period is 'share'"))
        return self


class WorkAgreement(Schema):
    model_config = ConfigDict(from_attributes=True)
    id: int
    person_id: int
    employer_id: int | None = None
    vessel_id: int | None = None
    position: str | None = None
    wage_amount: Decimal | None = None
    wage_currency: str = "CNY"
    wage_period: WagePeriod = WagePeriod.month
    share_percent: Decimal | None = None
    start_date: date | None = None
    end_date: date | None = None
    language: str | None = None
    copy_on_board: bool = False
    signed_at_place: str | None = None
    file_sha256: str | None
    file_name: str | None
    file_size: int | None


class BoardingCreate(Schema):
    vessel_id: Id = Field(gt=0)
    position: str | None = Field(default=None, max_length=60)
    embark_date: Day
    embark_port: str | None = Field(default=None, max_length=80)
    disembark_date: Day | None = None
    disembark_port: str | None = Field(default=None, max_length=80)

    @model_validator(mode="after")
    def _dates(self):
        if self.disembark_date and self.disembark_date < self.embark_date:
            raise field_error("disembark_date", N_("disembark_date is before embark_date"))
        return self


class BoardingUpdate(Schema):
    """Only the fields sent are changed: usually the disembarkation, or a correction of the embarkation."""

    vessel_id: Id | None = Field(default=None, gt=0)
    embark_date: Day | None = None
    embark_port: str | None = Field(default=None, max_length=80)
    disembark_date: Day | None = None
    disembark_port: str | None = Field(default=None, max_length=80)
    position: str | None = Field(default=None, max_length=60)


class Boarding(Schema):
    model_config = ConfigDict(from_attributes=True)
    id: int
    person_id: int
    vessel_id: int
    position: str | None = None
    embark_date: date
    embark_port: str | None = None
    disembark_date: date | None = None
    disembark_port: str | None = None
    vessel_name: str | None = None


class Person(Schema):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    name_latin: str | None
    sex: Sex | None
    date_of_birth: date | None
    nationality: str
    phone: str | None
    email: str | None
    address: str | None
    emergency_contact_name: str | None
    emergency_contact_phone: str | None
    emergency_contact_relation: str | None
    family_address: str | None
    languages: list[str]
    notes: str | None
    created_at: datetime
    updated_at: datetime
    warnings: list[Warning] = []


class PersonDetail(Person):
    documents: list[IdentityDocument] = []
    certificates: list[Certificate] = []
    agreements: list[WorkAgreement] = []
    boardings: list[Boarding] = []


class PersonPage(Schema):
    items: list[Person]
    total: int
    page: int
    page_size: int


class OnBoard(Schema):
    person: Person
    boarding: Boarding
