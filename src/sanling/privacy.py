"""Masking of personal data (PIPL: sensitive personal information) of any kind of record,
and checking of key persons' ID numbers and phones.

One masking function per kind of value, used by every output path; unmasked output only
when the caller passes reveal=True, and the caller audits that read.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from sanling.codes import RefPrefix
from sanling.errors import InvalidValue
from sanling.fields import KIND_OF, MASKED, TABLE_OF
from sanling.i18n import tr

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_FULLWIDTH = str.maketrans("０１２３４５６７８９ＸｘXx", "0123456789XXXX")


def mask_name(name: str | None) -> str | None:
    """张三 -> 张**, 欧阳娜娜 -> 欧**: the first character, and always two stars (the
    mask does not tell how long the name is)."""
    if not name:
        return name
    return name[0] + "**"


def mask_address(address: str | None) -> str | None:
    """城庄镇城庄村3组12号 -> 城庄镇****: the first three characters (the town or village,
    shown in its own column anyway), the rest hidden, the length not told."""
    if not address:
        return address
    return address[:3] + "****" if len(address) > 3 else "****"


def mask_id(number: str | None) -> str | None:
    """110105194912310021 -> 110105********0021: region and last four."""
    if not number:
        return number
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_phone(phone: str | None) -> str | None:
    """13812341234 -> 138****1234."""
    if not phone:
        return phone
    digits = phone.strip()
    if len(digits) <= 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def check_digit(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def normalise_id(raw: str, today: dt.date) -> str:
    """Check a 公民身份号码 by GB 11643 and return it normalised (upper-case X, half-width)."""
    number = raw.strip().translate(_FULLWIDTH)
    hint = tr(
        "18 位，最后一位是校验码（0-9 或 X）",
        "18 characters, the last a check character (0-9 or X)",
    )
    if not re.fullmatch(r"\d{17}[\dX]", number):
        raise InvalidValue(
            tr("公民身份号码格式不对", "the ID number is not 18 digits (or 17 and X)"), hint
        )
    try:
        born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidValue(
            tr("公民身份号码中的出生日期不存在", "the ID number's birth date is not a real date"),
            hint,
        )
    if born > today or born.year < 1880:
        raise InvalidValue(
            tr("公民身份号码中的出生日期不合理", "the ID number's birth date is impossible"), hint
        )
    if check_digit(number[:17]) != number[17]:
        raise InvalidValue(
            tr("公民身份号码校验码不对", "the ID number's check character is wrong"), hint
        )
    return number


# Every kind's personal fields (those fields.py declares with `mask`) and their maskers, by
# the table of its records: the one masking step every output path (list, show, add, export,
# the audit log and `log`) goes through, whatever the kind.
_MASKS = {"name": mask_name, "id": mask_id, "phone": mask_phone, "address": mask_address}
MASKERS: dict[str, dict[str, Callable[[str | None], str | None]]] = {
    table: {key: _MASKS[how] for key, how in keys.items()} for table, keys in MASKED.items()
}


# How older versions of sanling wrote a personal field into the audit log: a key person's
# name's mask then told its length, an address and a guardian were not masked, a backlog
# case's petitioner was logged in clear. `db check` accepts what an older version logged for
# the value the record holds now.
_LOGGED_BEFORE: dict[tuple[str, str], tuple[Callable[[str | None], str | None], ...]] = {
    ("persons", "name"): (lambda name: name[0] + "*" * max(1, len(name) - 1) if name else name,),
    ("persons", "address"): (lambda value: value,),
    ("persons", "guardian"): (lambda value: value,),
    ("backlog_cases", "petitioner"): (lambda value: value,),
}


def logged_as(table: str, key: str, logged: object, value: str | None) -> bool:
    """Whether `logged` (a personal field of `table` in an audit snapshot) is how this or an
    older version of sanling logged `value`."""
    mask = MASKERS.get(table, {}).get(key)
    maskers = (mask, *_LOGGED_BEFORE.get((table, key), ())) if mask else ()
    return any(m(value) == logged for m in maskers)


def masked(table: str | None, fields: dict[str, Any], reveal: bool = False) -> dict[str, Any]:
    """A copy of `fields` (a record of `table` for output) with its personal fields masked,
    unless `reveal`."""
    out = dict(fields)
    if reveal:
        return out
    for key, masker in MASKERS.get(table or "", {}).items():
        value = out.get(key)
        if isinstance(value, str):
            out[key] = masker(value)
    return out


def _table(noun: str) -> str | None:
    """The table of a command group's records (`backlog` -> backlog_cases), if it keeps any."""
    kind = KIND_OF.get(noun)
    return TABLE_OF[kind] if kind else None


def masked_record(row: dict[str, Any]) -> dict[str, Any]:
    """A row or card of output, masked as the record its reference names (JA-... a backlog
    case) is: the one step every list and show goes through (commands.common.emit), so a
    field declared with `mask` is masked there without more code. Other rows as they are."""
    ref = row.get("ref")
    if not isinstance(ref, str):
        return row
    table = _PERSONAL_PREFIXES.get(ref.partition("-")[0])
    return masked(table, row) if table else row


# The reference prefixes of kinds with personal data, and their tables (ZD -> persons).
_PERSONAL_PREFIXES = {
    p.value: table for p in RefPrefix if (table := _table(p.name)) is not None and table in MASKERS
}


def masked_logged(action: str, state: Any) -> Any:
    """An audit snapshot as `log` shows it: masked as its record is (an entry an older
    version wrote with a personal field in clear is masked on the way out)."""
    table = _table(action.partition(".")[0])
    if table in MASKERS and isinstance(state, dict):
        return masked(table, state)
    return state


def sex_from_id(number: str) -> str:
    """GB 11643: the 17th character (sequence code) is odd for men, even for women."""
    return "male" if int(number[16]) % 2 else "female"


def normalise_phone(raw: str) -> str:
    """A phone number with spaces and hyphens dropped: 5 to 20 digits, an optional leading +."""
    number = re.sub(r"[\s\-()（）]", "", raw.translate(_FULLWIDTH_DIGITS))
    if not re.fullmatch(r"\+?\d{5,20}", number):
        raise InvalidValue(
            tr("电话号码格式不对", "the phone number is not 5 to 20 digits"),
            tr("如 13812341234 或 0358-1234567", "e.g. 13812341234 or 0358-1234567"),
        )
    return number


_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９＋", "0123456789+")
