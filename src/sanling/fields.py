"""Each record's fields, declared once: what the `add` input takes, how a spreadsheet names and
reads each column, its export header, and what personal data is masked.

The input schemas of schemas.py, the import/export columns of transfer/specs.py and the masking
of privacy.py are derived from these declarations. A field's label (zh, en) is the header
catalog's (i18n.HEADERS, shared by every listing) unless `title` gives this kind its own.

Light on purpose: codes and i18n only, so option help (and `sanling --help`) can read it
without importing SQLAlchemy or Pydantic.

Fields of a kind are listed in the input's order (the order an invalid row's problems are
reported in); the order of a spreadsheet's columns is transfer/specs.py's.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sanling import codes
from sanling.i18n import HEADERS, get_lang

# Value types: how a cell is read and written, and what the input takes.
TEXT, DATE, DEADLINE, INT, FLOAT, FLAG, CODE, LIST, TIME, DIGITS = (
    "text",
    "date",
    "deadline",
    "int",
    "float",
    "flag",
    "code",
    "list",
    "time",
    "digits",
)

COUNT = (0, 10_000_000)  # bounds of a count of people or things


@dataclass(frozen=True)
class Field:
    key: str  # the `add` option and input name; an English header
    vtype: str = TEXT
    enum: type[StrEnum] | None = None  # the code list of a CODE field
    required: bool = False  # no default: the add command and an import row must give it
    nonempty: bool = False  # text that must not be blank
    max_length: int | None = None
    bounds: tuple[float, float] | None = None  # (at least, at most) of a number
    default: Any = None
    synonyms: tuple[str, ...] = ()  # headers offices use for it
    title: tuple[str, str] | None = None  # export header (zh, en) when not the catalog's
    mask: str | None = None  # personal data: privacy.py's masker of that name
    extra: bool = False  # recorded by a later step (resolve, rectify, close), not by `add`
    export_only: bool = False  # written on export (ref), ignored on import
    # Headers read only when the file has no other header of this field (else kept as the
    # record's extra columns): 调解时间 is a mediation list's found date.
    fallbacks: tuple[str, ...] = ()
    joins: bool = False  # several columns may give it (申请人, 被申请人): joined with 、

    def label(self, lang: str | None = None) -> str:
        zh, en = self.title or HEADERS.get(self.key, (self.key, self.key))
        return zh if (lang or get_lang()) == "zh" else en

    heading = label  # the export header

    @property
    def is_input(self) -> bool:
        return not (self.extra or self.export_only)


def f(key: str, vtype: str = TEXT, *synonyms: str, **kw: Any) -> Field:
    return Field(key, vtype, synonyms=synonyms, **kw)


def code(key: str, enum: type[StrEnum], *synonyms: str, **kw: Any) -> Field:
    return Field(key, CODE, enum, synonyms=synonyms, **kw)


# ---- header variants several kinds share ----------------------------------------------------
VILLAGE = (
    "所属村",
    "村名",
    "村(社区)",
    "所属村(社区)",
    "村社区",
    "所在村",
    "行政村",
    "村居",
    "村别",
    "村",
    "社区",
    "所属社区",
    "village_name",
)
SUBJECT = ("创建主体", "主体", "主体名称", "涉及主体")
TOWN = ("所属乡镇", "乡镇", "乡镇名称", "镇")
FOUND = ("排查时间", "发现日期", "发现时间", "排查日期", "登记日期", "受理日期", "受理时间", "date")
SUMMARY = ("简要情况", "基本情况", "主要内容", "事由", "内容", "情况简介", "简要内容")
# A cell that gives two things, one per line (责任单位⏎责任人): the field is its last line, the
# lines before are kept under the header's first part (docs/import-export.md).
COMBINED = (
    "责任单位\n责任人",
    "责任单位/责任人",
    "责任部门\n责任人",
    "责任部门/责任人",
    "责任单位责任人",
)
PHONE = ("联系电话", "电话", "手机", "手机号", "联系方式")
LEAD = ("包案领导", "包联领导", "包案责任领导")
SWEEP_REF = ("排查记录", "排查编号")

REF = Field("ref", export_only=True)
TOWN_FIELD = f("town", TEXT, *TOWN)
VILLAGE_FIELD = f("village", TEXT, *VILLAGE, required=True)
DISPUTE_VILLAGE = f("village", TEXT, *VILLAGE, "单位", "受理单位", "调委会名称", required=True)
SUBJECT_FIELD = f("subject", TEXT, *SUBJECT)


def _village(*more: str) -> Field:
    return f("village", TEXT, *VILLAGE, *more, required=True)


# ---- the kinds ----------------------------------------------------------------------------
SUBJECTS = (
    f(
        "name",
        TEXT,
        "名称",
        "主体名称",
        "村(社区)名称",
        "单位名称",
        "企业名称",
        "单位(企业)名称",
        required=True,
        nonempty=True,
        max_length=100,
    ),
    code("kind", codes.SubjectKind, "类型", "主体类型", "类别", required=True),
    f("village", TEXT, "所属村", "所属村(社区)", "上级村", "parent", "parent_village"),
    TOWN_FIELD,
    f("households", INT, "户数", "总户数", bounds=COUNT),
    f("population", INT, "人口", "人口数", "总人口", "人数", bounds=COUNT),
    f("contact", TEXT, "负责人", "联系人", "村支书", "主要负责人"),
    f("phone", DIGITS, *PHONE),
    f("mediation_committee", FLAG, "调委会", "人民调解委员会", "有调委会", default=False),
    f("security_committee", FLAG, "治保会", "治安保卫委员会", "有治保会", default=False),
    f("patrol_team", FLAG, "巡逻队", "治安巡逻队", "有巡逻队", default=False),
    f("video", FLAG, "雪亮工程", "视频监控", "video_coverage", default=False),
    f("police_office", FLAG, "警务室", "社区警务室", "有警务室", default=False),
)

SWEEPS = (
    REF,
    f(
        "subject",
        TEXT,
        *SUBJECT,
        *VILLAGE,
        "排查主体",
        "排查对象",
        "排查单位",
        required=True,
    ),
    f("by", TEXT, "排查人", "排查人员", "排查责任人", required=True, nonempty=True, max_length=100),
    f("date", DATE, "排查日期", "排查时间", "日期", title=("排查日期", "date")),
    code("scope", codes.SweepScope, "排查范围", "排查内容", "范围", default=codes.SweepScope.both),
    f("note", TEXT, "备注", "排查情况", "说明"),
    TOWN_FIELD,
)

DISPUTES = (
    REF,
    DISPUTE_VILLAGE,
    SUBJECT_FIELD,
    code(
        "category",
        codes.DisputeCategory,
        "类别",
        "纠纷类别",
        "纠纷类型",
        "类型",
        "矛盾类型",
        required=True,
    ),
    f(
        "summary",
        TEXT,
        *SUMMARY,
        "纠纷简要情况",
        "纠纷内容",
        "矛盾纠纷简要情况",
        "纠纷事由",
        "纠纷情况",
        "纠纷简要",
        "案件简要情况",
        required=True,
        nonempty=True,
    ),
    f(
        "handler",
        TEXT,
        "首办责任人",
        "责任人",
        "首办人",
        "承办人",
        "化解责任人",
        *COMBINED,
        required=True,
        nonempty=True,
        max_length=100,
        fallbacks=("调解员", "调解人", "人民调解员"),
    ),
    f(
        "parties",
        TEXT,
        "当事人",
        "当事人姓名",
        "双方当事人",
        "当事人双方",
        "申请人",
        "被申请人",
        joins=True,
    ),
    f("people", INT, "涉及人数", "人数", "涉及群众人数", bounds=COUNT),
    code("risk", codes.Risk, "风险等级", "风险级别", "等级", default=codes.Risk.low),
    f("lead", TEXT, *LEAD),
    code(
        "source",
        codes.DisputeSource,
        "来源",
        "纠纷来源",
        "线索来源",
        default=codes.DisputeSource.sweep,
    ),
    f("found", DATE, *FOUND, "接件时间", fallbacks=("调解时间", "调解日期")),
    f("deadline", DEADLINE, "化解时限", "办结时限", "限期", "化解期限"),
    f("sweep", TEXT, *SWEEP_REF),
    TOWN_FIELD,
    # What the mediation prevented, as the 司法所 reports it upward (issue 16).
    f(
        "prevented_criminal",
        FLAG,
        "防止民转刑",
        "防止民转刑案件",
        "防止民间纠纷转化为刑事案件",
        default=False,
        title=("防止民转刑", "prevented a criminal case"),
    ),
    f(
        "prevented_group_petition",
        FLAG,
        "防止群体性上访",
        "防止群体性上访事件",
        default=False,
        title=("防止群体性上访", "prevented a group petition"),
    ),
    code(
        "status",
        codes.DisputeStatus,
        "状态",
        "化解状态",
        "是否化解",
        "目前状态",
        "销号情况",
        "是否销号",
        extra=True,
    ),
    f(
        "resolved_on",
        DATE,
        "化解日期",
        "化解时间",
        "办结日期",
        "办结时间",
        "销号日期",
        "销号时间",
        extra=True,
    ),
    code("method", codes.ResolutionMethod, "化解方式", "处理方式", "调处方式", extra=True),
    f(
        "result",
        TEXT,
        "化解情况",
        "化解结果",
        "处理结果",
        "调处结果",
        "调解结果",
        "调解情况",
        extra=True,
    ),
    f("referred_to", TEXT, "移交单位", "移交部门", extra=True),
    f("referred_on", DATE, "移交日期", "移交时间", extra=True),
)

PETITIONS = (
    REF,
    _village("案件地点", "信访人住址"),
    SUBJECT_FIELD,
    code(
        "form",
        codes.PetitionForm,
        "形式",
        "信访形式",
        "来访形式",
        "方式",
        "信访方式",
        "信访类型",
        "来访类型",
        required=True,
    ),
    code("level", codes.Level, "层级", "信访层级", "上访层级", "到访层级", "去向", required=True),
    f(
        "summary",
        TEXT,
        *SUMMARY,
        "信访事项",
        "主要诉求",
        "反映问题",
        "信访内容",
        "诉求",
        required=True,
        nonempty=True,
    ),
    f(
        "people",
        INT,
        "人数",
        "信访人数",
        "上访人数",
        "来访人数",
        "涉及人数",
        title=("人数", "people"),
        bounds=(1, 100_000),
        default=1,
    ),
    f("repeated", FLAG, "重复访", "是否重复访", default=False),
    f("abnormal", FLAG, "非正常访", "是否非正常访", "非正常上访", default=False),
    f(
        "date",
        DATE,
        "信访日期",
        "信访时间",
        "来访日期",
        "来访时间",
        "登记日期",
        "日期",
        "时间",
        "接件时间",
        "接件日期",
        "受理时间",
        "受理日期",
        title=("信访日期", "date"),
    ),
    f("dispute", TEXT, "关联纠纷", "纠纷编号"),
    f("handled_at_source", FLAG, "源头化解", "是否源头化解", "就地化解", default=False),
    # The petitioner is personal data (issue 16): masked in every output unless revealed.
    f(
        "petitioner",
        TEXT,
        "信访人",
        "信访人姓名",
        "上访人",
        "来访人",
        "来访人姓名",
        "姓名",
        max_length=100,
        mask="name",
    ),
    f("phone", DIGITS, *PHONE, "信访人电话", mask="phone"),
    f("handler", TEXT, "首办责任人", "承办人", "经办人", "办理人", "责任人", max_length=100),
    TOWN_FIELD,
    # Its life (ledger/petition.py): what an office ledger records of the steps.
    f("accepted_on", DATE, "受理告知日期", "受理告知时间", "告知日期", "决定受理日期", extra=True),
    f("refused_on", DATE, "不予受理日期", "不予受理时间", extra=True),
    f("refuse_reason", TEXT, "不予受理理由", "不予受理原因", extra=True),
    f(
        "replied_on",
        DATE,
        "答复时间",
        "答复日期",
        "书面答复日期",
        "办结时间",
        "办结日期",
        extra=True,
    ),
    f("reply_note", TEXT, "答复意见", "答复内容", "处理意见", extra=True),
    f("extended_on", DATE, "延期日期", "延期批准日期", extra=True),
    f("extended_to", DEADLINE, "延期至", "延长至", "延期后时限", extra=True),
    f("extend_reason", TEXT, "延期理由", "延期原因", extra=True),
    f("extend_approved_by", TEXT, "延期批准人", "批准人", extra=True),
    f("review_requested", DATE, "复查申请日期", "申请复查日期", extra=True),
    f("review_decided", DATE, "复查决定日期", "复查意见日期", extra=True),
    f("review_result", TEXT, "复查意见", "复查结果", extra=True),
    f("recheck_requested", DATE, "复核申请日期", "申请复核日期", extra=True),
    f("recheck_decided", DATE, "复核决定日期", "复核意见日期", extra=True),
    f("recheck_result", TEXT, "复核意见", "复核结果", extra=True),
)

BACKLOG = (
    REF,
    code(
        "assigned_by",
        codes.AssignedBy,
        "交办层级",
        "交办单位",
        "交办级别",
        "assigned",
        required=True,
    ),
    VILLAGE_FIELD,
    f(
        "petitioner",
        TEXT,
        "信访人",
        "上访人",
        "信访人姓名",
        "当事人",
        required=True,
        nonempty=True,
        mask="name",  # personal data, masked as a key person's name
    ),
    f(
        "summary",
        TEXT,
        *SUMMARY,
        "信访事项",
        "主要诉求",
        "反映问题",
        "案件简要情况",
        required=True,
        nonempty=True,
    ),
    f("lead", TEXT, *LEAD, required=True, nonempty=True),
    f(
        "plan",
        TEXT,
        "一案一策措施",
        "一案一策",
        "化解措施",
        "措施",
        "工作措施",
        required=True,
        nonempty=True,
    ),
    f("deadline", DEADLINE, "化解时限", "办结时限", "限期", required=True),
    f("date", DATE, "交办日期", "交办时间", "日期", title=("交办日期", "assigned on")),
    f("unit", TEXT, "责任单位", "承办单位"),
    TOWN_FIELD,
    f("closed_on", DATE, "办结日期", "办结时间", extra=True),
    code("outcome", codes.BacklogOutcome, "化解情况", "化解结果", "是否化解", extra=True),
    f("outcome_on", DATE, "化解认定日期", "化解日期", extra=True),
)

HAZARDS = (
    REF,
    VILLAGE_FIELD,
    SUBJECT_FIELD,
    code(
        "area",
        codes.HazardArea,
        "领域",
        "隐患领域",
        "隐患类别",
        "隐患类型",
        "类别",
        "类型",
        "行业领域",
        required=True,
    ),
    f(
        "description",
        TEXT,
        "隐患描述",
        "隐患情况",
        "存在问题",
        "隐患内容",
        "主要隐患",
        "隐患简要情况",
        "简要情况",
        "隐患名称",
        "整改隐患内容",
        "隐患问题",
        required=True,
        nonempty=True,
    ),
    f(
        "responsible",
        TEXT,
        "责任人",
        "整改责任人",
        "责任单位",
        "整改责任单位",
        *COMBINED,
        required=True,
        nonempty=True,
        fallbacks=("责任部门", "整改责任部门"),
    ),
    code(
        "grade",
        codes.HazardGrade,
        "隐患等级",
        "等级",
        "级别",
        "隐患级别",
        default=codes.HazardGrade.general,
    ),
    f("location", TEXT, "隐患部位", "部位", "地点", "隐患地点", "位置"),
    f("measures", TEXT, "整改措施", "措施", "整改情况", "治理措施", "整改方案"),
    f("found", DATE, *FOUND),
    f("deadline", DEADLINE, "完成时限", "整改时限", "整改期限", "限期", "化解时限"),
    f("sweep", TEXT, *SWEEP_REF),
    TOWN_FIELD,
    code(
        "status",
        codes.HazardStatus,
        "状态",
        "整改状态",
        "是否整改",
        "复查结果",
        "验收结果",
        "销号情况",
        extra=True,
        fallbacks=("整改完成情况", "完成情况"),
    ),
    f("rectified_on", DATE, "整改日期", "整改完成日期", "完成日期", "整改时间", extra=True),
    f("closed_on", DATE, "销号日期", "销号时间", "复查日期", "复查时间", "验收日期", extra=True),
    f("checked_by", TEXT, "复查人", "销号人", "复查销号人", extra=True),
)

HOTSPOTS = (
    REF,
    VILLAGE_FIELD,
    f(
        "description",
        TEXT,
        "乱点描述",
        "乱点情况",
        "存在问题",
        "主要问题",
        "描述",
        "简要情况",
        "治安乱点",
        title=("乱点情况", "description"),
        required=True,
        nonempty=True,
    ),
    f("date", DATE, *FOUND[:-1], "日期", title=("发现日期", "date")),
    TOWN_FIELD,
    f("measures", TEXT, "整治措施", "整改措施", "措施", extra=True, title=("整治措施", "measures")),
    f(
        "rectified_on",
        DATE,
        "整治日期",
        "整改日期",
        "整治完成日期",
        "完成日期",
        extra=True,
        title=("整治日期", "rectified on"),
    ),
)

PATROLS = (
    REF,
    f(
        "village",
        LIST,
        "巡逻村",
        "巡逻区域",
        "巡逻范围",
        *VILLAGE,
        "villages",
        title=("巡逻村", "village"),
    ),
    code("team", codes.TeamKind, "队伍", "巡逻队伍", "队伍类型", "巡逻力量", required=True),
    f("leader", TEXT, "带队人", "带队领导", "负责人", "带班领导", required=True, nonempty=True),
    f(
        "people",
        INT,
        "人数",
        "巡逻人数",
        "参与人数",
        "出动人数",
        title=("巡逻人数", "people"),
        required=True,
        bounds=(1, 10_000),
    ),
    f("date", DATE, "巡逻日期", "日期", "巡逻时间", title=("巡逻日期", "date")),
    f("start", TIME, "开始时间", "起始时间", "出发时间"),
    f("end", TIME, "结束时间", "返回时间"),
    code(
        "kind", codes.PatrolKind, "巡逻类型", "类型", "巡逻方式", default=codes.PatrolKind.routine
    ),
    f("route", TEXT, "路线", "巡逻路线"),
    f("findings", TEXT, "发现问题", "巡逻情况"),
    f("action", TEXT, "处置情况", "处理情况"),
    f("to_police", FLAG, "移交公安", "是否移交公安", "移交派出所", default=False),
    f("hotspot", TEXT, "关联乱点", "乱点编号"),
    TOWN_FIELD,
)

CASES = (
    REF,
    code(
        "kind",
        codes.CaseKind,
        "案件类型",
        "案件性质",
        "类型",
        "性质",
        title=("案件类型", "kind"),
        required=True,
    ),
    _village("发案地点"),
    SUBJECT_FIELD,
    f("summary", TEXT, *SUMMARY, "简要案情", "案情", required=True, nonempty=True),
    f("offence", TEXT, "案由", "案件类别", "罪名", "违法行为"),
    f("major", FLAG, "重大影响", "有重大影响", "是否有重大影响", "是否重大", default=False),
    f(
        "date",
        DATE,
        "发案日期",
        "发案时间",
        "立案日期",
        "受理日期",
        "日期",
        title=("发案日期", "date"),
    ),
    f("source", TEXT, "来源", "办案单位", "受理单位", "报案来源"),
    TOWN_FIELD,
)

ACCIDENTS = (
    REF,
    _village("事故地点"),
    SUBJECT_FIELD,
    code("kind", codes.AccidentKind, "事故类型", "类型", "事故类别", required=True),
    f(
        "summary",
        TEXT,
        *SUMMARY,
        "事故简要情况",
        "事故经过",
        "简要经过",
        required=True,
        nonempty=True,
    ),
    f("deaths", INT, "死亡", "死亡人数", bounds=COUNT, default=0),
    f("serious_injuries", INT, "重伤", "重伤人数", bounds=COUNT, default=0),
    f("injuries", INT, "轻伤", "轻伤人数", "受伤人数", "受伤", bounds=COUNT, default=0),
    f(
        "loss",
        FLOAT,
        "直接经济损失(元)",
        "直接经济损失",
        "经济损失",
        "经济损失(元)",
        "损失",
        bounds=(0, 1e12),
        default=0,
    ),
    f(
        "date",
        DATE,
        "事故日期",
        "发生日期",
        "发生时间",
        "事故时间",
        "日期",
        title=("事故日期", "date"),
    ),
    TOWN_FIELD,
)

PERSONS = (
    REF,
    code("category", codes.PersonCategory, "人员类别", "类别", "类型", "人员类型", required=True),
    f("name", TEXT, "姓名", "名字", required=True, nonempty=True, max_length=100, mask="name"),
    f(
        "id_number",
        DIGITS,
        "公民身份号码",
        "身份证号",
        "身份证号码",
        "身份证",
        "证件号码",
        "id",
        required=True,
        mask="id",
    ),
    _village("所属网格", "网格"),
    code("sex", codes.Sex, "性别"),
    f("phone", DIGITS, *PHONE, mask="phone"),
    f(
        "address",
        TEXT,
        "住址",
        "现住址",
        "家庭住址",
        "居住地址",
        "地址",
        "现住门(楼)详址",
        "现居住地",
        fallbacks=("户籍门(楼)详址", "户籍地址", "户籍地"),
        mask="address",
    ),
    f(
        "risk",
        INT,
        "风险等级",
        "风险级别",
        "危险性评估等级",
        "危险等级",
        "评估等级",
        "危险性评估类型",
        "危险性评估",
        bounds=(0, 5),
        fallbacks=("关注程度", "关注类型"),
        default=1,
    ),
    f(
        "guardian",
        TEXT,
        "监护人/帮教人",
        "监护人",
        "帮教人",
        "帮教责任人",
        "监护人/帮扶人",
        mask="name",  # a relative's or helper's name: personal data too
    ),
    f("cadre", TEXT, "包联干部", "包联责任人", "管控责任人", "责任人"),
    f(
        "listed",
        DATE,
        "列管日期",
        "列管时间",
        "建档日期",
        "登记日期",
        "衔接日期",
        fallbacks=("释放日期", "解除日期"),
    ),
    # The listing term (issue 16): 安置帮教 from release, 社区戒毒 / 社区矫正 from their start.
    f(
        "term_from",
        DATE,
        "刑满释放日期",
        "帮教起始日期",
        "社区戒毒起始日期",
        "社区戒毒开始日期",
        "矫正起始日期",
        "矫正开始日期",
        title=("期限起始日期", "term from"),
    ),
    f(
        "term_end",
        DEADLINE,
        "期满日期",
        "帮教期满日期",
        "矫正期满日期",
        "矫正期满",
        "社区戒毒期满日期",
        title=("期满日期", "term end"),
    ),
    TOWN_FIELD,
    f("delisted", DATE, "撤管日期", "撤管时间", "撤销列管日期", extra=True),
    f(
        "delist_reason",
        TEXT,
        "撤管原因",
        "撤销原因",
        extra=True,
        title=("撤管原因", "delist reason"),
    ),
)

# A record's void stamp (issue 14), the last columns of every kind's export: a voided record
# is exported with it and imported voided again (never an add input).
VOID = (
    f("voided", FLAG, "已作废", "作废", "是否作废", extra=True, default=False),
    f("void_reason", TEXT, "作废原因", extra=True),
    f("voided_by", TEXT, "作废人", extra=True),
    f("voided_at", TEXT, "作废时间", extra=True),
)
VOID_KEYS = tuple(x.key for x in VOID)

# Every kind's fields by its import/export name.
FIELDS: dict[str, tuple[Field, ...]] = {
    "subjects": SUBJECTS,
    "sweeps": (*SWEEPS, *VOID),
    "disputes": (*DISPUTES, *VOID),
    "petitions": (*PETITIONS, *VOID),
    "backlog": (*BACKLOG, *VOID),
    "hazards": (*HAZARDS, *VOID),
    "hotspots": (*HOTSPOTS, *VOID),
    "patrols": (*PATROLS, *VOID),
    "cases": (*CASES, *VOID),
    "accidents": (*ACCIDENTS, *VOID),
    "persons": (*PERSONS, *VOID),
}


# The table (models.py) holding each kind's records.
TABLE_OF: dict[str, str] = {
    "subjects": "subjects",
    "sweeps": "sweeps",
    "disputes": "disputes",
    "petitions": "petitions",
    "backlog": "backlog_cases",
    "hazards": "hazards",
    "hotspots": "hotspots",
    "patrols": "patrols",
    "cases": "cases",
    "accidents": "accidents",
    "persons": "persons",
}

# Personal data, by table: each field declared with `mask` and the name of its masker
# (privacy.py). Declaring `mask` on any kind's field is all it takes: every output (list,
# show, export, the audit log and `log`) masks it unless revealed, `--reveal` is audited.
MASKED: dict[str, dict[str, str]] = {
    TABLE_OF[kind]: {x.key: x.mask for x in fields if x.mask}
    for kind, fields in FIELDS.items()
    if any(x.mask for x in fields)
}

# The kind of record (its fields' name above) of each command group that keeps records.
KIND_OF: dict[str, str] = {
    "sweep": "sweeps",
    "dispute": "disputes",
    "petition": "petitions",
    "backlog": "backlog",
    "hazard": "hazards",
    "hotspot": "hotspots",
    "patrol": "patrols",
    "case": "cases",
    "accident": "accidents",
    "person": "persons",
}


def inputs(kind: str) -> tuple[Field, ...]:
    """The fields the `add` command (and an import row) gives, in the input's order."""
    return tuple(x for x in FIELDS[kind] if x.is_input)
