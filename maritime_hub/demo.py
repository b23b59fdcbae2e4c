"""Demo data: Zhoushan fishing companies, coastal and distant-water vessels, Chinese,
Indonesian and Filipino crew, and one user per role. Deterministic and idempotent:
records are matched by natural keys (name, MMSI, document number, username)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session
from stdnum import imo as stdnum_imo
from stdnum.cn import ric

from crew import service as crew_service
from crew.models import CertificateType, DocumentType, IdentityDocument, Sex, WagePeriod
from crew.schemas import BoardingCreate, CertificateCreate, IdentityDocumentCreate, PersonCreate, WorkAgreementCreate
from crew.validation import age_on
from maritime_hub.audit.service import Actor
from maritime_hub.auth.models import Role, User
from maritime_hub.auth.schemas import UserCreate
from maritime_hub.auth.service import create_user
from maritime_hub.orgs import service as org_service
from maritime_hub.orgs.models import Organisation, OrgKind
from maritime_hub.orgs.schemas import OrganisationCreate
from mediation.cases.enums import DisputeType
from mediation.dispatch import service as dispatch_service
from mediation.dispatch.models import MediatorKind
from mediation.dispatch.repository import DispatchRepository
from mediation.dispatch.schemas import ProfileCreate
from vessels import service as vessel_service
from vessels.models import Vessel, VesselType
from vessels.schemas import VesselCreate

DEMO_PASSWORD = "demo-pass-2026"
ACTOR = Actor(user_id=None, username="demo-loader")
TODAY = date(2026, 11, 23)

ORGS = [
    (
        "普陀区海上矛盾纠纷调解委员会",
        "Putuo Maritime Dispute Mediation Committee",
        OrgKind.mediation_committee,
        "舟普海调",
    ),
    ("普陀区海上融治理中心", "Putuo Maritime Integrated Governance Centre", OrgKind.mediation_centre, "舟普海融"),
    ("舟山市普陀区海洋与渔业局", "Putuo Ocean and Fishery Bureau", OrgKind.fishery_bureau, None),
    ("宁波海事法院", "Ningbo Maritime Court", OrgKind.maritime_court, "浙72"),
    ("舟山普远远洋渔业有限公司", "Zhoushan Puyuan Distant-Water Fishery Co., Ltd.", OrgKind.company, None),
    ("舟山海星渔业有限公司", "Zhoushan Haixing Fishery Co., Ltd.", OrgKind.company, None),
    ("岱山县东海捕捞专业合作社", "Daishan Donghai Fishing Cooperative", OrgKind.company, None),
    ("嵊泗县和兴渔业有限公司", "Shengsi Hexing Fishery Co., Ltd.", OrgKind.company, None),
    ("舟山远航船员服务有限公司", "Zhoushan Yuanhang Crew Services Co., Ltd.", OrgKind.manning_agency, None),
    ("PT Samudra Bahari Nusantara", "PT Samudra Bahari Nusantara", OrgKind.manning_agency, None),
    ("Visayas Seafarers Manning Inc.", "Visayas Seafarers Manning Inc.", OrgKind.manning_agency, None),
]
ORG_COUNTRY = {"PT Samudra Bahari Nusantara": "ID", "Visayas Seafarers Manning Inc.": "PH"}

USERS = [
    ("admin", "系统管理员", [Role.admin], "普陀区海上融治理中心"),
    ("coordinator", "林晓燕", [Role.coordinator], "普陀区海上矛盾纠纷调解委员会"),
    ("director", "郑海平 (调委会主任)", [Role.coordinator], "普陀区海上矛盾纠纷调解委员会"),
    ("mediator", "王阿毛 (海上老娘舅)", [Role.mediator], "普陀区海上矛盾纠纷调解委员会"),
    ("mediator2", "陈国平 (海上老娘舅)", [Role.mediator], "普陀区海上矛盾纠纷调解委员会"),
    ("auditor", "张海华", [Role.fishery_auditor], "舟山市普陀区海洋与渔业局"),
    ("clerk", "周倩", [Role.court_clerk], "宁波海事法院"),
    ("judge", "李明远", [Role.judge], "宁波海事法院"),
    ("party", "Agus Santoso", [Role.party], None),
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = [
    "海军",
    "建国",
    "国华",
    "志强",
    "永康",
    "海涛",
    "明辉",
    "伟东",
    "立新",
    "春生",
    "阿福",
    "水根",
    "金宝",
    "小龙",
    "文斌",
    "德明",
    "长青",
    "兴旺",
    "家福",
    "振海",
]
ID_NAMES = [
    "Agus Santoso",
    "Budi Hartono",
    "Dedi Kurniawan",
    "Eko Prasetyo",
    "Fajar Nugroho",
    "Hendra Wijaya",
    "Irfan Maulana",
    "Joko Susilo",
    "Rudi Hermawan",
    "Slamet Riyadi",
    "Taufik Hidayat",
    "Wahyu Saputra",
    "Yusuf Rahman",
    "Andi Setiawan",
    "Bambang Sutrisno",
    "Dimas Pratama",
    "Gilang Ramadhan",
    "Heru Purnomo",
    "Imam Syafii",
    "Rizky Firmansyah",
]
PH_NAMES = [
    "Juan dela Cruz",
    "Jose Santos",
    "Mark Anthony Reyes",
    "Ramon Bautista",
    "Rogelio Villanueva",
    "Edgardo Mendoza",
    "Arnel Garcia",
    "Romeo Aquino",
    "Danilo Ramos",
    "Ferdinand Castillo",
    "Noel Fernandez",
    "Rodel Navarro",
    "Jun Flores",
    "Ariel Torres",
    "Ricky Gonzales",
]
# Ranks a demo person may hold, by the youngest age at which the demo gives them (officers from 21:
# a 职务船员证书 follows years as a rating; C188 Art 9: nobody aboard under 16, no one under 18 in
# hazardous work, so a minor is only ever a 普通船员).
OFFICERS = {"大副", "轮机员"}
RANK_MIN_AGE = {"大副": 25, "轮机员": 21, "鱿钓手": 18, "厨师": 18, "普通船员": 16}
# Certificates are issued from 18 in the demo (the legal floor is 16: only the AGE-01 case, 17 today, holds one
# issued before 18).
CERTIFICATE_MIN_AGE = 18
REGIONS = ["330903", "330902", "330921", "330922", "330226", "331081", "411503", "510129", "350128", "430524"]
PORTS = ["沈家门", "舟山", "岱山", "嵊泗", "石浦", "宁波"]


def _imo(rng: random.Random) -> str:
    while True:
        base = str(rng.randint(900000, 999999))
        for d in "0123456789":
            try:
                return stdnum_imo.validate(base + d)
            except Exception:  # noqa: BLE001 - try the next check digit
                continue


def _resident_id(rng: random.Random, dob: date) -> str:
    body = rng.choice(REGIONS) + dob.strftime("%Y%m%d") + f"{rng.randint(0, 999):03d}"
    return body + ric.calc_check_digit(body + "0")


def _orgs(session: Session) -> dict[str, Organisation]:
    out = {}
    for name, name_en, kind, code in ORGS:
        org = session.scalar(select(Organisation).where(Organisation.name == name))
        if org is None:
            org = org_service.create(
                session,
                ACTOR,
                OrganisationCreate(
                    name=name,
                    name_en=name_en,
                    kind=kind,
                    code=code,
                    country=ORG_COUNTRY.get(name, "CN"),
                    address=None if name in ORG_COUNTRY else "浙江省舟山市普陀区",
                ),
            )
        out[name] = org
    return out


def _users(session: Session, orgs: dict[str, Organisation]) -> int:
    made = 0
    for username, display, roles, org in USERS:
        if session.scalar(select(User).where(User.username == username)) is None:
            create_user(
                session,
                ACTOR,
                UserCreate(
                    username=username,
                    display_name=display,
                    password=DEMO_PASSWORD,
                    roles=roles,
                    organisation_id=orgs[org].id if org else None,
                ),
            )
            made += 1
    # 超时督办: the committee's director supervises the window coordinator (escalations go to her boss).
    coordinator = session.scalar(select(User).where(User.username == "coordinator"))
    director = session.scalar(select(User).where(User.username == "director"))
    if coordinator is not None and director is not None and coordinator.supervisor_id is None:
        coordinator.supervisor_id = director.id
    return made


def _vessels(session: Session, rng: random.Random, orgs: dict[str, Organisation]) -> list[Vessel]:
    puyuan = orgs["舟山普远远洋渔业有限公司"]
    coastal_owners = [orgs[n] for n in ("舟山海星渔业有限公司", "岱山县东海捕捞专业合作社", "嵊泗县和兴渔业有限公司")]
    specs = []
    # Distant-water fleet: squid jiggers in the South-East Pacific and a support vessel (浙普远98).
    for no in [91, 92, 93, 95, 96, 97, 99, 101, 102]:
        specs.append(
            dict(
                name_zh=f"浙普远{no}",
                name_en=f"ZHE PU YUAN {no}",
                vessel_type=VesselType.squid_jigger,
                distant_water=True,
                owner_id=puyuan.id,
                port_of_registry="舟山",
                length_overall_m=Decimal(rng.choice([55, 62, 66, 70])),
                gross_tonnage=Decimal(rng.choice([680, 799, 900, 1050])),
                engine_power_kw=Decimal(rng.choice([882, 1100, 1323])),
                approved_crew_size=rng.choice([28, 32, 36]),
                build_year=rng.randint(2012, 2021),
            )
        )
    specs.append(
        dict(
            name_zh="浙普远98",
            name_en="ZHE PU YUAN 98",
            vessel_type=VesselType.support_vessel,
            distant_water=True,
            owner_id=puyuan.id,
            port_of_registry="舟山",
            length_overall_m=Decimal("86.5"),
            gross_tonnage=Decimal("3380"),
            engine_power_kw=Decimal("2400"),
            approved_crew_size=40,
            build_year=2019,
            notes="海上共享法庭 video link to mediators and the maritime court",
        )
    )
    specs.append(
        dict(
            name_zh="浙普远冷1",
            name_en="ZHE PU YUAN LENG 1",
            vessel_type=VesselType.carrier_reefer,
            distant_water=True,
            owner_id=puyuan.id,
            port_of_registry="舟山",
            length_overall_m=Decimal("98"),
            gross_tonnage=Decimal("4200"),
            engine_power_kw=Decimal("2940"),
            approved_crew_size=22,
            build_year=2016,
        )
    )
    prefixes = {
        "舟山海星渔业有限公司": ("浙普渔", "沈家门"),
        "岱山县东海捕捞专业合作社": ("浙岱渔", "岱山"),
        "嵊泗县和兴渔业有限公司": ("浙嵊渔", "嵊泗"),
    }
    kinds = [
        VesselType.trawler,
        VesselType.trawler,
        VesselType.gillnetter,
        VesselType.purse_seiner,
        VesselType.longliner,
    ]
    for i in range(14):
        owner = coastal_owners[i % 3]
        prefix, port = prefixes[owner.name]
        no = rng.randint(10000, 69999)
        specs.append(
            dict(
                name_zh=f"{prefix}{no:05d}",
                name_en=f"ZHE {'PU' if prefix == '浙普渔' else 'DAI' if prefix == '浙岱渔' else 'SHENG'} YU {no:05d}",
                vessel_type=kinds[i % len(kinds)],
                distant_water=False,
                owner_id=owner.id,
                port_of_registry=port,
                length_overall_m=Decimal(rng.randint(28, 45)),
                gross_tonnage=Decimal(rng.randint(150, 480)),
                engine_power_kw=Decimal(rng.randint(200, 600)),
                approved_crew_size=rng.randint(8, 18),
                build_year=rng.randint(2005, 2022),
            )
        )
    out = []
    for n, spec in enumerate(specs):
        mmsi = f"41{2 + n % 3}{440000 + n * 137:06d}"
        vessel = session.scalar(select(Vessel).where(Vessel.mmsi == mmsi))
        if vessel is None:
            spec |= dict(
                mmsi=mmsi,
                call_sign=f"B{chr(65 + n % 26)}{chr(65 + (n * 7) % 26)}{n:02d}"[:7],
                flag_state="CN",
                registration_number=f"船登(籍)(2016)ZJ-{300000 + n * 11}",
                fishing_licence_number=f"(浙舟)船捕(2026)HY-{4000 + n}",
            )
            if spec["distant_water"]:
                spec["imo"] = _imo(random.Random(n))
            vessel = vessel_service.create(session, ACTOR, VesselCreate(**spec))
        out.append(vessel)
    return out


def _birthday(dob: date, years: int) -> date:
    """The day a person born on ``dob`` turns ``years`` (29 February → 1 March)."""
    try:
        return dob.replace(year=dob.year + years)
    except ValueError:
        return date(dob.year + years, 3, 1)


def _person_exists(session: Session, number: str) -> bool:
    return session.scalar(select(IdentityDocument.id).where(IdentityDocument.number == number)) is not None


def _crew(session: Session, rng: random.Random, orgs: dict[str, Organisation], vessels: list[Vessel]) -> int:
    made = 0
    distant = [v for v in vessels if v.distant_water]
    coastal = [v for v in vessels if not v.distant_water]
    agencies = {
        "ID": orgs["PT Samudra Bahari Nusantara"],
        "PH": orgs["Visayas Seafarers Manning Inc."],
        "CN": orgs["舟山远航船员服务有限公司"],
    }
    people = []
    for _ in range(70):
        dob = date(rng.randint(1968, 2004), rng.randint(1, 12), rng.randint(1, 28))
        people.append(("CN", rng.choice(SURNAMES) + rng.choice(GIVEN), None, dob, ["zh"]))
    # One 17-year-old so the AGE-01 warning (H: under 18) shows in the demo; he is a 普通船员 and went aboard at 16.
    people.append(("CN", "陈小海", "Chen Xiaohai", date(2009, 3, 14), ["zh"]))
    for name in ID_NAMES:
        people.append(("ID", name, name, date(rng.randint(1975, 2003), rng.randint(1, 12), rng.randint(1, 28)), ["id"]))
    for name in PH_NAMES:
        people.append(
            ("PH", name, name, date(rng.randint(1972, 2002), rng.randint(1, 12), rng.randint(1, 28)), ["tl", "en"])
        )
    for idx, (nat, name, latin, dob, langs) in enumerate(people):
        # One generator per person: skipping an existing person must not shift the others.
        rng = random.Random(10_000 + idx)
        if nat == "CN":
            doc = IdentityDocumentCreate(
                doc_type=DocumentType.resident_id, number=_resident_id(rng, dob), issuing_country="CN"
            )
        else:
            doc = IdentityDocumentCreate(
                doc_type=DocumentType.passport,
                number=f"{'C' if nat == 'ID' else 'P'}{rng.randint(1000000, 9999999)}{'A' if nat == 'PH' else ''}",
                issuing_country=nat,
                expiry_date=date(rng.randint(2027, 2032), rng.randint(1, 12), 1),
            )
        if _person_exists(session, doc.number):
            continue
        person = crew_service.create_person(
            session,
            ACTOR,
            PersonCreate(
                name=name,
                name_latin=latin,
                sex=Sex.male,
                date_of_birth=dob,
                nationality=nat,
                languages=langs,
                documents=[doc],
                phone=f"13{rng.randint(100000000, 999999999)}" if nat == "CN" else None,
                emergency_contact_name=("家属" if nat == "CN" else "Family"),
                emergency_contact_relation=rng.choice(["妻子", "父亲", "母亲"]) if nat == "CN" else "spouse",
                emergency_contact_phone=f"15{rng.randint(100000000, 999999999)}"
                if nat == "CN"
                else f"+{62 if nat == 'ID' else 63}8{rng.randint(100000000, 999999999)}",
                family_address="浙江省舟山市普陀区沈家门街道"
                if nat == "CN"
                else ("Tegal, Jawa Tengah" if nat == "ID" else "Iloilo City, Western Visayas"),
            ),
        )
        made += 1
        on_distant = nat != "CN" or idx % 2 == 0
        vessel = distant[idx % len(distant)] if on_distant else coastal[idx % len(coastal)]
        # Certificates: some expired or expiring so the flags show. Five years' validity, issued when the
        # holder was an adult (a minor's at 16, the legal floor): a later issue moves the expiry with it.
        expiry = TODAY + timedelta(days=rng.choice([-40, 12, 25, 200, 400, 700]))
        issued = expiry - timedelta(days=5 * 365)
        earliest = _birthday(dob, CERTIFICATE_MIN_AGE if age_on(dob, TODAY) >= CERTIFICATE_MIN_AGE else 16)
        if issued < earliest:
            issued = earliest + timedelta(days=7)
            expiry = issued + timedelta(days=5 * 365)
        start = TODAY - timedelta(days=rng.randint(60, 500))
        position = rng.choice(["普通船员", "鱿钓手", "轮机员", "大副", "厨师"]) if nat == "CN" else "deckhand"
        if nat == "CN" and age_on(dob, start) < RANK_MIN_AGE[position]:
            position = "普通船员"
        # Nobody goes aboard before the certificate is issued, nor under 16 (C188 Art 9).
        start = max(start, issued, _birthday(dob, 16))
        crew_service.add_certificate(
            session,
            ACTOR,
            person.id,
            CertificateCreate(
                cert_type=CertificateType.fisher_officer if position in OFFICERS else CertificateType.fisher_general,
                number=f"{2200000 + idx}",
                issuer="浙江省渔业船员管理机构"
                if nat == "CN"
                else "MARINA"
                if nat == "PH"
                else "Kementerian Kelautan dan Perikanan",
                issue_date=issued,
                expiry_date=expiry,
            ),
        )
        crew_service.add_certificate(
            session,
            ACTOR,
            person.id,
            CertificateCreate(
                cert_type=CertificateType.medical,
                issuer="舟山市普陀区人民医院",
                issue_date=TODAY - timedelta(days=200),
                expiry_date=TODAY + timedelta(days=rng.choice([-5, 20, 165, 300])),
            ),
        )
        employer = agencies[nat] if nat != "CN" else (orgs["舟山普远远洋渔业有限公司"] if on_distant else None)
        crew_service.add_agreement(
            session,
            ACTOR,
            person.id,
            WorkAgreementCreate(
                employer_id=(employer.id if employer else vessel.owner_id),
                vessel_id=vessel.id,
                position=position,
                wage_amount=Decimal(rng.choice([6000, 7500, 9000, 12000]))
                if nat == "CN"
                else Decimal(rng.choice([350, 400, 450])),
                wage_currency="CNY" if nat == "CN" else "USD",
                wage_period=WagePeriod.month,
                start_date=start,
                end_date=start + timedelta(days=730),
                language="zh" if nat == "CN" else ("id" if nat == "ID" else "en"),
                copy_on_board=rng.random() > 0.2,
                signed_at_place="舟山" if nat == "CN" else ("Tegal" if nat == "ID" else "Manila"),
            ),
        )
        crew_service.add_boarding(
            session,
            ACTOR,
            person.id,
            BoardingCreate(
                vessel_id=vessel.id,
                position=position,
                embark_date=start + timedelta(days=3),
                embark_port="沈家门"
                if vessel.distant_water is False or nat == "CN"
                else rng.choice(["Busan", "Port Louis", "Callao"]),
            ),
        )
    return made


def load(session: Session) -> dict[str, int]:
    rng = random.Random(2026)
    orgs = _orgs(session)
    users = _users(session, orgs)
    vessels = _vessels(session, rng, orgs)
    crew = _crew(session, random.Random(7), orgs, vessels)
    session.flush()
    __import__("maritime_hub.demo_cases").demo_cases.load(session)  # dispute cases for the board and statistics
    # After the cases: the profiles are what 选单与派单 ranks; their ratings come from the cases' parties.
    profiles = _mediator_profiles(session)
    return {
        "organisations": len(orgs),
        "users created": users,
        "vessels": len(vessels),
        "crew created": crew,
        "mediator profiles created": profiles,
    }


# The demo's two sea elders (海上老娘舅), as a committee would record them: languages, home ports, the
# fishing grounds they know, the disputes they are best at, and how many cases they take at once.
MEDIATOR_PROFILES = {
    "mediator": dict(
        kind=MediatorKind.sea_elder,
        languages=["zh"],
        home_ports=["沈家门", "普陀"],
        sea_areas=["舟山渔场"],
        max_load=10,
        specialties=[DisputeType.wage_dispute, DisputeType.gear_damage, DisputeType.fishing_ground_conflict],
    ),
    "mediator2": dict(
        kind=MediatorKind.gold_medal,
        languages=["zh", "en"],
        home_ports=["沈家门", "岱山"],
        sea_areas=["舟山渔场", "东南太平洋"],
        max_load=12,
        specialties=[DisputeType.collision, DisputeType.personal_injury_at_sea, DisputeType.crew_service_contract],
    ),
}


def _mediator_profiles(session: Session) -> int:
    made = 0
    repo = DispatchRepository(session)
    for username, fields in MEDIATOR_PROFILES.items():
        user = session.scalar(select(User).where(User.username == username))
        if user is None or repo.profile(user.id) is not None:
            continue
        dispatch_service.create_profile(session, ACTOR, ProfileCreate(user_id=user.id, **fields))
        made += 1
    return made
