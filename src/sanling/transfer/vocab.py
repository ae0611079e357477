"""How an office's words become sanling's values: outcomes written as words or sentences, the
word tables that infer a value a file does not give, and the rules for an outcome's date.

Everything here is declared once and documented in docs/import-export.md ("Office words"):

- OUTCOMES: phrases that say where a dispute or hazard stands. A cell is read by the phrase
  that starts first in it (`未化解，已提请…` is open, `经调解…已化解` resolved); of several
  outcome cells in a row the furthest state wins (resolved over stabilized over in progress
  over open).
- CATEGORY_WORDS, AREA_WORDS: a dispute's category from its summary, a hazard's area from its
  description and location, by the first entry of the table with a word found; else 其他.
- METHOD_WORDS: how a dispute said resolved was resolved (else 调解, mediation).
- A petition without a 层级 column was received by the town (its own 台账): level `town`.
- An outcome's date comes from the row's own columns; a row said done without one is dated by
  OUTCOME_DATE_RULE: its deadline if that has passed, else its found date (never today).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from typing import Any, TypeVar

from sanling.codes import (
    DisputeCategory,
    DisputeStatus,
    HazardArea,
    HazardStatus,
    Level,
    ResolutionMethod,
)
from sanling.errors import SanlingError
from sanling.i18n import tr
from sanling.transfer.officedates import Pending

# ---- outcomes -----------------------------------------------------------------------------
DISPUTE_OUTCOMES: dict[StrEnum, tuple[str, ...]] = {
    DisputeStatus.open: (
        "未化解",
        "未能化解",
        "尚未化解",
        "调解不成功",
        "调解失败",
        "调解未成功",
        "未达成",
        "未解决",
        "未办结",
        "未销号",
        "未调处",
        "待化解",
    ),
    DisputeStatus.in_progress: (
        "正在调解",
        "正在",
        "化解中",
        "调解中",
        "协调中",
        "处理中",
        "办理中",
        "跟进中",
        "调处中",
    ),
    DisputeStatus.stabilized: ("已稳控", "稳控", "基本稳定"),
    DisputeStatus.referred: ("已移交", "移交", "转交", "已转办"),
    DisputeStatus.resolved: (
        "已化解",
        "化解成功",
        "调解成功",
        "成功调解",
        "达成调解协议",
        "达成协议",
        "已调解",
        "已解决",
        "已办结",
        "办结",
        "已结案",
        "结案",
        "息诉罢访",
        "已销号",
    ),
}
HAZARD_OUTCOMES: dict[StrEnum, tuple[str, ...]] = {
    HazardStatus.open: ("未整改", "尚未整改", "未完成", "未销号", "不合格", "整改不到位", "待整改"),
    HazardStatus.rectifying: ("整改中", "正在整改", "正在", "推进中", "处理中", "已制定方案"),
    HazardStatus.rectified: (
        "已整改",
        "已完成整改",
        "完成整改",
        "整改完成",
        "整改合格",
        "整改到位",
        "已完成",
        "已处理",
        "已排除",
        "已消除",
    ),
    HazardStatus.closed: ("已销号", "销号", "复查合格", "验收合格", "验收通过"),
}
# The order states rank in when a row's outcome cells disagree: the furthest wins.
_RANK: dict[StrEnum, int] = {
    DisputeStatus.open: 0,
    DisputeStatus.in_progress: 1,
    DisputeStatus.stabilized: 2,
    DisputeStatus.referred: 3,
    DisputeStatus.resolved: 4,
    HazardStatus.open: 0,
    HazardStatus.rectifying: 1,
    HazardStatus.rectified: 2,
    HazardStatus.closed: 3,
}
DONE = (DisputeStatus.resolved, HazardStatus.rectified, HazardStatus.closed)


def outcome(enum: type[StrEnum], text: str) -> StrEnum | None:
    """The state an outcome cell says (a code, its label or a phrase of the table inside a
    sentence): the phrase that starts first, the longest at one place; None if none."""
    from sanling.i18n import parse_code

    text = text.strip()
    direct = parse_code(enum, text)
    if direct is not None:
        return direct
    table = DISPUTE_OUTCOMES if enum is DisputeStatus else HAZARD_OUTCOMES
    best: tuple[int, int, StrEnum] | None = None
    for state, phrases in table.items():
        for phrase in phrases:
            at = text.find(phrase)
            if at >= 0 and (best is None or (at, -len(phrase)) < (best[0], -best[1])):
                best = (at, len(phrase), state)
    return best[2] if best else None


def furthest(states: list[StrEnum]) -> StrEnum | None:
    return max(states, key=lambda s: _RANK.get(s, 0)) if states else None


# ---- inference tables -------------------------------------------------------------------------
CATEGORY_WORDS: tuple[tuple[DisputeCategory, tuple[str, ...]], ...] = (
    (DisputeCategory.labour, ("拖欠工资", "欠薪", "讨薪", "工资", "劳务费", "工钱", "农民工")),
    (DisputeCategory.housing_land, ("宅基地", "建房", "房屋", "房产", "院墙", "滴水")),
    (DisputeCategory.marriage_family, ("离婚", "婚姻", "夫妻", "赡养", "抚养", "继承", "家庭")),
    (DisputeCategory.property_mgmt, ("物业费", "物业", "停车收费", "业主")),
    (DisputeCategory.compensation, ("征地", "拆迁", "征收", "安置补偿")),
    (DisputeCategory.land, ("山林", "林地", "林权", "土地", "承包地", "地界", "流转")),
    (DisputeCategory.traffic, ("交通事故", "车祸", "剐蹭", "追尾", "撞")),
    (DisputeCategory.medical, ("医疗", "医院", "医患", "诊所")),
    (DisputeCategory.environment, ("污染", "噪音", "噪声", "粉尘", "排污", "异味")),
    (DisputeCategory.contract, ("借款", "欠款", "借贷", "合同", "货款", "债务")),
    (DisputeCategory.village_affairs, ("村务", "村集体", "村委", "选举", "低保", "分红")),
    (DisputeCategory.business, ("经营", "生意", "合伙", "养殖", "承包经营")),
    (DisputeCategory.damage, ("赔偿", "损坏", "损毁", "伤害", "殴打", "咬伤")),
    (DisputeCategory.neighbour, ("邻居", "邻里", "排水", "通行", "采光")),
)
AREA_WORDS: tuple[tuple[HazardArea, tuple[str, ...]], ...] = (
    (HazardArea.chemicals, ("危化品", "危险化学品", "化学品", "危化", "储罐", "油罐", "易燃易爆")),
    (HazardArea.fire, ("消防", "灭火器", "电线", "私拉乱接", "用电", "液化气", "燃气", "火灾")),
    (HazardArea.road, ("减速带", "交通", "道路", "急弯", "路口", "警示标志", "校车", "护栏")),
    (HazardArea.geological, ("滑坡", "山体", "泥石流", "塌陷", "地质", "落石")),
    (HazardArea.forest_fire, ("林区", "森林", "野外用火", "烧荒", "秸秆焚烧")),
    (HazardArea.building, ("危房", "围墙", "墙体", "开裂", "倾斜", "楼梯", "扶手", "窑洞", "房屋")),
)
METHOD_WORDS: tuple[tuple[ResolutionMethod, tuple[str, ...]], ...] = (
    (ResolutionMethod.legal, ("诉讼", "法院", "判决", "起诉", "仲裁")),
    (ResolutionMethod.petition, ("信访",)),
    (ResolutionMethod.administrative, ("行政", "裁决", "执法")),
    (ResolutionMethod.mediation, ("调解",)),
)
# Required values a file need not have a column for: settle infers them.
INFERABLE = {"disputes": ("category",), "hazards": ("area",), "petitions": ("level",)}
PETITION_LEVEL = Level.town  # a town's own petition 台账: received by the town
OUTCOME_DATE_RULE = (
    "时限已过的以时限为准，否则以发现日期为准",
    "the deadline if it has passed, else the found date",
)


E = TypeVar("E", bound=StrEnum)


def by_words(table: tuple[tuple[E, tuple[str, ...]], ...], text: str) -> E | None:
    """The first entry of `table` with a word in `text`."""
    for value, words in table:
        if any(w in text for w in words):
            return value
    return None


def matched_word(table: tuple[tuple[StrEnum, tuple[str, ...]], ...], text: str) -> str:
    for _value, words in table:
        for w in words:
            if w in text:
                return w
    return ""


def outcome_date(found: dt.date, deadline: dt.date | None, today: dt.date) -> dt.date:
    """OUTCOME_DATE_RULE: the date of an outcome a row gives no date for."""
    if deadline is not None and found <= deadline <= today:
        return deadline
    return found


# Words for a person's risk (风险等级 0-5; the visit policy: 3-5 weekly).
PERSON_RISK = {"低": 1, "一般": 1, "中": 2, "关注": 2, "较高": 3, "高": 3, "重点": 3}


# ---- one row ------------------------------------------------------------------------------
_SPLIT = re.compile(r"[\n/／]")
# The column that dates a record of each kind (what 立即整改 and 3月底 are read against).
FOUND_KEY = {"disputes": "found", "hazards": "found", "persons": "listed"}


@dataclass
class Settled:
    """What the words of one row came to: the record's extra (kept columns, notes), the
    problems (column key, reason) and which values were inferred."""

    extra: dict[str, Any] | None = None
    problems: list[tuple[str | None, str]] = field(default_factory=list)
    inferred: list[str] = field(default_factory=list)
    undated: bool = False
    done: bool = False


def settle(
    kind: str,
    fx: Any,
    headers: dict[str, str],
    fallback_keys: set[str],
    values: dict[str, Any],
    extras: dict[str, Any],
    kept: dict[str, str],
) -> Settled:
    """Read a row's office words after its cells (and any whole-file defaults) are in:
    combined cells, dates that need the row, outcome words and their date, inferred values.
    Changes `values` and `extras` in place."""
    out = Settled()
    notes: list[str] = []
    _split_combined(headers, values, kept)
    found = _found(kind, fx, values)
    _dates(kind, fx, headers, values, extras, found, notes, out)
    if kind == "disputes":
        _dispute(fx, headers, fallback_keys, values, extras, found, notes, out)
    elif kind == "hazards":
        _hazard(fx, headers, values, extras, kept, found, notes, out)
    elif kind == "petitions" and "level" not in values:
        values["level"] = PETITION_LEVEL
        out.inferred.append("level")
        notes.append(tr("层级按本镇台账推断为乡镇", "level inferred as town (a town's own ledger)"))
    elif kind == "persons" and isinstance(values.get("risk"), str):
        risk = PERSON_RISK.get(values["risk"].strip())
        if risk is not None:
            values["risk"] = risk
    if kept or notes:
        out.extra = {}
        if kept:
            out.extra["columns"] = kept
        if notes:
            out.extra["notes"] = notes
    return out


@cache
def combined_parts(header: str) -> tuple[str, ...]:
    """A combined header's parts (fields.COMBINED: 责任单位⏎责任人); () for any other."""
    from sanling.fields import COMBINED
    from sanling.transfer.specs import norm

    if norm(header) not in {norm(c) for c in COMBINED}:
        return ()
    return tuple(p.strip() for p in _SPLIT.split(header) if p.strip())


