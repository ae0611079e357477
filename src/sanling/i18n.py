"""Labels and messages in Chinese (zh) and English (en).

Codes are stored and shown in JSON; labels are what people read. A code's labels are declared
with it (codes.py); column headers live in the catalog below; a message is written at its call
site with `tr(zh, en)`, so each module keeps its own wording and nothing here grows with every
error.
"""

from __future__ import annotations

import os
from enum import StrEnum
from functools import cache
from typing import Any

from sanling.codes import Coded

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
    "prevented_criminal": ("防止民转刑", "prevented a criminal case"),
    "prevented_group_petition": ("防止群体性上访", "prevented a group petition"),
    "agreement_no": ("调解协议编号", "agreement number"),
    "agreement_content": ("协议内容", "agreement"),
    "agreement_amount": ("协议金额（元）", "amount (yuan)"),
    "agreement_oral": ("口头协议", "oral agreement"),
    "agreed_on": ("达成协议日期", "agreed on"),
    "performance_due": ("履行期限", "performance due"),
    "followup_due": ("回访期限", "follow-up due"),
    "confirm_court": ("司法确认法院", "confirming court"),
    "confirmed_on": ("司法确认日期", "confirmed on"),
    "confirm_by": ("司法确认申请期限", "confirmation asked by"),
    "performed": ("履行情况", "performed"),
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
    "term_from": ("期限起始日期", "term from"),
    "term_end": ("期满日期", "term end"),
    "listing_ends": ("列管期满", "listing ends"),
    "rectified": ("已整改", "rectified"),
    "patrols": ("巡逻次数", "patrols"),
    "key": ("设置项", "key"),
    "card_item": ("项目", "field"),
    # Text options named by their heading when left blank (Ledger.text)
    "approved_by": ("批准人", "approved by"),
    "content": ("协议内容", "content"),
    "court": ("法院", "court"),
    "number": ("协议编号", "number"),  # the first column of a record's card (Detail)
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
    # what an import kept on a record (models.Record.extra)
    "kept": ("原表其他列", "other columns of the file"),
    "import_notes": ("导入说明", "import notes"),
    # a village's own group robot (issue 18), shown masked
    "webhook": ("村群机器人", "group robot"),
    "dingtalk_secret": ("钉钉加签密钥", "DingTalk secret"),
    # corrections (issue 14)
    "voided": ("已作废", "voided"),
    "voided_at": ("作废时间", "voided at"),
    "voided_by": ("作废人", "voided by"),
    "void_reason": ("作废原因", "void reason"),
    "correction": ("更正", "correction"),
    "changes": ("更正内容", "changes"),
}

# Issue 16 (h16a): a petition's life under the 信访工作条例.
HEADERS.update(
    {
        "stage": ("办理阶段", "stage"),
        "step": ("环节", "step"),
        "step_due": ("时限", "due"),
        "done_on": ("办理日期", "done on"),
        "on_time": ("按期", "on time"),
        "due": ("当前时限", "current deadline"),
        "accept_due": ("受理告知时限", "acceptance due"),
        "accepted_on": ("受理告知日期", "accepted on"),
        "refused_on": ("不予受理日期", "refused on"),
        "refuse_reason": ("不予受理理由", "refusal reason"),
        "reply_due": ("答复时限", "reply due"),
        "extended_on": ("延期日期", "extended on"),
        "extended_to": ("延期至", "extended to"),
        "extend_reason": ("延期理由", "extension reason"),
        "extend_approved_by": ("延期批准人", "extension approved by"),
        "replied_on": ("答复日期", "replied on"),
        "reply_note": ("答复意见", "reply"),
        "review_requested": ("复查申请日期", "review requested"),
        "review_due": ("复查时限", "review due"),
        "review_decided": ("复查决定日期", "review decided"),
        "review_result": ("复查意见", "review result"),
        "recheck_requested": ("复核申请日期", "recheck requested"),
        "recheck_due": ("复核时限", "recheck due"),
        "recheck_decided": ("复核决定日期", "recheck decided"),
        "recheck_result": ("复核意见", "recheck result"),
        "accepted_on_time": ("按期受理", "accepted on time"),
        "replied_on_time": ("按期办结", "replied on time"),
    }
)

# Issue 15 (h7): the columns of a county's --by-town table, which printed their keys.
HEADERS.update(
    {
        "subjects": ("创建主体数", "subjects"),
        "achieved": ("实现三零", "achieved 三零"),
        "disputes_found": ("排查纠纷", "disputes found"),
        "disputes_resolved": ("化解纠纷", "disputes resolved"),
        "disputes_overdue": ("逾期纠纷", "disputes overdue"),
        "disputes_rate": ("纠纷化解率%", "disputes resolved %"),
        "hazards_found": ("排查隐患", "hazards found"),
        "hazards_rectified": ("整改隐患", "hazards rectified"),
        "hazards_rate": ("隐患整改率%", "hazards rectified %"),
        "cases_criminal": ("刑事案件", "criminal cases"),
        "cases_administrative": ("行政案件", "administrative cases"),
        "administrative_change": ("行政案件同比%", "administrative cases change %"),
        "petitions_breaking": ("破零信访", "petitions breaking a zero"),
        "accidents_breaking": ("破零事故", "accidents breaking a zero"),
        "visits_overdue": ("走访逾期", "visits overdue"),
        # db status and db check
        "ledger": ("台账", "ledger"),
        "revision": ("结构版本", "revision"),
        "head": ("最新版本", "head"),
        "state": ("状态", "state"),
        "size_bytes": ("大小（字节）", "size_bytes"),
        "audit_head": ("最新日志哈希", "audit_head"),
        "problem": ("问题", "problem"),
    }
)

