"""Display labels for enum values (translated with the catalogues)."""

from maritime_hub.auth.roles import ROLE_NAMES
from maritime_hub.web.i18n import N_

LABELS = {
    # vessel types
    "trawler": N_("Trawler"),
    "purse_seiner": N_("Purse seiner"),
    "longliner": N_("Longliner"),
    "squid_jigger": N_("Squid jigger"),
    "gillnetter": N_("Gillnetter"),
    "carrier_reefer": N_("Carrier / reefer"),
    "support_vessel": N_("Support vessel"),
    "other": N_("Other"),
    # vessel status
    "active": N_("Active"),
    "laid_up": N_("Laid up"),
    "scrapped": N_("Scrapped"),
    **ROLE_NAMES,
    # sex
    "male": N_("Male"),
    "female": N_("Female"),
    # documents and certificates
    "resident_id": N_("Resident ID card"),
    "passport": N_("Passport"),
    "seafarer_passport": N_("Seafarer's passport"),
    "seafarer_id": N_("Seafarer's identity document"),
    "fisher_general": N_("Fishing vessel crew certificate"),
    "fisher_officer": N_("Fishing vessel officer certificate"),
    "medical": N_("Medical certificate"),
    "safety_training": N_("Safety training certificate"),
    # certificate status
    "valid": N_("Valid"),
    "expiring": N_("Expiring soon"),
    "expired": N_("Expired"),
    "no_expiry": N_("No expiry date"),
    # wage periods
    "month": N_("per month"),
    "voyage": N_("per voyage"),
    "year": N_("per year"),
    "day": N_("per day"),
    "share": N_("share of catch"),
    # dispute types (mediation/cases/enums.py DisputeType)
    "wage_dispute": N_("Wage dispute"),
    "crew_service_contract": N_("Crew service contract dispute"),
    "personal_injury_at_sea": N_("Personal injury at sea"),
    "collision": N_("Collision"),
    "gear_damage": N_("Fishing gear damage"),
    "fishing_ground_conflict": N_("Fishing ground conflict"),
    "fishery_contract": N_("Fishery production contract dispute"),
    # mediator kinds (mediation/dispatch/models.py MediatorKind)
    "sea_elder": N_("Sea elder (海上老娘舅)"),
    "invited": N_("Invited mediator"),
    "gold_medal": N_("Gold-medal mediator"),
    # organisation kinds
    "mediation_committee": N_("Mediation committee"),
    "mediation_centre": N_("Mediation centre"),
    "fishery_bureau": N_("Fishery bureau"),
    "maritime_court": N_("Maritime court"),
    "company": N_("Company"),
    "manning_agency": N_("Manning agency"),
}

# Fields compared by vessels.service.ais_differences (the vessel page's "where AIS and the registry disagree").
AIS_DIFFERENCE_FIELDS = {
    "name": N_("Vessel name"),
    "call_sign": N_("Call sign"),
    "imo": N_("IMO number"),
    "length_m": N_("Length (m)"),
}

# AIS ship and cargo type (ITU-R M.1371-5, Table 53): the first digit is the kind of ship for
# 20-29 and 40-99, the second the hazardous-cargo category; 30-39 and 50-59 are one kind each.
AIS_SHIP_TYPES = {
    0: N_("Not available"),
    30: N_("Fishing"),
    31: N_("Towing"),
    32: N_("Towing (over 200 m long or 25 m wide)"),
    33: N_("Dredging or underwater operations"),
    34: N_("Diving operations"),
    35: N_("Military operations"),
    36: N_("Sailing"),
    37: N_("Pleasure craft"),
    50: N_("Pilot vessel"),
    51: N_("Search and rescue vessel"),
    52: N_("Tug"),
    53: N_("Port tender"),
    54: N_("Anti-pollution vessel"),
    55: N_("Law enforcement vessel"),
    56: N_("Local vessel"),
    57: N_("Local vessel"),
    58: N_("Medical transport"),
    59: N_("Non-combatant ship (RR Resolution 18)"),
}
AIS_SHIP_TYPE_DECADES = {
    2: N_("Wing in ground craft"),
    4: N_("High-speed craft"),
    6: N_("Passenger ship"),
    7: N_("Cargo ship"),
    8: N_("Tanker"),
    9: N_("Other type"),
}


def ais_ship_type(code: int | None) -> str | None:
    """The message id naming an AIS ship type code (translate where shown); None when not sent."""
    if code is None:
        return None
    if code in AIS_SHIP_TYPES:
        return AIS_SHIP_TYPES[code]
    return AIS_SHIP_TYPE_DECADES.get(code // 10, N_("Reserved"))


# What a deadline counts from (mediation/deadlines.py `start_event`), shown on the case page.
DEADLINE_EVENTS = (
    N_("complaint registered"),
    N_("court referral notified"),
    N_("parties' choice period lapsed"),
    N_("case dispatched to mediator"),
    N_("mediator accepted the case"),
    N_("mediation agreement took effect"),
    N_("application received"),
    N_("application accepted"),
    N_("case docketed"),
    N_("ruling received"),
    N_("learned of the harm to their rights"),
    N_("last day for performance"),
    N_("claim secured by the lien arose"),
    N_("learned the right was infringed"),
    N_("collision occurred"),
)