def _split_combined(headers: dict[str, str], values: dict[str, Any], kept: dict[str, str]) -> None:
    """责任单位⏎责任人 over `镇司法所⏎张明`: the field takes the last line, the first part of the
    header keeps the lines before."""
    for key, header in headers.items():
        parts = combined_parts(header)
        value = values.get(key)
        if len(parts) < 2 or not isinstance(value, str):
            continue
        lines = [p.strip() for p in _SPLIT.split(value) if p.strip()]
        if len(lines) >= 2:
            values[key] = lines[-1]
            kept[parts[0]] = "、".join(lines[:-1])


def _found(kind: str, fx: Any, values: dict[str, Any]) -> dt.date:
    value = values.get(FOUND_KEY.get(kind, "date"))
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return fx.date(value, "found")
        except SanlingError:
            pass
    return fx.today


def _dates(
    kind: str,
    fx: Any,
    headers: dict[str, str],
    values: dict[str, Any],
    extras: dict[str, Any],
    found: dt.date,
    notes: list[str],
    out: Settled,
) -> None:
    """Dates that need the row: 3月底, 立即整改 (the found date), 长期 (no deadline)."""
    for where in (values, extras):
        for key, value in list(where.items()):
            if not isinstance(value, Pending):
                continue
            header = headers.get(key, key)
            if value.rule == "none" and key != "deadline":
                out.problems.append((key, tr("“{v}”不是日期", "'{v}' is not a date", v=value.text)))
                del where[key]
                continue
            try:
                day = value.resolve(found)
            except ValueError:
                out.problems.append(
                    (key, tr("“{v}”不是有效日期", "'{v}' is not a valid date", v=value.text))
                )
                del where[key]
                continue
            if day is None:
                del where[key]
                notes.append(
                    tr(
                        "{h}原为“{v}”，未设时限，按默认时限",
                        "{h} was '{v}': no deadline set, the default applies",
                        h=header,
                        v=value.text,
                    )
                )
            else:
                where[key] = day


