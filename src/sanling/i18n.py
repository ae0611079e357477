"""Labels and messages in Chinese (zh) and English (en).

Codes are stored and shown in JSON; labels are what people read. Enum labels and column
headers live in the catalogs below; a message is written at its call site with `tr(zh, en)`,
so each module keeps its own wording and nothing here grows with every error.
"""

from __future__ import annotations

import os
from enum import StrEnum
from functools import cache
from typing import Any

_lang = "zh"


def detect_lang(explicit: str | None = None) -> str:
    """--lang, then SANLING_LANG, then LANG (zh* gives zh, anything else en)."""
    value = explicit or os.environ.get("SANLING_LANG") or os.environ.get("LANG") or ""
    return "zh" if value.lower().startswith("zh") else "en"


def set_lang(lang: str) -> None:
    global _lang
    _lang = "zh" if lang == "zh" else "en"


def get_lang() -> str:
    return _lang


def tr(zh: str, en: str, **values: Any) -> str:
    """A message in the current language, formatted with `values`."""
    text = zh if _lang == "zh" else en
    return text.format(**values) if values else text


# Enum labels: enum class name -> code -> (zh, en)
LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "SubjectKind": {
        "village": ("行政村", "village"),
        "community": ("社区", "community"),
        "unit": ("单位", "unit"),
        "enterprise": ("企业", "enterprise"),
    },
    "Grade": {
        "key": ("重点村", "key"),
        "general": ("一般村", "general"),
        "safe": ("平安村", "safe"),
    },
    "SweepScope": {
        "disputes": ("矛盾纠纷", "disputes"),
        "hazards": ("安全隐患", "hazards"),
        "both": ("纠纷和隐患", "both"),
    },
    "DisputeSource": {
        "sweep": ("排查发现", "sweep"),
        "visit": ("来访", "visit"),
        "hotline": ("12345热线", "hotline"),
        "assigned": ("上级交办", "assigned"),
        "referral": ("部门移交", "referral"),
    },
    "DisputeCategory": {
        "land": ("土地山林", "land"),
        "marriage_family": ("婚姻家庭", "marriage and family"),
        "neighbour": ("邻里", "neighbour"),
        "debt": ("债务", "debt"),
        "labour": ("劳资", "labour"),
        "compensation": ("征地拆迁补偿", "compensation"),
        "contract": ("合同", "contract"),
        "damage": ("损害赔偿", "damages"),
        "other": ("其他", "other"),
    },
    "Risk": {"low": ("低", "low"), "medium": ("中", "medium"), "high": ("高", "high")},
    "DisputeStatus": {
        "open": ("未化解", "open"),
        "in_progress": ("化解中", "in progress"),
        "resolved": ("已化解", "resolved"),
        "stabilized": ("稳控", "stabilized"),
        "referred": ("移交", "referred"),
    },
    "ResolutionMethod": {
        "mediation": ("调解", "mediation"),
        "legal": ("诉讼", "legal"),
        "administrative": ("行政", "administrative"),
        "petition": ("信访", "petition"),
    },
    "NoteKind": {
        "progress": ("进展", "progress"),
        "status": ("状态变更", "status change"),
        "review": ("集体研判", "collective review"),
        "resolve": ("化解", "resolution"),
        "refer": ("移交", "referral"),
        "close": ("办结", "closure"),
        "settle": ("化解情况", "settlement"),
    },
    "PetitionForm": {
        "visit": ("来访", "visit"),
        "letter": ("来信", "letter"),
        "online": ("网上信访", "online"),
        "hotline": ("热线", "hotline"),
    },
    "Level": {
        "town": ("乡镇", "town"),
        "county": ("县级", "county"),
        "city": ("市级", "city"),
        "province": ("省级", "province"),
        "national": ("国家级", "national"),
    },
    "AssignedBy": {
        "county": ("县级交办", "county"),
        "city": ("市级交办", "city"),
        "province": ("省级交办", "province"),
    },
    "BacklogOutcome": {
        "settled": ("息诉罢访", "settled"),
        "stabilized": ("稳控", "stabilized"),
        "unsettled": ("未化解", "not settled"),
    },
    "HazardArea": {
        "geological": ("地质灾害", "geological"),
        "chemicals": ("危化", "chemicals"),
        "road": ("道路交通", "road"),
        "forest_fire": ("森林防火", "forest fire"),
        "building": ("房屋安全", "building"),
        "fire": ("消防", "fire"),
        "other": ("其他", "other"),
    },
    "HazardGrade": {"general": ("一般", "general"), "major": ("重大", "major")},
    "HazardStatus": {
        "open": ("未整改", "open"),
        "rectifying": ("整改中", "rectifying"),
        "rectified": ("已整改", "rectified"),
        "closed": ("已销号", "closed"),
    },
    "PatrolKind": {
        "routine": ("日常", "routine"),
        "night": ("夜间", "night"),
        "holiday": ("节假日", "holiday"),
        "special": ("专项", "special"),
    },
    "TeamKind": {
        "patrol_team": ("专职巡逻队", "patrol team"),
        "grid_worker": ("网格员", "grid worker"),
        "volunteer": ("治安志愿者", "volunteer"),
        "building_head": ("楼栋长", "building head"),
        "police": ("民警", "police"),
    },
    "CaseKind": {
        "criminal": ("刑事", "criminal"),
        "administrative": ("行政/治安", "administrative"),
    },
    "AccidentKind": {
        "production": ("生产安全", "production"),
        "road": ("道路交通", "road"),
        "fire": ("火灾", "fire"),
        "drowning": ("溺水", "drowning"),
        "geological": ("地质灾害", "geological"),
        "other": ("其他", "other"),
    },
    "PersonCategory": {
        "released": ("刑满释放", "released prisoner"),
        "drug": ("吸毒", "drug user"),
        "mental": ("易肇事肇祸精神障碍", "mental disorder"),
        "petitioner": ("重点信访人", "key petitioner"),
        "other": ("其他", "other"),
    },
    "Sex": {"male": ("男", "male"), "female": ("女", "female")},
}

