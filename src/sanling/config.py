"""Policy settings stored in the ledger (deadlines, 三零 rules, grading, visits, timezone).

Defaults are those of domain.md; every value is validated by the Policy model, so a bad value
is refused with its allowed range. Stored as text in the `settings` table, one row per key
that differs from... any key that was set; unset keys take the default.
"""

from __future__ import annotations

import json
import re
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from sanling.codes import Level
from sanling.errors import InvalidValue, NotFound
from sanling.i18n import tr


class Policy(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    timezone: str = Field("Asia/Shanghai", description="town time zone (IANA name) 时区")

    dispute_deadline_days: int = Field(
        15, ge=1, le=365, description="dispute deadline, days after found 纠纷化解时限"
    )
    dispute_deadline_days_high: int = Field(
        7, ge=1, le=365, description="high-risk dispute deadline 高风险纠纷化解时限"
    )
    hazard_deadline_days_general: int = Field(
        30, ge=1, le=730, description="general hazard deadline 一般隐患整改时限"
    )
    hazard_deadline_days_major: int = Field(
        90, ge=1, le=730, description="major hazard deadline 重大隐患整改时限"
    )
    due_soon_days: int = Field(
        3, ge=0, le=60, description="days before a deadline that count as due soon 临期天数"
    )

    visit_days_high: int = Field(
        7, ge=1, le=365, description="visit interval for high-risk key persons 高风险走访间隔"
    )
    visit_days: int = Field(
        30, ge=1, le=365, description="visit interval for other key persons 走访间隔"
    )
    visit_high_risk_from: int = Field(
        3, ge=0, le=5, description="risk level from which visits are weekly 高风险起点"
    )
    # Visits by category and risk (issue 16; ledger/person.py `schedule`): severe mental
    # disorder by the risk levels of 严重精神障碍管理治疗工作规范 (2018); released prisoners and
    # drug users monthly; other categories by visit_days / visit_days_high above.
    visit_days_mental_0: int = Field(
        90, ge=1, le=365, description="visit interval, mental disorder risk 0 精神障碍0级随访间隔"
    )
    visit_days_mental_1_2: int = Field(
        60, ge=1, le=365, description="visit interval, mental disorder risk 1-2 精神障碍1-2级"
    )
    visit_days_mental_3_5: int = Field(
        14, ge=1, le=365, description="visit interval, mental disorder risk 3-5 精神障碍3-5级"
    )
    visit_days_released: int = Field(
        30, ge=1, le=365, description="visit interval, released prisoners 刑满释放人员走访间隔"
    )
    visit_days_drug: int = Field(
        30, ge=1, le=365, description="visit interval, drug users 吸毒人员走访间隔"
    )
    visit_due_days: int = Field(
        7, ge=0, le=60, description="days before a visit falls due that count as due 走访临期天数"
    )
    listing_years_released: int = Field(
        5, ge=1, le=20, description="安置帮教 years from release 安置帮教期限（年）"
    )
    listing_years_drug: int = Field(
        3, ge=1, le=20, description="社区戒毒 years from its start 社区戒毒期限（年）"
    )
    listing_ends_days: int = Field(
        30,
        ge=0,
        le=365,
        description="days ahead `person list --status listing-ends` looks 期满提示天数",
    )
    mediation_confirm_days: int = Field(
        30,
        ge=1,
        le=365,
        description="days after a mediation agreement to ask 司法确认 司法确认申请期限",
    )
    mediation_followup_days: int = Field(
        30, ge=1, le=365, description="days after a mediation agreement a follow-up is due 回访时限"
    )

    petition_breaking_level: Level = Field(
        Level.city, description="a petition reaching this level breaks 零上访"
    )
    petition_collective_people: int = Field(
        5, ge=2, le=1000, description="people that make a collective petition 集体访人数"
    )
    petition_collective_level: Level = Field(
        Level.county, description="a collective petition at this level breaks 零上访"
    )
    petition_abnormal_breaks: bool = Field(
        True, description="an abnormal petition breaks 零上访 非正常访破零"
    )
    # The time limits of the 信访工作条例 (2022), Art. 31-36 (docs/petitions.md).
    petition_accept_days: int = Field(
        15, ge=1, le=365, description="days from receipt to tell acceptance 信访受理告知时限"
    )
    petition_reply_days: int = Field(
        60, ge=1, le=365, description="days from acceptance to the written reply 信访办理时限"
    )
    petition_extend_max_days: int = Field(
        30, ge=0, le=365, description="longest extension of the reply, days 信访延期上限"
    )
    petition_review_request_days: int = Field(
        30, ge=1, le=365, description="days after the reply to ask a 复查 复查申请期限"
    )
    petition_review_days: int = Field(
        30, ge=1, le=365, description="days to decide a 复查 复查办理时限"
    )
    petition_recheck_request_days: int = Field(
        30, ge=1, le=365, description="days after the 复查 decision to ask a 复核 复核申请期限"
    )
    petition_recheck_days: int = Field(
        30, ge=1, le=365, description="days to decide a 复核 复核办理时限"
    )
    accident_death_breaks: bool = Field(True, description="an accident with a death breaks 零事故")
    accident_serious_injury_breaks: bool = Field(
        True, description="an accident with a serious injury breaks 零事故"
    )
    case_criminal_breaks: bool = Field(True, description="a criminal case breaks 零案件")
    case_major_administrative_breaks: bool = Field(
        True, description="a major administrative case breaks 零案件"
    )
    case_any_administrative_breaks: bool = Field(
        False,
        description="any administrative (治安) case breaks 零案件, major or not 治安案件均破零",
    )

    # The campaign's targets (issue 17): the share of each kind of subject that must hold all
    # three zeros, in percent; a value may hold other years' targets: "80; 2027=85; 2028=90".
    target_village: str = Field(
        "80", description="三零 target for villages, % (per year: 80; 2027=85) 行政村达标目标"
    )
    target_community: str = Field(
        "80", description="三零 target for communities, % (per year: 80; 2027=85) 社区达标目标"
    )
    target_unit: str = Field(
        "90", description="三零 target for units, % (per year: 90; 2027=95) 单位达标目标"
    )
    target_enterprise: str = Field(
        "90", description="三零 target for enterprises, % (per year: 90; 2027=95) 企业达标目标"
    )

    appraisal_pass_mark: float = Field(
        90.0, ge=0, le=100, description="appraisal score that passes (of 100) 考评合格分"
    )

    grading_months: int = Field(
        12, ge=1, le=60, description="months of records a grade looks at 定级统计月数"
    )
    weight_open_dispute: float = Field(
        2.0, ge=0, le=100, description="grading weight: open dispute 未化解纠纷"
    )
    weight_overdue_dispute: float = Field(
        3.0, ge=0, le=100, description="grading weight: overdue dispute 逾期纠纷"
    )
    weight_open_hazard: float = Field(
        2.0, ge=0, le=100, description="grading weight: open general hazard 未整改一般隐患"
    )
    weight_open_major_hazard: float = Field(
        5.0, ge=0, le=100, description="grading weight: open major hazard 未整改重大隐患"
    )
    weight_criminal_case: float = Field(
        5.0, ge=0, le=100, description="grading weight: criminal case 刑事案件"
    )
    weight_administrative_case: float = Field(
        1.0, ge=0, le=100, description="grading weight: administrative case 行政案件"
    )
    weight_breaking_petition: float = Field(
        4.0, ge=0, le=100, description="grading weight: petition breaking 零上访"
    )
    weight_open_backlog: float = Field(
        3.0, ge=0, le=100, description="grading weight: open backlog case 未化解积案"
    )
    weight_key_person: float = Field(
        0.5, ge=0, le=100, description="grading weight: listed key person 重点人员"
    )
    weight_open_hotspot: float = Field(
        3.0, ge=0, le=100, description="grading weight: open hotspot 未整治乱点"
    )
    # Supervision cards (issue 16): risk points while a card stands on a record of the village,
    # as one county platform deducts 5 and 10 from the supervised body.
    weight_yellow_card: float = Field(
        5.0, ge=0, le=100, description="grading weight: yellow card standing 黄牌督办"
    )
    weight_red_card: float = Field(
        10.0, ge=0, le=100, description="grading weight: red card standing 红牌督办"
    )
    major_hazard_extension_workdays: int = Field(
        20,
        ge=0,
        le=250,
        description="working days before its deadline a major hazard's extension is asked"
        " 重大隐患延期申请提前工作日",
    )
    major_hazard_extension_months: int = Field(
        12,
        ge=1,
        le=60,
        description="months a major hazard's deadline may move in all 重大隐患延期上限（月）",
    )
    credit_mediation_committee: float = Field(
        1.0, ge=0, le=100, description="grading credit: mediation committee 调委会"
    )
    credit_patrol_team: float = Field(
        1.0, ge=0, le=100, description="grading credit: patrol team 巡逻队"
    )
    credit_video: float = Field(
        1.0, ge=0, le=100, description="grading credit: video coverage 雪亮工程"
    )
    credit_police_office: float = Field(
        1.0, ge=0, le=100, description="grading credit: police office 警务室"
    )
    threshold_key: float = Field(
        8.0, ge=0, le=1000, description="score at or above which a village is key 重点村分数线"
    )
    threshold_general: float = Field(
        3.0, ge=0, le=1000, description="score at or above which a village is general 一般村分数线"
    )

    bulletin_webhooks: list[str] = Field(
        default_factory=list,
        description="group robot webhook URLs for `report bulletin --send` 群机器人",
    )
    bulletin_dingtalk_secret: str = Field(
        "", description="DingTalk robot signing secret 钉钉加签密钥"
    )
    webhook_timeout_seconds: float = Field(
        10.0, gt=0, le=120, description="webhook timeout, seconds 推送超时"
    )

    # Who may correct what (issue 14; ledger/locks.py): past these, --force.
    lock_reported_periods: bool = Field(
        False, description="correcting a record of a reported month needs --force 锁定已报送期间"
    )
    lock_grace_days: int = Field(
        0, ge=0, le=31, description="days of the next month before a month is reported 报送宽限"
    )
    edit_max_age_days: int = Field(
        0, ge=0, le=36500, description="correcting older records needs --force (0: never) 更正时限"
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}, e.g. Asia/Shanghai")
        return value

    @field_validator("bulletin_webhooks")
    @classmethod
    def _web_addresses(cls, value: list[str]) -> list[str]:
        for url in value:
            why = webhook_refusal(url)
            if why:
                raise ValueError(why)
        return value

    @field_validator("target_village", "target_community", "target_unit", "target_enterprise")
    @classmethod
    def _target_schedule(cls, value: str) -> str:
        return format_targets(parse_targets(value))

    @model_validator(mode="after")
    def _thresholds_in_order(self) -> Policy:
        if self.threshold_key < self.threshold_general:
            raise ValueError(
                f"threshold_key ({self.threshold_key:g}) must not be below "
                f"threshold_general ({self.threshold_general:g})"
            )
        return self


def parse_targets(text: str) -> tuple[float, dict[int, float]]:
    """A target setting: a percentage for every year, then any `YEAR=PERCENT` for one year
    ("80; 2027=85; 2028=90"; commas, semicolons or spaces between, `:` for `=` too)."""
    base: float | None = None
    years: dict[int, float] = {}
    joined = re.sub(r"\s*([=:：])\s*", r"\1", str(text).strip())
    for part in re.split(r"[;,，；\s]+", joined):
        if not part:
            continue
        found = re.fullmatch(r"(.*?)[=:：](.*)", part)
        if found is None:
            value = _percent(part)
            if base is not None:
                raise ValueError(
                    tr(
                        "每年通用的目标写了两个：{a:g} 和 {b:g}",
                        "two targets for every year: {a:g} and {b:g}",
                        a=base,
                        b=value,
                    )
                )
            base = value
            continue
        year_text, number = found.groups()
        if not re.fullmatch(r"\d{4}", year_text):
            raise ValueError(
                tr(
                    "“{y}”不是年份（年份=百分比）",
                    "'{y}' is not a year (YYYY=PERCENT)",
                    y=year_text,
                )
            )
        value = _percent(number)
        years[int(year_text)] = value
    if base is None:
        raise ValueError(
            tr(
                "先写每年通用的目标，如 80 或 80; 2027=85",
                "a target for every year comes first, e.g. 80 or 80; 2027=85",
            )
        )
    return base, years


def _percent(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(tr("“{t}”不是百分比", "'{t}' is not a percentage", t=text))
    if not 0 <= value <= 100:
        raise ValueError(
            tr(
                "目标是 0 到 100 之间的百分比，不是 {v:g}",
                "a target is a percentage from 0 to 100, not {v:g}",
                v=value,
            )
        )
    return value


def format_targets(schedule: tuple[float, dict[int, float]]) -> str:
    base, years = schedule
    return "; ".join([f"{base:g}", *(f"{y}={v:g}" for y, v in sorted(years.items()))])


def target(policy: Policy, kind: str, year: int) -> float:
    """The target (percent) of a kind of subject (village, community, unit, enterprise) for a
    year: that year's own if the setting names it, else its value for every year."""
    base, years = parse_targets(getattr(policy, f"target_{kind}"))
    return years.get(year, base)


SECRET_KEYS = {"bulletin_webhooks", "bulletin_dingtalk_secret"}


def webhook_refusal(url: str) -> str | None:
    """Why `url` cannot be a robot's address, or None: https, or http to this machine only
    (a test robot, a local relay); never file:, ftp: or a bare name."""
    import ipaddress
    import urllib.parse

    try:
        parts = urllib.parse.urlsplit(url.strip())
        host = (parts.hostname or "").lower()
        parts.port  # noqa: B018 - a bad port raises here
    except ValueError:
        return tr("不是网址（https://...）", "not a web address (https://...)")
    if parts.scheme == "https" and host:
        return None
    if parts.scheme == "http" and host:
        if host == "localhost" or host.endswith(".localhost"):
            return None
        try:
            if ipaddress.ip_address(host).is_loopback:
                return None
        except ValueError:
            pass
        return tr(
            "http 只能指向本机（127.0.0.1、localhost）；请用 https",
            "http is allowed to this machine only (127.0.0.1, localhost); use https",
        )
    scheme = f"{parts.scheme}:" if parts.scheme else tr("无协议", "no scheme")
    return tr(
        "不允许 {s}；机器人地址以 https:// 开头",
        "{s} is not allowed; a robot address starts with https://",
        s=scheme,
    )


def digest(stored: str) -> str:
    """What the audit log keeps of a secret setting's stored text: its SHA-256, so `db check`
    can tell it was not changed without the log holding the secret."""
    import hashlib

    return hashlib.sha256(stored.encode("utf-8")).hexdigest()


def keys() -> list[str]:
    return list(Policy.model_fields)


def canonical(key: str) -> str:
    """A setting's name as stored: `target.village` is `target_village` (dots for
    underscores, as the campaign's documents write the targets)."""
    if key not in Policy.model_fields and key.replace(".", "_") in Policy.model_fields:
        return key.replace(".", "_")
    return key


def _field(key: str) -> Any:
    field = Policy.model_fields.get(key)
    if field is None:
        raise NotFound(
            tr("没有设置项“{key}”", "no setting named '{key}'", key=key),
            tr("`sanling config list` 列出全部设置", "`sanling config list` shows them all"),
        )
    return field


def allowed(key: str) -> str:
    """A short description of the values a key accepts."""
    field = _field(key)
    parts = []
    for meta in field.metadata:
        for attr, sym in (("ge", ">="), ("gt", ">"), ("le", "<="), ("lt", "<")):
            if getattr(meta, attr, None) is not None:
                parts.append(f"{sym} {getattr(meta, attr)}")
    ann = field.annotation
    if key.startswith("target_"):
        return tr(
            "百分比，可加分年度目标：80; 2027=85", "a percentage, then any years': 80; 2027=85"
        )
    if ann is bool:
        return "true|false"
    if ann is Level:
        return "|".join(m.value for m in Level)
    if ann == list[str]:
        return tr("逗号分隔的地址，或 JSON 数组", "comma-separated URLs or a JSON array")
    kind = getattr(ann, "__name__", str(ann))
    return f"{kind} {' and '.join(parts)}".strip()


def parse_value(key: str, text: str, current: Policy | None = None) -> Any:
    """Turn the text of `config set KEY VALUE` into a validated value.

    It is checked together with the `current` settings (thresholds must stay in order).
    """
    field = _field(key)
    value: Any = text
    if field.annotation == list[str]:
        stripped = text.strip()
        if stripped.startswith("["):
            try:
                value = json.loads(stripped)
            except json.JSONDecodeError:
                value = None
        else:
            value = [u.strip() for u in stripped.split(",") if u.strip()]
    elif field.annotation is bool:
        low = text.strip().lower()
        truthy = {"true", "yes", "1", "on", "是"}
        falsy = {"false", "no", "0", "off", "否"}
        value = True if low in truthy else False if low in falsy else text
    try:
        base = current.model_dump() if current is not None else {}
        checked = Policy.model_validate({**base, key: value})
    except ValidationError as exc:
        from sanling.usage_zh import pydantic_error

        reason = pydantic_error(dict(exc.errors()[0]))
        raise InvalidValue(
            tr(
                "设置 {key} 的值“{text}”无效：{reason}",
                "invalid value '{text}' for {key}: {reason}",
                key=key,
                text=shown(key, [text])[:60] if key in SECRET_KEYS else text[:60],
                reason=reason,
            ),
            tr("允许：{allowed}", "allowed: {allowed}", allowed=allowed(key)),
        )
    return getattr(checked, key)


def encode(value: Any) -> str:
    return json.dumps(value.value if hasattr(value, "value") else value, ensure_ascii=False)


def decode_all(rows: dict[str, str]) -> Policy:
    """The policy from stored rows; rows for keys this version does not know are ignored."""
    data = {k: json.loads(v) for k, v in rows.items() if k in Policy.model_fields}
    try:
        return Policy.model_validate(data)
    except ValidationError:
        # A value that a newer rule refuses falls back to the default, key by key.
        good = {}
        for k, v in data.items():
            try:
                Policy.model_validate({k: v})
                good[k] = v
            except ValidationError:
                pass
        return Policy.model_validate(good)


def shown(key: str, value: Any) -> str:
    """A value for display; webhook addresses and secrets are never printed."""
    if key in SECRET_KEYS and value:
        if isinstance(value, list):
            return ", ".join(_mask_url(u) for u in value)
        return "******"
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "value"):
        return str(value.value)
    return str(value)


def _mask_url(url: str) -> str:
    """Keep the host so people know where it goes; hide the key and token parts, and a
    user name and password before the host (https://user:pass@host/...)."""
    import urllib.parse

    try:
        parts = urllib.parse.urlsplit(url.strip())
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return "******"
    if not host:
        return "******"
    if ":" in host:
        host = f"[{host}]"
    where = f"{host}:{port}" if port else host
    return f"{parts.scheme}://{where}/******" if parts.scheme else "******"
