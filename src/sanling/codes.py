"""The codes of domain.md as light enums, each with its labels (Chinese, English).

They live apart from models.py so that option parsing (and `sanling --help`) can use them
without importing SQLAlchemy. A code is declared once, with its labels: i18n.label, parse_code
and choices read them here.
"""

from enum import StrEnum


class Coded(StrEnum):
    """A code with its labels: `member = "code", "中文", "English"`. The member is the code (a
    str); `zh` and `en` are what people read. A fourth item lists other words offices write for
    it (`("群众来访", ...)`), which input accepts as well (i18n.parse_code)."""

    _value_: str
    zh: str
    en: str
    aliases: tuple[str, ...]

    def __new__(
        cls, code: str, zh: str = "", en: str = "", aliases: tuple[str, ...] = ()
    ) -> "Coded":
        member = str.__new__(cls, code)
        member._value_ = code
        member.zh = zh
        member.en = en or code
        member.aliases = aliases
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
    """The Ministry of Justice's people's-mediation dispute categories (人民调解纠纷类型).
    Migration 0002 mapped the codes before them: debt (债务) is a contract dispute (民间借贷
    is a loan contract); land, labour and compensation kept their codes."""

    marriage_family = "marriage_family", "婚姻家庭", "marriage and family", ("家庭", "婚姻")
    neighbour = "neighbour", "邻里"
    housing_land = "housing_land", "房屋宅基地", "housing and homestead", ("宅基地", "房屋")
    contract = "contract", "合同", "contract", ("debt", "债务", "民间借贷", "借贷", "债权债务")
    business = "business", "生产经营", "business"
    damage = "damage", "损害赔偿", "damages"
    land = "land", "山林土地", "land", ("土地山林", "山林", "土地")
    compensation = "compensation", "征地拆迁", "compensation", ("征地拆迁补偿", "拆迁")
    environment = "environment", "环境污染", "environmental pollution", ("环境",)
    labour = "labour", "劳动争议", "labour", ("劳资", "拖欠农民工工资", "拖欠工资", "劳动")
    medical = "medical", "医疗", "medical", ("医患",)
    property_mgmt = "property", "物业", "property management", ("物业服务", "物业管理")
    traffic = "traffic", "道路交通", "road traffic", ("交通事故", "道路交通事故", "交通")
    village_affairs = "village_affairs", "村务管理", "village affairs", ("村务",)
    other = "other", "其他"


class Risk(Coded):
    low = "low", "低", "low", ("一般", "低风险")
    medium = "medium", "中", "medium", ("关注", "中风险", "较高")
    high = "high", "高", "high", ("重点", "高风险")


class DisputeStatus(Coded):
    open = "open", "未化解"
    in_progress = "in_progress", "化解中", "in progress"
    resolved = "resolved", "已化解"
    stabilized = "stabilized", "稳控"
    referred = "referred", "移交"


class PetitionStage(Coded):
    """Where a petition stands in its life under the 信访工作条例 (worked out from its dates,
    never stored: ledger/petition.py)."""

    received = "received", "待受理", "awaiting acceptance"
    accepted = "accepted", "办理中", "accepted, reply due"
    refused = "refused", "不予受理", "not accepted"
    replied = "replied", "已答复", "replied"
    review = "review", "复查中", "under review (复查)"
    reviewed = "reviewed", "已复查", "review decided"
    recheck = "recheck", "复核中", "under recheck (复核)"
    closed = "closed", "复核终结", "closed by the recheck"


class PetitionStep(Coded):
    """The step the office owes on a petition in an open stage (remind, --explain): 告知 whether
    it is accepted, the written reply, the 复查 or 复核 decision."""

    accept = "accept", "受理告知", "acceptance told"
    reply = "reply", "书面答复", "written reply"
    review = "review", "复查决定", "review decided"
    recheck = "recheck", "复核决定", "recheck decided"


class ReviewStage(Coded):
    """What `petition review --stage` records: a 复查 (Art. 35) or a 复核 (Art. 36)."""

    review = "review", "复查"
    recheck = "recheck", "复核"


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
    visit = "visit", "来访", "visit", ("群众来访", "走访", "上访", "集体访", "个人访")
    letter = "letter", "来信", "letter", ("群众来信", "信件")
    online = "online", "网上信访", "online", ("网信", "网上投诉", "网络信访", "网上")
    hotline = "hotline", "热线", "hotline", ("12345市民热线", "12345", "市民热线", "12345热线")
    phone = "phone", "电话来访", "phone", ("电话", "来电")
    referral = "referral", "部门转入", "referral", ("部门转办", "转办", "转入", "部门转交")


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
    geological = "geological", "地质灾害", "geological", ("地灾",)
    chemicals = "chemicals", "危化", "chemicals", ("危化品", "危险化学品", "危险品")
    road = "road", "道路交通", "road", ("交通", "交通安全", "道路交通安全")
    forest_fire = "forest_fire", "森林防火", "forest fire", ("防火", "森林火灾")
    building = "building", "房屋安全", "building", ("房屋", "危房", "自建房")
    fire = "fire", "消防", "fire", ("消防安全", "火灾")
    other = "other", "其他", "other", ("校园安全", "校园", "其它")


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
    released = "released", "刑满释放", "released prisoner", ("安置帮教", "安置帮教对象")
    drug = "drug", "吸毒", "drug user", ("社区戒毒", "社区康复", "涉毒")
    mental = "mental", "易肇事肇祸精神障碍", "mental disorder", ("严重精神障碍患者", "精神障碍")
    petitioner = "petitioner", "重点信访人", "key petitioner"
    correction = "correction", "社区矫正", "community correction", ("社区矫正对象", "矫正对象")
    youth = "youth", "重点青少年", "at-risk youth", ("重点青少年群体", "青少年")
    other = "other", "其他"