def _deadline(fx: Any, values: dict[str, Any]) -> dt.date | None:
    value = values.get("deadline")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return fx.date(value, "deadline", allow_future=True)
        except SanlingError:
            return None
    return None


def _undated(
    fx: Any, values: dict[str, Any], found: dt.date, what: str, notes: list[str], out: Settled
) -> dt.date:
    """The date of an outcome the row gives none for, by OUTCOME_DATE_RULE, noted."""
    day = outcome_date(found, _deadline(fx, values), fx.today)
    out.undated = True
    notes.append(
        tr(
            "原表未写{w}日期，按规则（{r}）记为 {d}",
            "the file gives no {w} date: dated {d} by the rule ({r})",
            w=what,
            r=tr(*OUTCOME_DATE_RULE),
            d=day.isoformat(),
        )
    )
    return day


def _refused(enum: type[StrEnum], text: str) -> str:
    from sanling.i18n import choices

    return tr(
        "“{v}”不是可选值；可选：{c}（或写明已化解、已整改、未化解等）",
        "'{v}' is not one of: {c} (or say 已化解, 已整改, 未化解 ...)",
        v=text,
        c=choices(enum),
    )


def _dispute(
    fx: Any,
    headers: dict[str, str],
    fallback_keys: set[str],
    values: dict[str, Any],
    extras: dict[str, Any],
    found: dt.date,
    notes: list[str],
    out: Settled,
) -> None:
    if "category" not in values:
        summary = str(values.get("summary") or "")
        category = by_words(CATEGORY_WORDS, summary) or DisputeCategory.other
        values["category"] = category
        out.inferred.append("category")
        notes.append(_inferred_note("category", category, matched_word(CATEGORY_WORDS, summary)))
    states: list[StrEnum] = []
    status_text = extras.get("status")
    if isinstance(status_text, str):
        state = outcome(DisputeStatus, status_text)
        if state is None:
            out.problems.append(("status", _refused(DisputeStatus, status_text)))
            del extras["status"]
        else:
            states.append(state)
    result = extras.get("result")
    if isinstance(result, str) and (state := outcome(DisputeStatus, result)) is not None:
        states.append(state)
    final = furthest(states)
    if final is None:
        extras.pop("status", None)
        if not result:
            return
        final = DisputeStatus.open
    extras["status"] = final
    if not result and isinstance(status_text, str) and not _plain_code(DisputeStatus, status_text):
        extras["result"] = status_text  # a sentence in the status column is the note
    extras.setdefault("noted_on", found)
    if final != DisputeStatus.resolved:
        return
    out.done = True
    if extras.get("resolved_on") is None:
        if "found" in fallback_keys:  # 调解时间: the day of the mediation that settled it
            extras["resolved_on"] = found
        else:
            extras["resolved_on"] = _undated(
                fx, values, found, tr("化解", "resolution"), notes, out
            )
    if extras.get("method") is None:
        text = f"{extras.get('result') or ''}{status_text or ''}"
        method = by_words(METHOD_WORDS, text) or ResolutionMethod.mediation
        extras["method"] = method
        out.inferred.append("method")
        notes.append(_inferred_note("method", method, matched_word(METHOD_WORDS, text)))


