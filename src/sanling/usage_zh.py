"""Click's and Pydantic's English words, said in Chinese for a zh user.

Click (usage errors: a missing option, an unknown command) and Pydantic (an input out of
bounds) write their own messages in English. sanling's own messages are written with
`tr()`; what those libraries say passes through `zh()` here before a zh user sees it, and
also Pydantic's error records (`pydantic_error`), which an import lists row by row.
"""

from __future__ import annotations

import re
from typing import Any

from sanling.i18n import get_lang, tr

# (English pattern, Chinese) for the whole message or the part after "Invalid value for X:".
_CLICK: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"^Missing option '(?P<a>.+?)'\.(?: Choose from:\s*(?P<b>.+?))?\.?$"),
        "缺少选项 `{a}`",
    ),
    (re.compile(r"^Missing argument '(?P<a>.+?)'\.$"), "缺少参数 `{a}`"),
    (re.compile(r"^Missing parameter: (?P<a>.+)$"), "缺少参数 `{a}`"),
    (
        re.compile(r"^No such option: (?P<a>\S+)(?: Did you mean (?P<b>\S+)\?)?.*$"),
        "没有选项 `{a}`",
    ),
    (
        re.compile(r"^No such command '(?P<a>.+?)'\.(?: Did you mean '(?P<b>.+?)'\?)?$"),
        "没有命令 `{a}`",
    ),
    (re.compile(r"^Option '(?P<a>.+?)' requires an argument\.$"), "选项 `{a}` 需要一个值"),
    (re.compile(r"^Option '(?P<a>.+?)' does not take a value\.$"), "选项 `{a}` 不带值"),
    (re.compile(r"^Got unexpected extra argument(?:s|\(s\))? \((?P<a>.+)\)$"), "多余的参数：`{a}`"),
    (re.compile(r"^(?:file|File|Path|path) '(?P<a>.+?)' is a directory\.$"), "“{a}”是文件夹"),
    (re.compile(r"^(?:file|File|Path|path) '(?P<a>.+?)' does not exist\.$"), "“{a}”不存在"),
    (re.compile(r"^(?:file|File|Path|path) '(?P<a>.+?)' is not readable\.$"), "“{a}”无法读取"),
    (re.compile(r"^'?(?P<a>.+?)'? is not a valid integer(?: range)?\.$"), "“{a}”不是整数"),
    (re.compile(r"^'?(?P<a>.+?)'? is not a valid float(?: range)?\.$"), "“{a}”不是数字"),
    (re.compile(r"^(?P<a>.+?) is not in the range (?P<b>.+?)\.$"), "{a} 不在范围 {b} 内"),
    (re.compile(r"^'(?P<a>.+?)' is not one of (?P<b>.+?)\.$"), "“{a}”不是可选值；可选：{b}"),
    (re.compile(r"^Input should be greater than or equal to (?P<a>\S+)$"), "不能小于 {a}"),
    (re.compile(r"^Input should be less than or equal to (?P<a>\S+)$"), "不能大于 {a}"),
    (re.compile(r"^Input should be greater than (?P<a>\S+)$"), "应大于 {a}"),
    (re.compile(r"^Input should be less than (?P<a>\S+)$"), "应小于 {a}"),
    (re.compile(r"^Input should be a valid integer.*$"), "应为整数"),
    (re.compile(r"^Input should be a valid number.*$"), "应为数字"),
    (re.compile(r"^Input should be a valid boolean.*$"), "应为是或否"),
    (re.compile(r"^Input should be a valid date.*$"), "应为日期"),
    (re.compile(r"^Input should be a finite number$"), "应为有限的数字（不能是无穷大或 NaN）"),
    (re.compile(r"^Unable to parse input string as an integer.*$"), "数字过长，不是有效整数"),
    (re.compile(r"^String should have at most (?P<a>\d+) characters?$"), "过长（最多 {a} 字）"),
    (re.compile(r"^String should have at least (?P<a>\d+) characters?$"), "过短（至少 {a} 字）"),
    (re.compile(r"^Field required$"), "必填"),
]
_INVALID = re.compile(r"^Invalid value for (?P<p>.+?): (?P<m>.+)$", re.S)
_CHOICES = re.compile(r"Choose from:\s*(?P<b>.+?)\.?$")


def zh(message: str) -> str:
    """`message` (Click's or Pydantic's English) in Chinese where it is one we know."""
    text = " ".join(message.split())
    invalid = _INVALID.match(text)
    if invalid:
        return f"{invalid['p']} 的值无效：{zh(invalid['m'])}"
    for pattern, template in _CLICK:
        m = pattern.match(text)
        if m:
            out = template.format(**{k: v or "" for k, v in m.groupdict().items()})
            groups = m.groupdict()
            if groups.get("b") and "Choose from" in text:
                out += f"；可选：{groups['b']}"
            elif groups.get("b") and "Did you mean" in text:
                out += f"；是否要用 `{groups['b']}`？"
            return out
    return text


def pydantic_error(err: dict[str, Any]) -> str:
    """One of Pydantic's error records as a short phrase in the user's language."""
    etype = err.get("type", "")
    ctx = err.get("ctx") or {}
    if etype == "missing" or (etype == "string_too_short" and ctx.get("min_length") == 1):
        return tr("不能为空", "must not be empty")
    if etype in ("int_parsing", "int_type", "int_from_float", "int_parsing_size"):
        value = str(err.get("input"))
        shown = value if len(value) <= 20 else value[:20] + "…"
        return tr("“{v}”不是整数", "'{v}' is not a whole number", v=shown)
    if etype in ("float_parsing", "float_type"):
        return tr("“{v}”不是数字", "'{v}' is not a number", v=str(err.get("input"))[:20])
    if etype == "finite_number":  # 1e999 or NaN in a JSON file
        return tr(
            "应为有限的数字（不能是无穷大或 NaN）", "must be a finite number (not infinity or NaN)"
        )
    if etype == "greater_than_equal":
        return tr("不能小于 {n}", "must be at least {n}", n=ctx.get("ge"))
    if etype == "less_than_equal":
        return tr("不能大于 {n}", "must be at most {n}", n=ctx.get("le"))
    if etype == "string_too_long":
        return tr(
            "过长（最多 {n} 字）", "too long (at most {n} characters)", n=ctx.get("max_length")
        )
    msg = str(err.get("msg", "invalid")).removeprefix("Value error, ")
    if get_lang() != "zh":
        return msg
    shown = zh(msg)
    # A message of Pydantic's that has no Chinese here yet: not English in a zh line.
    return tr("值无效", "invalid") if shown.startswith("Input should") else shown