# Column headers and figure names: key -> (zh, en). Chinese ones are those of office ledgers.
HEADERS: dict[str, tuple[str, str]] = {
    "ref": ("编号", "ref"),
    "name": ("名称", "name"),
    "kind": ("类型", "kind"),
    "town": ("所属乡镇", "town"),
    "county": ("所属县", "county"),
    "village": ("所属村", "village"),
    "subject": ("创建主体", "subject"),
    "parent": ("所属村", "parent village"),
    "contact": ("负责人", "contact"),
    "phone": ("联系电话", "phone"),
    "households": ("户数", "households"),
    "population": ("人口", "population"),
    "mediation_committee": ("调委会", "mediation committee"),
    "security_committee": ("治保会", "security committee"),
    "patrol_team": ("巡逻队", "patrol team"),
    "video": ("雪亮工程", "video coverage"),
    "police_office": ("警务室", "police office"),
    "grade": ("等级", "grade"),
    "grade_manual": ("人工定级", "manual grade"),
    "active": ("在册", "active"),
    "retired_on": ("注销日期", "retired on"),
    "retire_reason": ("注销原因", "retire reason"),
    "created_on": ("登记日期", "created on"),
    "date": ("日期", "date"),
    "reason": ("原因", "reason"),
    "previous": ("原等级", "previous"),
    "manual": ("人工", "manual"),
    "operator": ("操作人", "operator"),
    "by": ("排查人", "by"),
    "scope": ("排查范围", "scope"),
    "note": ("备注", "note"),
    "findings_count": ("发现问题数", "findings"),
    "zero_report": ("零报告", "zero report"),
    "found": ("排查时间", "found"),
    "source": ("来源", "source"),
    "category": ("类别", "category"),
    "summary": ("简要情况", "summary"),
    "parties": ("当事人", "parties"),
    "people": ("涉及人数", "people"),
    "risk": ("风险等级", "risk"),
    "handler": ("首办责任人", "handler"),
    "lead": ("包案领导", "lead"),
    "deadline": ("化解时限", "deadline"),
    "status": ("状态", "status"),
    "resolved_on": ("化解日期", "resolved on"),
    "method": ("化解方式", "method"),
    "result": ("化解情况", "result"),
    "referred_to": ("移交单位", "referred to"),
    "referred_on": ("移交日期", "referred on"),
    "reviewed": ("集体研判", "reviewed"),
    "sweep": ("排查记录", "sweep"),
    "overdue": ("逾期", "overdue"),
    "due_soon": ("临期", "due soon"),
    "days_overdue": ("逾期天数", "days overdue"),
    "text": ("内容", "text"),
    "form": ("形式", "form"),
    "level": ("层级", "level"),
    "repeated": ("重复访", "repeated"),
    "abnormal": ("非正常访", "abnormal"),
    "collective": ("集体访", "collective"),
    "dispute": ("关联纠纷", "dispute"),
    "handled_at_source": ("源头化解", "handled at source"),
    "breaks_zero": ("破零", "breaks zero"),
    "assigned_by": ("交办层级", "assigned by"),
    "assigned_on": ("交办日期", "assigned on"),
    "petitioner": ("信访人", "petitioner"),
    "unit": ("责任单位", "responsible unit"),
    "plan": ("一案一策措施", "plan"),
    "closed_on": ("办结日期", "closed on"),
    "outcome_on": ("化解认定日期", "outcome on"),
    "outcome": ("化解情况", "outcome"),
    "area": ("领域", "area"),
    "location": ("隐患部位", "location"),
    "description": ("隐患描述", "description"),
    "measures": ("整改措施", "measures"),
    "responsible": ("责任人", "responsible"),
    "rectified_on": ("整改日期", "rectified on"),
    "checked_by": ("复查人", "checked by"),
    "supervised": ("挂牌督办", "supervised"),
    "start": ("开始时间", "start"),
    "end": ("结束时间", "end"),
    "hours": ("时长(小时)", "hours"),
    "person_hours": ("人时", "person-hours"),
    "team": ("队伍", "team"),
    "leader": ("带队人", "leader"),
    "route": ("路线", "route"),
    "findings": ("发现问题", "findings"),
    "action": ("处置情况", "action"),
    "to_police": ("移交公安", "to police"),
    "hotspot": ("关联乱点", "hotspot"),
    "villages": ("巡逻村", "villages"),
    "offence": ("案由", "offence"),
    "major": ("重大影响", "major impact"),
    "deaths": ("死亡", "deaths"),
    "serious_injuries": ("重伤", "serious injuries"),
    "injuries": ("轻伤", "injuries"),
    "loss": ("直接经济损失(元)", "direct loss (yuan)"),
    "sex": ("性别", "sex"),
    "id_number": ("公民身份号码", "ID number"),
    "address": ("住址", "address"),
    "guardian": ("监护人/帮教人", "guardian"),
    "cadre": ("包联干部", "cadre"),
    "listed": ("列管日期", "listed"),
    "delisted": ("撤管日期", "delisted"),
    "last_visit": ("最近走访", "last visit"),
    "next_visit": ("下次走访", "next visit"),
    "visit_overdue": ("走访逾期", "visit overdue"),
    "delist_reason": ("撤管原因", "de-list reason"),
    "rectified": ("已整改", "rectified"),
    "patrols": ("巡逻次数", "patrols"),
    "key": ("设置项", "key"),
    "value": ("值", "value"),
    "default": ("默认值", "default"),
    "description_setting": ("说明", "description"),
    "at": ("时间", "at"),
    "before": ("变更前", "before"),
    "after": ("变更后", "after"),
    "table": ("表", "table"),
    "count": ("条数", "count"),
    "new": ("今日新增", "new today"),
    "resolved": ("今日化解", "resolved today"),
    "open": ("未化解", "open"),
    "found_ytd": ("今年排查", "found this year"),
    "resolved_ytd": ("今年化解", "resolved this year"),
    "rate_ytd": ("化解率", "resolution rate"),
    "rate": ("比率", "rate"),
    "score": ("得分", "score"),
    "current": ("现等级", "current"),
    "proposed": ("建议等级", "proposed"),
    "total": ("合计", "total"),
}