# Issue 17: titles (命名, 摘牌) and the 三零 compliance report (三零达标).
HEADERS.update(
    {
        "year": ("年度", "year"),
        "title": ("称号", "title"),
        "named_on": ("命名日期", "named on"),
        "revoked": ("已摘牌", "revoked"),
        "revoked_on": ("摘牌日期", "revoked on"),
        "revoke_reason": ("摘牌原因", "revoke reason"),
        "revoke_ref": ("破零记录", "record"),
        "zero": ("三零", "zero"),
        "zero_petition": ("零上访", "zero petitions"),
        "zero_accident": ("零事故", "zero accidents"),
        "zero_case": ("零案件", "zero cases"),
        "holding": ("三零达标", "holding 三零"),
        "target": ("目标%", "target %"),
        "gap": ("差距（个）", "gap (subjects)"),
        "village_rate": ("行政村达标率%", "villages %"),
        "community_rate": ("社区达标率%", "communities %"),
        "unit_rate": ("单位达标率%", "units %"),
        "enterprise_rate": ("企业达标率%", "enterprises %"),
    }
)

# Issue 16 (h16b): supervision (督办) and deadline extensions (延期).
HEADERS.update(
    {
        "supervision": ("督办", "supervision"),
        "supervised_since": ("督办日期", "supervised since"),
        "supervised_by": ("督办单位", "supervised by"),
        "card": ("督办", "card"),
        "original_deadline": ("原定时限", "original deadline"),
        "from_deadline": ("原时限", "deadline before"),
        "to_deadline": ("延期至", "extended to"),
        "approved_by": ("批准人", "approved by"),
        "lifted": ("已解除", "lifted"),
        "record_id": ("记录", "record"),
        "yellow_cards": ("黄牌督办", "yellow cards"),
        "red_cards": ("红牌督办", "red cards"),
    }
)

# Issue 17 item 5: what `sanling merge` added from a town's ledger.
HEADERS.update(
    {
        "file": ("文件", "file"),
        "entries_added": ("新增日志条数", "audit entries added"),
        "entries": ("日志总条数", "audit entries"),
        "rows_added": ("新增行数", "rows added"),
        "rows_changed": ("更新行数", "rows changed"),
        "rows_removed": ("删除行数", "rows removed"),
        "added": ("新增", "added"),
        "changed": ("更新", "changed"),
        "removed": ("删除", "removed"),
    }
)


def label(value: Any, lang: str | None = None) -> str:
    """The label of a code (codes.Coded), the code of any other enum member, or the text."""
    if isinstance(value, Coded):
        return value.zh if (lang or _lang) == "zh" else value.en
    if isinstance(value, StrEnum):
        return value.value
    return str(value)


def header(key: str, lang: str | None = None) -> str:
    pair = HEADERS.get(key)
    if pair is None:
        return key
    return pair[0] if (lang or _lang) == "zh" else pair[1]


# A heading a kind of record words its own way (by table): a dispute is 化解 by its deadline,
# a backlog case 办结, a hazard 完成 (整改); a listing of several kinds says 时限.
TABLE_HEADERS: dict[str, dict[str, tuple[str, str]]] = {
    "backlog_cases": {"deadline": ("办结时限", "deadline")},
    "hazards": {"deadline": ("完成时限", "deadline")},
    "": {"deadline": ("时限", "deadline")},
}


def header_in(table: str, key: str, lang: str | None = None) -> str:
    """The heading of `key` in a listing of `table`'s records (TABLE_HEADERS, else HEADERS);
    `table` "" for a listing of several kinds."""
    pair = TABLE_HEADERS.get(table, {}).get(key)
    if pair is None:
        return header(key, lang)
    return pair[0] if (lang or _lang) == "zh" else pair[1]


@cache
def _code_tables(enum: type[StrEnum]) -> tuple[dict[str, StrEnum], dict[str, StrEnum]]:
    """Codes, then labels (Chinese as written, English in lower case): an import reads the
    same few words a hundred thousand times."""
    codes: dict[str, StrEnum] = {m.value: m for m in enum}
    names: dict[str, StrEnum] = {}
    for member in enum:
        if isinstance(member, Coded):
            names.setdefault(member.zh, member)
            names.setdefault(member.en.lower(), member)
    for member in enum:  # other words offices write, after every label
        for alias in getattr(member, "aliases", ()):
            names.setdefault(alias.lower(), member)
    return codes, names


# Words offices add to a code's label: 婚姻家庭纠纷, 一般隐患, 刑满释放人员 (tried when the whole
# word is not known).
CODE_SUFFIXES = ("纠纷", "隐患", "人员", "类", "问题", "事件")


def parse_code(enum: type[StrEnum], text: str) -> StrEnum | None:
    """A code, its label (Chinese or English, any case) or another word declared for it (the
    label with a suffix such as 纠纷 or 隐患 too) back to the enum member."""
    raw = text.strip()
    low = raw.lower()
    codes, names = _code_tables(enum)
    found = codes.get(low) or names.get(raw) or names.get(low)
    if found is None:
        for suffix in CODE_SUFFIXES:
            if raw.endswith(suffix) and len(raw) > len(suffix):
                stem = raw[: -len(suffix)].lower()
                return codes.get(stem) or names.get(stem)
    return found


def choices(enum: type[StrEnum], extra: tuple[tuple[str, str], ...] = ()) -> str:
    """`code 中文` pairs for an error message or help text, and the `extra` (code, 中文)
    pairs a caller takes beside the enum's codes, all joined by one separator."""
    pairs = [f"{m.value} {m.zh}" if isinstance(m, Coded) else m.value for m in enum]
    return ", ".join([*pairs, *(f"{code} {zh}" for code, zh in extra)])
