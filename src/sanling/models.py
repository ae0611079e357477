"""SQLAlchemy 2 typed models: the schema of a ledger.

Alembic (migrations/) is the only authority that changes a real ledger's schema; these models
are what the migrations must produce, and a test compares the two.
"""

import datetime as dt
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    Time,
    UniqueConstraint,
    event,
    false,
)
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    ORMExecuteState,
    Session,
    declared_attr,
    mapped_column,
    relationship,
    with_loader_criteria,
)

from sanling.codes import (
    AccidentKind,
    AppraisalRule,
    AssignedBy,
    BacklogOutcome,
    CardLevel,
    CaseKind,
    DisputeCategory,
    DisputeSource,
    DisputeStatus,
    Grade,
    HazardArea,
    HazardGrade,
    HazardStatus,
    Level,
    NoteKind,
    PatrolKind,
    Performance,
    PersonCategory,
    PetitionForm,
    ResolutionMethod,
    Risk,
    Sex,
    SubjectKind,
    Supervised,
    SweepScope,
    TeamKind,
    VetoRule,
)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def code(enum: type[StrEnum], name: str | None = None) -> Enum:
    """A code column: stored as its English code, checked by a named CHECK constraint.

    `name` names the constraint when a table has two columns of one enum.
    """
    return Enum(
        enum,
        name=name or enum.__name__.lower(),
        native_enum=False,
        create_constraint=True,
        length=20,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Record:
    """The columns every ledger record has: id, its PREFIX-YYYY-NNNN reference and its town.

    A table with its own index that starts with town_id sets town_indexed False. sort_order
    puts these columns first, as they always were, and the void stamp last.

    A record entered in error is voided (作废), never deleted: voided_at, voided_by and
    void_reason are set, and every query of the ORM leaves it out (see `_leave_out_voided`).
    """

    town_indexed: ClassVar[bool] = True

    id: Mapped[int] = mapped_column(primary_key=True, sort_order=-10)
    # Unique per town (uq_<table>_town_id_ref, below): a county ledger that merged two towns'
    # ledgers (sanling merge) holds a JF-2026-0001 of each.
    ref: Mapped[str] = mapped_column(String(20), index=True, sort_order=-9)
    voided_at: Mapped[dt.datetime | None] = mapped_column(DateTime, sort_order=90)
    voided_by: Mapped[str | None] = mapped_column(String(100), sort_order=91)
    void_reason: Mapped[str | None] = mapped_column(Text, sort_order=92)

    @declared_attr
    def town_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("towns.id"), index=cls.town_indexed or None, sort_order=-8)

    # What an import kept beside the fields: {"columns": {header: text}, "notes": [...]} — the
    # file's columns sanling has no field for, and how values were inferred (migration 0002).
    extra: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True), sort_order=100)

    @property
    def voided(self) -> bool:
        """Whether the record is voided (作废)."""
        return self.voided_at is not None


class InVillage(Record):
    """A record that belongs to a village (or community): village_id and `village`."""

    village_indexed: ClassVar[bool] = True

    @declared_attr
    def village_id(cls) -> Mapped[int]:
        index = cls.village_indexed or None
        return mapped_column(ForeignKey("subjects.id"), index=index, sort_order=-7)

    @declared_attr
    def village(cls: Any) -> Mapped["Subject"]:
        return relationship(foreign_keys=f"{cls.__name__}.village_id")


class OfSubject(InVillage):
    """A village's record that may concern one of its subjects (a unit, an enterprise)."""

    village_indexed = False  # these tables have a (village_id, date) index

    @declared_attr
    def subject_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("subjects.id"), sort_order=-6)

    @declared_attr
    def subject(cls: Any) -> Mapped["Subject | None"]:
        return relationship(foreign_keys=f"{cls.__name__}.subject_id")


class Setting(Base):
    """A policy setting stored in the ledger (config.py validates the values)."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class ImportMapRow(Base):
    """An import map kept under a name for next month's file (`sanling import --save-map`)."""

    __tablename__ = "import_maps"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text)  # the TOML as written
    saved_on: Mapped[dt.date] = mapped_column(Date)