def label(value: Any, lang: str | None = None) -> str:
    """The label of an enum member (or its code if the catalog has none)."""
    if isinstance(value, StrEnum):
        pair = LABELS.get(type(value).__name__, {}).get(value.value)
        if pair:
            return pair[0] if (lang or _lang) == "zh" else pair[1]
        return value.value
    return str(value)


def header(key: str, lang: str | None = None) -> str:
    pair = HEADERS.get(key)
    if pair is None:
        return key
    return pair[0] if (lang or _lang) == "zh" else pair[1]


@cache
def _code_tables(enum: type[StrEnum]) -> tuple[dict[str, StrEnum], dict[str, StrEnum]]:
    """Codes, then labels (Chinese as written, English in lower case): an import reads the
    same few words a hundred thousand times."""
    codes: dict[str, StrEnum] = {m.value: m for m in enum}
    names: dict[str, StrEnum] = {}
    for code, (zh, en) in LABELS.get(enum.__name__, {}).items():
        names.setdefault(zh, enum(code))
        names.setdefault(en.lower(), enum(code))
    return codes, names


def parse_code(enum: type[StrEnum], text: str) -> StrEnum | None:
    """A code or its label (Chinese or English, any case) back to the enum member."""
    raw = text.strip()
    low = raw.lower()
    codes, names = _code_tables(enum)
    return codes.get(low) or names.get(raw) or names.get(low)


def choices(enum: type[StrEnum]) -> str:
    """`code 中文` pairs for an error message or help text."""
    names = LABELS.get(enum.__name__, {})
    return ", ".join(
        f"{m.value} {names[m.value][0]}" if m.value in names else m.value for m in enum
    )
