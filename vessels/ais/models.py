"""AIS storage: positions partitioned by week, sources, per-chunk ingest progress, quarantine."""

from __future__ import annotations

from datetime import datetime

from geoalchemy2 import Geometry
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from maritime_hub.db.base import Base, utcnow

# Positions are written with binary COPY, never through the ORM; this Table is for queries.
# Partitioned by RANGE (ts), one partition per ISO week (created on demand, see partitions.py).
# The unique key (mmsi, ts, lon, lat) is the dedup key and also serves (mmsi, ts) range scans.
ais_position = Table(
    "ais_position",
    Base.metadata,
    Column("mmsi", Integer, nullable=False),
    Column("ts", DateTime(timezone=True), nullable=False),
    Column("lon", Float, nullable=False),
    Column("lat", Float, nullable=False),
    Column("geom", Geometry("POINT", srid=4326, spatial_index=False), nullable=False),
    Column("sog", Float),
    Column("cog", Float),
    Column("heading", SmallInteger),
    Column("nav_status", SmallInteger),
    Column("msg_type", SmallInteger, nullable=False),
    Column("source_id", Integer, nullable=False),
    info={"partitioned": True},
)


class AisSource(Base):
    __tablename__ = "ais_source"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(10), default="file")  # file | tcp | udp
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), default=utcnow)
    last_message_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    messages: Mapped[int] = mapped_column(BigInteger, default=0)
    positions: Mapped[int] = mapped_column(BigInteger, default=0)
    quarantined: Mapped[int] = mapped_column(BigInteger, default=0)


class AisIngestProgress(Base):
    """Where a file ingest got to, per chunk: committed in the same transaction as the rows."""

    __tablename__ = "ais_ingest_progress"
    __table_args__ = (UniqueConstraint("source_id", "file_sha256", "chunk_start", name="uq_ais_progress_chunk"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("ais_source.id", ondelete="CASCADE"))
    file_sha256: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(String(400))
    chunk_start: Mapped[int] = mapped_column(BigInteger)  # byte offset
    chunk_end: Mapped[int] = mapped_column(BigInteger)
    committed_offset: Mapped[int] = mapped_column(BigInteger)  # resume here
    committed_line: Mapped[int] = mapped_column(Integer)  # physical line number reached
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), default=utcnow)


class AisQuarantine(Base):
    __tablename__ = "ais_quarantine"
    __table_args__ = (UniqueConstraint("source_id", "file_sha256", "line_no", name="uq_ais_quarantine_line"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("ais_source.id", ondelete="CASCADE"), index=True)
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    line_no: Mapped[int | None] = mapped_column(Integer)
    raw: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(String(200))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), default=utcnow)


class AisEvidence(Base):
    """A frozen AIS analysis (track, CPA, gaps) for a case file: never updated or deleted
    (trigger), and its SHA-256 is over the canonical JSON of everything it states."""

    __tablename__ = "ais_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # track | cpa | gaps
    params: Mapped[dict] = mapped_column(JSONB)
    result: Mapped[dict] = mapped_column(JSONB)  # GeoJSON FeatureCollection with the figures in properties
    sources: Mapped[list] = mapped_column(JSONB)  # [{source, file_name, file_sha256}]
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    svg: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), default=utcnow)
    created_by: Mapped[int | None] = mapped_column(Integer)