class Performance(Coded):
    """Whether a mediation agreement was carried out, as a follow-up visit (回访) found it."""

    yes = "yes", "已履行", "performed", ("履行", "全部履行", "是")
    partly = "partly", "部分履行", "partly performed", ("部分",)
    no = "no", "未履行", "not performed", ("否", "没有履行")


class Sex(Coded):
    male = "male", "男"
    female = "female", "女"


class Supervised(Coded):
    """The kinds of record supervision (督办) and extensions (延期) apply to."""

    dispute = "dispute", "矛盾纠纷"
    backlog = "backlog", "信访积案"
    hazard = "hazard", "安全隐患"


class CardLevel(Coded):
    """A supervision card (督办): an ordinary assignment (交办), a yellow or a red card."""

    normal = "normal", "交办", "assigned", ("普通督办", "一般督办")
    yellow = "yellow", "黄牌督办", "yellow card", ("黄牌",)
    red = "red", "红牌督办", "red card", ("红牌",)


class Supervision(Coded):
    """The supervision a record stands under, as shown and counted: a card (CardLevel), or
    挂牌督办, which a major hazard is from the day it is found (derived, never stored)."""

    normal = "normal", "交办", "assigned"
    yellow = "yellow", "黄牌督办", "yellow card"
    red = "red", "红牌督办", "red card"
    listed = "listed", "挂牌督办", "listed (major hazard)"


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


class AppraisalRule(Coded):
    """An appraisal item the ledger scores itself from its records (考评自动计分规则)."""

    night_patrol = "night_patrol", "夜间巡逻每周不少于3小时", "night patrol of 3 hours a week"
    creation_ledger = "creation_ledger", "创建台账完整（每半月有排查）", "complete creation ledger"
    no_criminal_case = "no_criminal_case", "辖区无刑事案件", "no criminal case"


class VetoRule(Coded):
    """A veto item (一票否决): any such record in the year fails the subject."""

    accident_death = "accident_death", "生产安全事故死亡", "death in a production accident"
    criminal_case = "criminal_case", "刑事案件", "criminal case"


class MergedTable(Coded):
    """The tables `sanling merge` copies row by row from a town's ledger (ledger/merge.py), in
    the order of their foreign keys, with what `merge` calls them."""

    towns = "towns", "乡镇"
    subjects = "subjects", "创建主体"
    grade_history = "grade_history", "定级记录", "grade history"
    titles = "titles", "命名称号"
    staff = "staff", "工作人员"
    reminders_sent = "reminders_sent", "已发提醒", "reminders sent"
    appraisal_sheets = "appraisal_sheets", "考评表", "appraisal sheets"
    appraisal_items = "appraisal_items", "考评项", "appraisal items"
    appraisal_scores = "appraisal_scores", "考评得分", "appraisal scores"
    inspections = "inspections", "督导检查"
    bulletins_sent = "bulletins_sent", "已发村简报", "bulletins sent"
    sweeps = "sweeps", "排查"
    disputes = "disputes", "矛盾纠纷"
    dispute_notes = "dispute_notes", "纠纷进展", "dispute notes"
    dispute_followups = "dispute_followups", "回访记录", "mediation follow-ups"
    petitions = "petitions", "信访"
    backlog_cases = "backlog_cases", "信访积案", "backlog cases"
    backlog_notes = "backlog_notes", "积案进展", "backlog notes"
    hazards = "hazards", "安全隐患"
    hotspots = "hotspots", "治安乱点"
    patrols = "patrols", "治安巡逻"
    patrol_villages = "patrol_villages", "巡逻村", "patrol villages"
    cases = "cases", "案件"
    accidents = "accidents", "事故"
    persons = "persons", "重点人员", "key persons"
    person_visits = "person_visits", "走访记录", "visits"
    supervision = "supervision", "督办记录", "supervision cards"
    extensions = "extensions", "延期记录", "extensions"