class RefCounter(Base):
    """The last number handed out per prefix and year, for PREFIX-YYYY-NNNN."""

    __tablename__ = "ref_counters"
    prefix: Mapped[str] = mapped_column(String(4), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class AuditEntry(Base):
    """One change to the ledger: who, when, what, before and after, chained by hash."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    operator: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))
    ref: Mapped[str | None] = mapped_column(String(40), index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class Town(Base):
    __tablename__ = "towns"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    county: Mapped[str | None] = mapped_column(String(100))
    area_km2: Mapped[float | None] = mapped_column(Numeric(10, 2))
    households: Mapped[int | None] = mapped_column(Integer)
    population: Mapped[int | None] = mapped_column(Integer)


class Subject(Base):
    """A creation subject (创建主体): village, community, unit or enterprise."""

    __tablename__ = "subjects"
    __table_args__ = (
        UniqueConstraint("town_id", "name", name="uq_subjects_town_id_name"),
        Index("ix_subjects_town_kind", "town_id", "kind"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    town_id: Mapped[int] = mapped_column(ForeignKey("towns.id"))
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[SubjectKind] = mapped_column(code(SubjectKind))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("subjects.id"), index=True)
    contact: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(40))
    households: Mapped[int | None] = mapped_column(Integer)
    population: Mapped[int | None] = mapped_column(Integer)
    mediation_committee: Mapped[bool] = mapped_column(Boolean, default=False)
    security_committee: Mapped[bool] = mapped_column(Boolean, default=False)
    patrol_team: Mapped[bool] = mapped_column(Boolean, default=False)
    video: Mapped[bool] = mapped_column(Boolean, default=False)
    police_office: Mapped[bool] = mapped_column(Boolean, default=False)
    grade: Mapped[Grade | None] = mapped_column(code(Grade))
    grade_manual: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    retired_on: Mapped[dt.date | None] = mapped_column(Date)
    retire_reason: Mapped[str | None] = mapped_column(Text)
    created_on: Mapped[dt.date] = mapped_column(Date)
    # A village's own group robot for its bulletin (issue 18); credentials, never printed.
    webhook: Mapped[str | None] = mapped_column(Text)
    dingtalk_secret: Mapped[str | None] = mapped_column(String(200))

    town: Mapped["Town"] = relationship()
    parent: Mapped["Subject | None"] = relationship(remote_side=[id])


class GradeChange(Base):
    """The grade history of a village: every grade it was given, why, and by whom."""

    __tablename__ = "grade_history"
    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    grade: Mapped[Grade] = mapped_column(code(Grade))
    previous: Mapped[Grade | None] = mapped_column(code(Grade, "previous_grade"))
    reason: Mapped[str] = mapped_column(Text)
    manual: Mapped[bool] = mapped_column(Boolean, default=False)
    operator: Mapped[str] = mapped_column(String(100))


class Title(Base):
    """A subject named for a year (命名, e.g. 2026年度三零村), and its revocation (摘牌) if it
    is taken back: once per subject and year (issue 17)."""

    __tablename__ = "titles"
    __table_args__ = (
        UniqueConstraint("subject_id", "year", name="uq_titles_subject_year"),
        Index("ix_titles_town_year", "town_id", "year"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    town_id: Mapped[int] = mapped_column(ForeignKey("towns.id"))
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"))
    year: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(40))
    named_on: Mapped[dt.date] = mapped_column(Date)
    revoked_on: Mapped[dt.date | None] = mapped_column(Date)
    revoke_reason: Mapped[str | None] = mapped_column(Text)
    revoke_ref: Mapped[str | None] = mapped_column(String(20))  # the record that broke it

    subject: Mapped["Subject"] = relationship()


class Sweep(Record, Base):
    """A half-monthly sweep (排查) of one subject; one with no findings is a 零报告."""

    __tablename__ = "sweeps"
    __table_args__ = (Index("ix_sweeps_subject_date", "subject_id", "date"),)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"))
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    by: Mapped[str] = mapped_column(String(100))
    scope: Mapped[SweepScope] = mapped_column(code(SweepScope), default=SweepScope.both)
    note: Mapped[str | None] = mapped_column(Text)

    subject: Mapped["Subject"] = relationship()


class Dispute(OfSubject, Base):
    """A dispute (矛盾纠纷), driven to closure by its first handler before its deadline."""

    town_indexed = False
    __tablename__ = "disputes"
    __table_args__ = (
        # Also covers the as-of state (open, overdue) so per-village counts read no rows.
        Index(
            "ix_disputes_village_found",
            "village_id",
            "found",
            "resolved_on",
            "referred_on",
            "deadline",
        ),
        Index("ix_disputes_town_found", "town_id", "found"),
        Index("ix_disputes_status_deadline", "status", "deadline"),
    )
    sweep_id: Mapped[int | None] = mapped_column(ForeignKey("sweeps.id"), index=True)
    found: Mapped[dt.date] = mapped_column(Date)
    source: Mapped[DisputeSource] = mapped_column(code(DisputeSource))
    category: Mapped[DisputeCategory] = mapped_column(code(DisputeCategory))
    summary: Mapped[str] = mapped_column(Text)
    parties: Mapped[str | None] = mapped_column(Text)
    people: Mapped[int] = mapped_column(Integer, default=2)
    risk: Mapped[Risk] = mapped_column(code(Risk), default=Risk.low)
    handler: Mapped[str] = mapped_column(String(100), index=True)
    lead: Mapped[str | None] = mapped_column(String(100))
    deadline: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[DisputeStatus] = mapped_column(code(DisputeStatus))
    resolved_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    method: Mapped[ResolutionMethod | None] = mapped_column(code(ResolutionMethod))
    result: Mapped[str | None] = mapped_column(Text)
    referred_to: Mapped[str | None] = mapped_column(String(200))
    referred_on: Mapped[dt.date | None] = mapped_column(Date)
    reviewed: Mapped[bool] = mapped_column(Boolean, default=False)
    # What the mediation prevented (防止民转刑, 防止群体性上访: 人民调解 statistics); 0009.
    # (A server default too: rows written by plain SQL, from before 0009 or by other tools.)
    prevented_criminal: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    prevented_group_petition: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    # The mediation agreement (人民调解法 Art. 28-29, 33), one per dispute: ledger/mediation.py.
    agreement_no: Mapped[str | None] = mapped_column(String(100))
    agreement_content: Mapped[str | None] = mapped_column(Text)
    agreement_amount: Mapped[float | None] = mapped_column(Numeric(14, 2))
    agreement_oral: Mapped[bool | None] = mapped_column(Boolean)
    agreed_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    performance_due: Mapped[dt.date | None] = mapped_column(Date)
    confirm_court: Mapped[str | None] = mapped_column(String(200))
    confirmed_on: Mapped[dt.date | None] = mapped_column(Date)

    notes: Mapped[list["DisputeNote"]] = relationship(
        order_by="(DisputeNote.date, DisputeNote.id)", back_populates="dispute"
    )
    followups: Mapped[list["DisputeFollowup"]] = relationship(
        order_by="(DisputeFollowup.date, DisputeFollowup.id)", back_populates="dispute"
    )


class DisputeNote(Base):
    """One dated entry of a dispute's own ledger (progress, status change, review...)."""

    __tablename__ = "dispute_notes"
    id: Mapped[int] = mapped_column(primary_key=True)
    dispute_id: Mapped[int] = mapped_column(ForeignKey("disputes.id"), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[NoteKind] = mapped_column(code(NoteKind))
    status: Mapped[DisputeStatus | None] = mapped_column(code(DisputeStatus))
    text: Mapped[str] = mapped_column(Text)
    operator: Mapped[str] = mapped_column(String(100))

    dispute: Mapped["Dispute"] = relationship(back_populates="notes")


class DisputeFollowup(Base):
    """A follow-up visit (回访) on whether a mediation agreement was carried out."""

    __tablename__ = "dispute_followups"
    id: Mapped[int] = mapped_column(primary_key=True)
    dispute_id: Mapped[int] = mapped_column(ForeignKey("disputes.id"), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    performed: Mapped[Performance] = mapped_column(code(Performance))
    note: Mapped[str] = mapped_column(Text)
    operator: Mapped[str] = mapped_column(String(100))

    dispute: Mapped["Dispute"] = relationship(back_populates="followups")


class Petition(OfSubject, Base):
    """A petition (信访): a visit, letter, online or hotline complaint."""

    __tablename__ = "petitions"
    __table_args__ = (Index("ix_petitions_village_date", "village_id", "date"),)
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    form: Mapped[PetitionForm] = mapped_column(code(PetitionForm))
    level: Mapped[Level] = mapped_column(code(Level))
    people: Mapped[int] = mapped_column(Integer, default=1)
    repeated: Mapped[bool] = mapped_column(Boolean, default=False)
    abnormal: Mapped[bool] = mapped_column(Boolean, default=False)
    summary: Mapped[str] = mapped_column(Text)
    dispute_id: Mapped[int | None] = mapped_column(ForeignKey("disputes.id"))
    handled_at_source: Mapped[bool] = mapped_column(Boolean, default=False)
    # Its petitioner (personal data, masked in output) and first handler (issue 16).
    petitioner: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(40))
    handler: Mapped[str | None] = mapped_column(String(100), index=True)
    # Its life under the 信访工作条例 (ledger/petition.py): each step's date, and each step's
    # deadline fixed on the day the step before it was taken (the settings of that day).
    accept_due: Mapped[dt.date | None] = mapped_column(Date)
    accepted_on: Mapped[dt.date | None] = mapped_column(Date)
    refused_on: Mapped[dt.date | None] = mapped_column(Date)
    refuse_reason: Mapped[str | None] = mapped_column(Text)
    reply_due: Mapped[dt.date | None] = mapped_column(Date)
    extended_on: Mapped[dt.date | None] = mapped_column(Date)
    extended_to: Mapped[dt.date | None] = mapped_column(Date)
    extend_reason: Mapped[str | None] = mapped_column(Text)
    extend_approved_by: Mapped[str | None] = mapped_column(String(100))
    replied_on: Mapped[dt.date | None] = mapped_column(Date)
    reply_note: Mapped[str | None] = mapped_column(Text)
    review_requested: Mapped[dt.date | None] = mapped_column(Date)
    review_due: Mapped[dt.date | None] = mapped_column(Date)
    review_decided: Mapped[dt.date | None] = mapped_column(Date)
    review_result: Mapped[str | None] = mapped_column(Text)
    recheck_requested: Mapped[dt.date | None] = mapped_column(Date)
    recheck_due: Mapped[dt.date | None] = mapped_column(Date)
    recheck_decided: Mapped[dt.date | None] = mapped_column(Date)
    recheck_result: Mapped[str | None] = mapped_column(Text)

    dispute: Mapped["Dispute | None"] = relationship()


class BacklogCase(InVillage, Base):
    """A backlog petition case assigned from above (信访积案): one ledger, one plan per case."""

    __tablename__ = "backlog_cases"
    assigned_by: Mapped[AssignedBy] = mapped_column(code(AssignedBy))
    assigned_on: Mapped[dt.date] = mapped_column(Date, index=True)
    petitioner: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    lead: Mapped[str] = mapped_column(String(100))
    unit: Mapped[str | None] = mapped_column(String(200))
    plan: Mapped[str] = mapped_column(Text)
    deadline: Mapped[dt.date] = mapped_column(Date)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    outcome: Mapped[BacklogOutcome | None] = mapped_column(code(BacklogOutcome))
    outcome_on: Mapped[dt.date | None] = mapped_column(Date)

    notes: Mapped[list["BacklogNote"]] = relationship(
        order_by="(BacklogNote.date, BacklogNote.id)", back_populates="case"
    )


class BacklogNote(Base):
    __tablename__ = "backlog_notes"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("backlog_cases.id"), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[NoteKind] = mapped_column(code(NoteKind))
    text: Mapped[str] = mapped_column(Text)
    operator: Mapped[str] = mapped_column(String(100))

    case: Mapped["BacklogCase"] = relationship(back_populates="notes")


class Hazard(OfSubject, Base):
    """A safety hazard (安全隐患), rectified (整改) and closed after a re-check (复查销号)."""

    town_indexed = False
    __tablename__ = "hazards"
    __table_args__ = (
        Index(
            "ix_hazards_village_found",
            "village_id",
            "found",
            "rectified_on",
            "closed_on",
            "deadline",
            "grade",
        ),
        Index("ix_hazards_town_found", "town_id", "found"),
        Index("ix_hazards_status_deadline", "status", "deadline"),
    )
    sweep_id: Mapped[int | None] = mapped_column(ForeignKey("sweeps.id"), index=True)
    found: Mapped[dt.date] = mapped_column(Date)
    area: Mapped[HazardArea] = mapped_column(code(HazardArea))
    grade: Mapped[HazardGrade] = mapped_column(code(HazardGrade), default=HazardGrade.general)
    location: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    measures: Mapped[str | None] = mapped_column(Text)
    responsible: Mapped[str] = mapped_column(String(200))
    deadline: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[HazardStatus] = mapped_column(code(HazardStatus))
    rectified_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    checked_by: Mapped[str | None] = mapped_column(String(100))


class Hotspot(InVillage, Base):
    """A public-order trouble spot (治安乱点)."""

    __tablename__ = "hotspots"
    found: Mapped[dt.date] = mapped_column(Date, index=True)
    description: Mapped[str] = mapped_column(Text)
    measures: Mapped[str | None] = mapped_column(Text)
    rectified_on: Mapped[dt.date | None] = mapped_column(Date)


class Patrol(Record, Base):
    """A logged patrol (治安巡逻). Its villages are in patrol_villages."""

    town_indexed = False
    __tablename__ = "patrols"
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    start: Mapped[dt.time | None] = mapped_column(Time)
    end: Mapped[dt.time | None] = mapped_column(Time)
    minutes: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[PatrolKind] = mapped_column(code(PatrolKind), default=PatrolKind.routine)
    team: Mapped[TeamKind] = mapped_column(code(TeamKind))
    leader: Mapped[str] = mapped_column(String(100))
    people: Mapped[int] = mapped_column(Integer)
    route: Mapped[str | None] = mapped_column(Text)
    findings: Mapped[str | None] = mapped_column(Text)
    action: Mapped[str | None] = mapped_column(Text)
    to_police: Mapped[bool] = mapped_column(Boolean, default=False)
    hotspot_id: Mapped[int | None] = mapped_column(ForeignKey("hotspots.id"))
    dispute_id: Mapped[int | None] = mapped_column(ForeignKey("disputes.id"))
    hazard_id: Mapped[int | None] = mapped_column(ForeignKey("hazards.id"))

    villages: Mapped[list["Subject"]] = relationship(secondary="patrol_villages")
    hotspot: Mapped["Hotspot | None"] = relationship()

    __table_args__ = (Index("ix_patrols_town_date", "town_id", "date"),)


class PatrolVillage(Base):
    __tablename__ = "patrol_villages"
    patrol_id: Mapped[int] = mapped_column(ForeignKey("patrols.id"), primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), primary_key=True, index=True)


class Case(OfSubject, Base):
    """A criminal or administrative (治安) case (案件)."""

    __tablename__ = "cases"
    __table_args__ = (Index("ix_cases_village_date", "village_id", "date"),)
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    kind: Mapped[CaseKind] = mapped_column(code(CaseKind))
    offence: Mapped[str | None] = mapped_column(String(200))
    major: Mapped[bool] = mapped_column(Boolean, default=False)
    summary: Mapped[str] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(100))


