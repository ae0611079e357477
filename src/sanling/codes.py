"""The codes of domain.md as light enums, each with its labels (Chinese, English).

They live apart from models.py so that option parsing (and `sanling --help`) can use them
without importing SQLAlchemy. A code is declared once, with its labels: i18n.label, parse_code
and choices read them here.
"""

from enum import StrEnum


class Coded(StrEnum):
    """A code with its labels: `member = "code", "中文", "English"`. The member is the code (a
    str); `zh` and `en` are what people read."""

    _value_: str
    zh: str
    en: str

    def __new__(cls, code: str, zh: str = "", en: str = "") -> "Coded":
        member = str.__new__(cls, code)
        member._value_ = code
        member.zh = zh
        member.en = en or code
        return member


class SubjectKind(Coded):
    village = "village", "行政村"
    community = "community", "社区"
    unit = "unit", "单位"
    enterprise = "enterprise", "企业"
    town_office = "town_office", "镇直", "town itself"  # the town's own bodies (issue 13)


RESIDENTIAL = (SubjectKind.village, SubjectKind.community)
# Where a record may belong: a village or community, or the town itself (镇直: a town-level
# body such as the 司法所), which is a row of the by-village tables but never graded or assessed.
PLACES = (*RESIDENTIAL, SubjectKind.town_office)
# The subjects assessed for 三零 and swept: every kind but the town itself.
ASSESSED = (*RESIDENTIAL, SubjectKind.unit, SubjectKind.enterprise)


class Grade(Coded):
    key = "key", "重点村"
    general = "general", "一般村"
    safe = "safe", "平安村"


class SweepScope(Coded):
    disputes = "disputes", "矛盾纠纷"
    hazards = "hazards", "安全隐患"
    both = "both", "纠纷和隐患"


class DisputeSource(Coded):
    sweep = "sweep", "排查发现"
    visit = "visit", "来访"
    hotline = "hotline", "12345热线"
    assigned = "assigned", "上级交办"
    referral = "referral", "部门移交"


class DisputeCategory(Coded):
    land = "land", "土地山林"
    marriage_family = "marriage_family", "婚姻家庭", "marriage and family"
    neighbour = "neighbour", "邻里"
    debt = "debt", "债务"
    labour = "labour", "劳资"
    compensation = "compensation", "征地拆迁补偿"
    contract = "contract", "合同"
    damage = "damage", "损害赔偿", "damages"
    other = "other", "其他"


class Risk(Coded):
    low = "low", "低"
    medium = "medium", "中"
    high = "high", "高"


class DisputeStatus(Coded):
    open = "open", "未化解"
    in_progress = "in_progress", "化解中", "in progress"
    resolved = "resolved", "已化解"
    stabilized = "stabilized", "稳控"
    referred = "referred", "移交"


class ResolutionMethod(Coded):
    mediation = "mediation", "调解"
    legal = "legal", "诉讼"
    administrative = "administrative", "行政"
    petition = "petition", "信访"


class NoteKind(Coded):
    """What an entry of a progress log (the case's own ledger) records."""

    progress = "progress", "进展"
    status = "status", "状态变更", "status change"
    review = "review", "集体研判", "collective review"
    resolve = "resolve", "化解", "resolution"
    refer = "refer", "移交", "referral"
    close = "close", "办结", "closure"
    settle = "settle", "化解情况", "settlement"


class PetitionForm(Coded):
    visit = "visit", "来访"
    letter = "letter", "来信"
    online = "online", "网上信访"
    hotline = "hotline", "热线"


class Level(Coded):
    town = "town", "乡镇"
    county = "county", "县级"
    city = "city", "市级"
    province = "province", "省级"
    national = "national", "国家级"


LEVEL_ORDER = {lv: i for i, lv in enumerate(Level)}


class AssignedBy(Coded):
    county = "county", "县级交办"
    city = "city", "市级交办"
    province = "province", "省级交办"


class BacklogOutcome(Coded):
    settled = "settled", "息诉罢访"
    stabilized = "stabilized", "稳控"
    unsettled = "unsettled", "未化解", "not settled"


class HazardArea(Coded):
    geological = "geological", "地质灾害"
    chemicals = "chemicals", "危化"
    road = "road", "道路交通"
    forest_fire = "forest_fire", "森林防火", "forest fire"
    building = "building", "房屋安全"
    fire = "fire", "消防"
    other = "other", "其他"


class HazardGrade(Coded):
    general = "general", "一般"
    major = "major", "重大"


class HazardStatus(Coded):
    open = "open", "未整改"
    rectifying = "rectifying", "整改中"
    rectified = "rectified", "已整改"
    closed = "closed", "已销号"


class PatrolKind(Coded):
    routine = "routine", "日常"
    night = "night", "夜间"
    holiday = "holiday", "节假日"
    special = "special", "专项"


class TeamKind(Coded):
    patrol_team = "patrol_team", "专职巡逻队", "patrol team"
    grid_worker = "grid_worker", "网格员", "grid worker"
    volunteer = "volunteer", "治安志愿者"
    building_head = "building_head", "楼栋长", "building head"
    police = "police", "民警"


class CaseKind(Coded):
    criminal = "criminal", "刑事"
    administrative = "administrative", "行政/治安"


class AccidentKind(Coded):
    production = "production", "生产安全"
    road = "road", "道路交通"
    fire = "fire", "火灾"
    drowning = "drowning", "溺水"
    geological = "geological", "地质灾害"
    other = "other", "其他"


class PersonCategory(Coded):
    released = "released", "刑满释放", "released prisoner"
    drug = "drug", "吸毒", "drug user"
    mental = "mental", "易肇事肇祸精神障碍", "mental disorder"
    petitioner = "petitioner", "重点信访人", "key petitioner"
    other = "other", "其他"


class Sex(Coded):
    male = "male", "男"
    female = "female", "女"


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
