"""Display labels for enum values (translated with the catalogues)."""

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
    # roles
    "admin": N_("Administrator"),
    "coordinator": N_("Coordinator"),
    "mediator": N_("Mediator"),
    "fishery_auditor": N_("Fishery auditor"),
    "court_clerk": N_("Court clerk"),
    "judge": N_("Judge"),
    "party": N_("Party"),
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
    # organisation kinds
    "mediation_committee": N_("Mediation committee"),
    "mediation_centre": N_("Mediation centre"),
    "fishery_bureau": N_("Fishery bureau"),
    "maritime_court": N_("Maritime court"),
    "company": N_("Company"),
    "manning_agency": N_("Manning agency"),
}