class Accident(OfSubject, Base):
    """A safety accident (事故)."""

    __tablename__ = "accidents"
    __table_args__ = (Index("ix_accidents_village_date", "village_id", "date"),)
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    kind: Mapped[AccidentKind] = mapped_column(code(AccidentKind))
    deaths: Mapped[int] = mapped_column(Integer, default=0)
    serious_injuries: Mapped[int] = mapped_column(Integer, default=0)
    injuries: Mapped[int] = mapped_column(Integer, default=0)
    loss: Mapped[float] = mapped_column(Numeric(14, 2), default=0)
    summary: Mapped[str] = mapped_column(Text)


class Person(InVillage, Base):
    """A key person (重点人员). Sensitive personal information: masked unless revealed."""

    __tablename__ = "persons"
    category: Mapped[PersonCategory] = mapped_column(code(PersonCategory))
    name: Mapped[str] = mapped_column(String(100))
    sex: Mapped[Sex | None] = mapped_column(code(Sex))
    id_number: Mapped[str] = mapped_column(String(18), unique=True)
    phone: Mapped[str | None] = mapped_column(String(40))
    address: Mapped[str | None] = mapped_column(String(200))
    risk: Mapped[int] = mapped_column(Integer, default=1)
    guardian: Mapped[str | None] = mapped_column(String(200))
    cadre: Mapped[str | None] = mapped_column(String(100))
    listed: Mapped[dt.date] = mapped_column(Date)
    # The listing term (migration 0009): from release (安置帮教), from the start of 社区戒毒 or
    # 社区矫正; an explicit end (a 社区矫正 term ends with the sentence). ledger/person.py.
    term_from: Mapped[dt.date | None] = mapped_column(Date)
    term_end: Mapped[dt.date | None] = mapped_column(Date)
    delisted: Mapped[dt.date | None] = mapped_column(Date)
    delist_reason: Mapped[str | None] = mapped_column(Text)
    last_visit: Mapped[dt.date | None] = mapped_column(Date)

    visits: Mapped[list["Visit"]] = relationship(
        order_by="(Visit.date, Visit.id)", back_populates="person"
    )


