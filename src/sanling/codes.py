"""The codes of domain.md as light enums.

They live apart from models.py so that option parsing (and `sanling --help`) can use them
without importing SQLAlchemy. Labels live in i18n.py.
"""

from enum import StrEnum


class SubjectKind(StrEnum):
    village = "village"
    community = "community"
    unit = "unit"
    enterprise = "enterprise"


RESIDENTIAL = (SubjectKind.village, SubjectKind.community)


class Grade(StrEnum):
    key = "key"
    general = "general"
    safe = "safe"


class SweepScope(StrEnum):
    disputes = "disputes"
    hazards = "hazards"
    both = "both"


class DisputeSource(StrEnum):
    sweep = "sweep"
    visit = "visit"
    hotline = "hotline"
    assigned = "assigned"
    referral = "referral"


class DisputeCategory(StrEnum):
    land = "land"
    marriage_family = "marriage_family"
    neighbour = "neighbour"
    debt = "debt"
    labour = "labour"
    compensation = "compensation"
    contract = "contract"
    damage = "damage"
    other = "other"


class Risk(StrEnum):
    low = "low"
    medium = "medium"
    high = "high"


class DisputeStatus(StrEnum):
    open = "open"
    in_progress = "in_progress"
    resolved = "resolved"
    stabilized = "stabilized"
    referred = "referred"


class ResolutionMethod(StrEnum):
    mediation = "mediation"
    legal = "legal"
    administrative = "administrative"
    petition = "petition"


class NoteKind(StrEnum):
    """What an entry of a progress log (the case's own ledger) records."""

    progress = "progress"
    status = "status"
    review = "review"
    resolve = "resolve"
    refer = "refer"
    close = "close"
    settle = "settle"


class PetitionForm(StrEnum):
    visit = "visit"
    letter = "letter"
    online = "online"
    hotline = "hotline"


class Level(StrEnum):
    town = "town"
    county = "county"
    city = "city"
    province = "province"
    national = "national"


LEVEL_ORDER = {lv: i for i, lv in enumerate(Level)}


class AssignedBy(StrEnum):
    county = "county"
    city = "city"
    province = "province"


class BacklogOutcome(StrEnum):
    settled = "settled"
    stabilized = "stabilized"
    unsettled = "unsettled"


class HazardArea(StrEnum):
    geological = "geological"
    chemicals = "chemicals"
    road = "road"
    forest_fire = "forest_fire"
    building = "building"
    fire = "fire"
    other = "other"


class HazardGrade(StrEnum):
    general = "general"
    major = "major"


class HazardStatus(StrEnum):
    open = "open"
    rectifying = "rectifying"
    rectified = "rectified"
    closed = "closed"


class PatrolKind(StrEnum):
    routine = "routine"
    night = "night"
    holiday = "holiday"
    special = "special"


class TeamKind(StrEnum):
    patrol_team = "patrol_team"
    grid_worker = "grid_worker"
    volunteer = "volunteer"
    building_head = "building_head"
    police = "police"


class CaseKind(StrEnum):
    criminal = "criminal"
    administrative = "administrative"


class AccidentKind(StrEnum):
    production = "production"
    road = "road"
    fire = "fire"
    drowning = "drowning"
    geological = "geological"
    other = "other"


class PersonCategory(StrEnum):
    released = "released"
    drug = "drug"
    mental = "mental"
    petitioner = "petitioner"
    other = "other"


class Sex(StrEnum):
    male = "male"
    female = "female"


class RefPrefix(StrEnum):
    """Reference-number prefixes of domain.md: PREFIX-YYYY-NNNN."""

    dispute = "JF"
    petition = "XF"
    backlog = "JA"
    hazard = "YH"
    patrol = "XL"
    sweep = "PC"
    hotspot = "LD"
    case = "AJ"
    accident = "SG"
    person = "ZD"