def _hazard(
    fx: Any,
    headers: dict[str, str],
    values: dict[str, Any],
    extras: dict[str, Any],
    kept: dict[str, str],
    found: dt.date,
    notes: list[str],
    out: Settled,
) -> None:
    if "area" not in values:
        text = f"{values.get('description') or ''} {values.get('location') or ''}"
        area = by_words(AREA_WORDS, text) or HazardArea.other
        values["area"] = area
        out.inferred.append("area")
        notes.append(_inferred_note("area", area, matched_word(AREA_WORDS, text)))
    status_text = extras.get("status")
    if not isinstance(status_text, str):
        return
    state = outcome(HazardStatus, status_text)
    if state is None:
        out.problems.append(("status", _refused(HazardStatus, status_text)))
        del extras["status"]
        return
    if not _plain_code(HazardStatus, status_text):
        kept[headers.get("status", "status")] = status_text  # the sentence stays on the record
    if state == HazardStatus.rectified and extras.get("checked_by") and extras.get("closed_on"):
        state = HazardStatus.closed  # re-checked (复查人, 复查时间) and found rectified
    extras["status"] = state
    if state not in DONE:
        return
    out.done = True
    if extras.get("rectified_on") is None:
        day = extras.get("closed_on")
        extras["rectified_on"] = (
            day
            if day is not None
            else _undated(fx, values, found, tr("整改", "rectification"), notes, out)
        )


def _plain_code(enum: type[StrEnum], text: str) -> bool:
    """Whether a cell is just a code or its label (no sentence to keep)."""
    from sanling.i18n import parse_code

    return parse_code(enum, text) is not None


def _inferred_note(key: str, value: StrEnum, word: str) -> str:
    from sanling.i18n import header, label

    if word:
        return tr(
            "{h}按“{w}”推断为{v}",
            "{h} inferred as {v} from '{w}'",
            h=header(key),
            w=word,
            v=label(value),
        )
    return tr(
        "{h}无可推断的词，记为{v}",
        "{h}: no word to infer it from, {v}",
        h=header(key),
        v=label(value),
    )