class Visit(Base):
    """A visit (走访) to a key person."""

    __tablename__ = "person_visits"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    by: Mapped[str] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)

    person: Mapped["Person"] = relationship(back_populates="visits")


class Inspection(Base):
    """A supervision visit (督导检查) to a subject."""

    __tablename__ = "inspections"
    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    inspector: Mapped[str] = mapped_column(String(100))
    findings: Mapped[str | None] = mapped_column(Text)
    score: Mapped[int | None] = mapped_column(Integer)
    rectification: Mapped[str | None] = mapped_column(Text)


class BulletinSent(Base):
    """A village's bulletin of one day, delivered to its robot: sent once per village and day."""

    __tablename__ = "bulletins_sent"
    __table_args__ = (UniqueConstraint("village_id", "day", name="uq_bulletins_sent_village_day"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"))
    day: Mapped[dt.date] = mapped_column(Date)
    sent_at: Mapped[dt.datetime] = mapped_column(DateTime)


class AppraisalSheet(Base):
    """An appraisal score sheet (考评表) as imported: a town's (town_id) or the county's (none).
    The current sheet of a town is its latest import, else the county's latest, else the one
    sanling ships (reports/appraisal.py)."""

    __tablename__ = "appraisal_sheets"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    town_id: Mapped[int | None] = mapped_column(ForeignKey("towns.id"), index=True)
    imported_on: Mapped[dt.date] = mapped_column(Date)
    source: Mapped[str | None] = mapped_column(String(200))  # the file's name
    operator: Mapped[str] = mapped_column(String(100))

    items: Mapped[list["AppraisalItem"]] = relationship(
        order_by="AppraisalItem.position", back_populates="sheet"
    )


class AppraisalItem(Base):
    """One line of a sheet: an item with its points (a veto item has none)."""

    __tablename__ = "appraisal_items"
    __table_args__ = (UniqueConstraint("sheet_id", "key", name="uq_appraisal_items_sheet_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("appraisal_sheets.id"))
    position: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(40))
    section: Mapped[str | None] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(Text)
    points: Mapped[float | None] = mapped_column(Numeric(5, 1))
    body: Mapped[str | None] = mapped_column(String(100))  # who scores it 评分单位
    rule: Mapped[AppraisalRule | None] = mapped_column(code(AppraisalRule))
    veto: Mapped[VetoRule | None] = mapped_column(code(VetoRule))
    source: Mapped[str | None] = mapped_column(Text)  # where the item comes from

    sheet: Mapped["AppraisalSheet"] = relationship(back_populates="items")


class AppraisalScore(Base):
    """A subject's points on one item in one quarter, given by the body that scores it; a
    later score of the same item and quarter replaces this one (audited)."""

    __tablename__ = "appraisal_scores"
    __table_args__ = (
        UniqueConstraint(
            "subject_id", "year", "quarter", "item", name="uq_appraisal_scores_subject_id"
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"))
    year: Mapped[int] = mapped_column(Integer)
    quarter: Mapped[int] = mapped_column(Integer)
    item: Mapped[str] = mapped_column(String(40))
    points: Mapped[float] = mapped_column(Numeric(5, 1))
    note: Mapped[str | None] = mapped_column(Text)
    scored_on: Mapped[dt.date] = mapped_column(Date)
    operator: Mapped[str] = mapped_column(String(100))


class Staff(Base):
    """A member of the town's staff (工作人员): a handler that reminders can @-mention.

    The phone is personal data: masked in every output and in the audit log. A member taken
    off the roster is kept (retired), so the audit trail and past reminders still name them.
    """

    __tablename__ = "staff"
    __table_args__ = (UniqueConstraint("town_id", "name", name="uq_staff_town_id_name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    town_id: Mapped[int] = mapped_column(ForeignKey("towns.id"))
    name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str] = mapped_column(String(40))
    role: Mapped[str | None] = mapped_column(String(100))
    village_id: Mapped[int | None] = mapped_column(ForeignKey("subjects.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    retired_on: Mapped[dt.date | None] = mapped_column(Date)

    town: Mapped["Town"] = relationship()
    village: Mapped["Subject | None"] = relationship()


class ReminderSent(Base):
    """One item of one handler's reminder of one day, delivered to one robot: never twice."""

    __tablename__ = "reminders_sent"
    __table_args__ = (
        UniqueConstraint(
            "town_id",
            "day",
            "handler",
            "ref",
            "robot",
            name="uq_reminders_sent_town_id_day_handler_ref_robot",
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    town_id: Mapped[int] = mapped_column(ForeignKey("towns.id"))
    day: Mapped[dt.date] = mapped_column(Date)
    handler: Mapped[str] = mapped_column(String(200))
    ref: Mapped[str] = mapped_column(String(20))
    robot: Mapped[str] = mapped_column(String(16))  # a digest of the robot's URL, not the URL
    sent_at: Mapped[dt.datetime] = mapped_column(DateTime)


class SupervisionEvent(Base):
    """A supervision card (督办) given to a dispute, backlog case or hazard, or lifted: the
    record's latest event on or before a date says which card stood then (ledger/supervision)."""

    __tablename__ = "supervision"
    __table_args__ = (Index("ix_supervision_kind_record", "kind", "record_id", "date"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[Supervised] = mapped_column(code(Supervised))
    record_id: Mapped[int] = mapped_column(Integer)
    date: Mapped[dt.date] = mapped_column(Date)
    level: Mapped[CardLevel] = mapped_column(code(CardLevel))
    by: Mapped[str] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    lifted: Mapped[bool] = mapped_column(Boolean, default=False)
    operator: Mapped[str] = mapped_column(String(100))


class Extension(Base):
    """A deadline extension (延期) of a dispute, backlog case or hazard: the record's `deadline`
    is the extended one every rule reads; the first extension's `from_deadline` the original."""

    __tablename__ = "extensions"
    __table_args__ = (Index("ix_extensions_kind_record", "kind", "record_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[Supervised] = mapped_column(code(Supervised))
    record_id: Mapped[int] = mapped_column(Integer)
    date: Mapped[dt.date] = mapped_column(Date)
    from_deadline: Mapped[dt.date] = mapped_column(Date)
    to_deadline: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    approved_by: Mapped[str] = mapped_column(String(100))
    operator: Mapped[str] = mapped_column(String(100))


# Tables whose rows name a record by its kind and id (`record_id`, no foreign key): the table
# each kind's id is of. `sanling merge` and `db check` translate it like a foreign key.
BY_KIND: tuple[str, ...] = ("supervision", "extensions")
RECORD_TABLES: dict[str, str] = {
    Supervised.dispute: "disputes",
    Supervised.backlog: "backlog_cases",
    Supervised.hazard: "hazards",
}


# Tables whose rows carry a PREFIX-YYYY-NNNN reference, by prefix.
RECORD_MODELS: dict[str, type[Base]] = {
    "JF": Dispute,
    "XF": Petition,
    "JA": BacklogCase,
    "YH": Hazard,
    "XL": Patrol,
    "PC": Sweep,
    "LD": Hotspot,
    "AJ": Case,
    "SG": Accident,
    "ZD": Person,
}


for _model in RECORD_MODELS.values():
    _table: Any = _model.__table__
    _table.append_constraint(
        UniqueConstraint(_table.c.town_id, _table.c.ref, name=f"uq_{_table.name}_town_id_ref")
    )


# ---- towns merged from their own ledgers (issue 17, `sanling merge`) ----------------------
class MergedTown(Base):
    """A town whose records came from its own ledger by `sanling merge`: kept there, merged
    here again (a later copy adds what is new), never changed here."""

    __tablename__ = "merged_towns"
    town_id: Mapped[int] = mapped_column(ForeignKey("towns.id"), primary_key=True)
    source: Mapped[str] = mapped_column(Text)  # the file last merged, as named
    merged_at: Mapped[dt.datetime] = mapped_column(DateTime)
    entries: Mapped[int] = mapped_column(Integer)  # of its audit log, merged so far
    head: Mapped[str] = mapped_column(String(64))  # the hash of the last of them


class MergedEntry(Base):
    """An audit entry of a merged town's own ledger, exactly as written there (its hash chain
    verifies here as it did there); `seq` is its id in the town's ledger."""

    __tablename__ = "merged_audit_log"
    __table_args__ = (UniqueConstraint("town_id", "seq", name="uq_merged_audit_log_town_seq"),)
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    town_id: Mapped[int] = mapped_column(ForeignKey("towns.id"))
    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    operator: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))
    ref: Mapped[str | None] = mapped_column(String(40), index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class MergedRow(Base):
    """Which row of this ledger a merged town's row became (ids differ between the two):
    `source_id` in the town's ledger, `target_id` here."""

    __tablename__ = "merged_rows"
    town_id: Mapped[int] = mapped_column(ForeignKey("towns.id"), primary_key=True)
    table_name: Mapped[str] = mapped_column(String(40), primary_key=True)
    source_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    target_id: Mapped[int] = mapped_column(Integer)


# ---- voided records (issue 14) ----------------------------------------------------------
# The columns of a record's void stamp (作废): when, by whom, why.
VOID_COLUMNS = ("voided_at", "voided_by", "void_reason")
# The execution option (or Session.info key) that lets a statement see voided records:
# show, list --voided, db check, export and the audit's replay set it.
INCLUDE_VOIDED = "include_voided"
# Session.info key: the model whose voided records alone a `list --voided` shows.
ONLY_VOIDED = "only_voided"


@event.listens_for(Session, "do_orm_execute")
def _leave_out_voided(state: ORMExecuteState) -> None:
    """Every ORM SELECT leaves voided records out, in every entity, alias, join and subquery
    of the statement, unless it asks for them (`include_voided`). One rule for every figure,
    list, export and 三零 result, so no query can forget it. Statements on bare tables
    (`Model.__table__`) are Core, not ORM: the code counts through the mapped classes."""
    if not state.is_select or state.is_column_load or state.is_relationship_load:
        return
    only = state.session.info.get(ONLY_VOIDED)
    if only is not None:
        state.statement = state.statement.options(
            with_loader_criteria(only, lambda cls: cls.voided_at.is_not(None))
        )
        return
    if state.execution_options.get(INCLUDE_VOIDED) or state.session.info.get(INCLUDE_VOIDED):
        return
    state.statement = state.statement.options(
        with_loader_criteria(Record, lambda cls: cls.voided_at.is_(None), include_aliases=True)
    )
