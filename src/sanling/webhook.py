"""Posting a report to group robots (群机器人): WeCom (企业微信) and DingTalk (钉钉).

A report goes as markdown: WeCom group robots take {"msgtype": "markdown", "markdown":
{"content": ...}}; a URL whose host contains "dingtalk" gets DingTalk's {"msgtype":
"markdown", "markdown": {"title", "text"}}, signed when a secret is set (HMAC-SHA256 of
"timestamp\\nsecret", base64, URL-encoded, sent as the `timestamp` and `sign` parameters). Each
URL gets one retry; a robot that answers with a non-zero `errcode` has refused the message.
WeCom takes at most 4096 bytes of markdown, so a longer text is cut at a line with a note
saying so. A reminder that @-mentions people by phone goes as a text message (WeCom's
`mentioned_mobile_list`, DingTalk's `at.atMobiles`) of at most 2048 bytes, cut the same way.
The key in a webhook URL is a credential: messages name a URL by its host only (config.shown
masks it the same way).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from sanling import config, privacy
from sanling.errors import DeliveryFailed
from sanling.i18n import tr

RETRY_PAUSE_SECONDS = 2.0
ATTEMPTS = 2  # one try and one retry
WECOM_LIMIT = 4096  # bytes of markdown content a WeCom group robot accepts
TEXT_LIMIT = 2048  # bytes of a WeCom text message (the kind that @-mentions by phone)


@dataclass
class Delivery:
    url: str  # masked
    ok: bool
    detail: str = ""


def masked(url: str) -> str:
    """The URL as it may be printed: scheme and host, the key hidden."""
    return config.shown("bulletin_webhooks", [url])


def is_dingtalk(url: str) -> bool:
    return "dingtalk" in (urllib.parse.urlsplit(url).hostname or "").lower()


def sign_url(url: str, secret: str, now_ms: int | None = None) -> str:
    """A DingTalk URL with its `timestamp` and `sign` parameters."""
    stamp = str(now_ms if now_ms is not None else int(time.time() * 1000))
    digest = hmac.new(
        secret.encode("utf-8"), f"{stamp}\n{secret}".encode(), hashlib.sha256
    ).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest).decode("ascii"))
    sep = "&" if urllib.parse.urlsplit(url).query else "?"
    return f"{url}{sep}timestamp={stamp}&sign={sign}"


def payload(url: str, title: str, text: str) -> dict[str, object]:
    """The message body for the robot behind `url`."""
    if is_dingtalk(url):
        # DingTalk markdown needs a hard break (two spaces) to keep single line breaks.
        body = "  \n".join(text.rstrip("\n").splitlines())
        return {"msgtype": "markdown", "markdown": {"title": title, "text": body}}
    return {"msgtype": "markdown", "markdown": {"content": fit(text.rstrip("\n"), WECOM_LIMIT)}}


def mention_payload(url: str, text: str, mobiles: list[str]) -> dict[str, object]:
    """A text message that @-mentions the group members with these mobile numbers: WeCom's
    `text.mentioned_mobile_list`, DingTalk's `at.atMobiles`. Both robots add the @name to
    the message themselves, so the numbers are never part of the text."""
    content = mention_text(text)
    if is_dingtalk(url):
        return {
            "msgtype": "text",
            "text": {"content": content},
            "at": {"atMobiles": list(mobiles), "isAtAll": False},
        }
    return {"msgtype": "text", "text": {"content": content, "mentioned_mobile_list": list(mobiles)}}


def mention_text(text: str) -> str:
    """The content of a text message: whole lines up to TEXT_LIMIT bytes."""
    more = tr("……（其余见 sanling remind）", "... (the rest: sanling remind)")
    return fit(text.rstrip("\n"), TEXT_LIMIT, more)


def fit(text: str, limit: int, more: str | None = None) -> str:
    """Whole lines up to `limit` UTF-8 bytes, and a last line (`more`) saying the rest was cut."""
    if len(text.encode("utf-8")) <= limit:
        return text
    more = more or tr("……（其余见完整通报）", "... (the rest is in the full bulletin)")
    budget = limit - len(more.encode("utf-8")) - 1
    kept: list[str] = []
    for line in text.splitlines():
        size = len(line.encode("utf-8")) + 1
        if size > budget:
            break
        kept.append(line)
        budget -= size
    return "\n".join([*kept, more])


def _why(exc: BaseException) -> str:
    """A failed connection's reason in the ledger's language (errors.os_reason for a common
    errno; a name that does not resolve; else the kind of error)."""
    import socket

    from sanling.errors import os_reason

    if isinstance(exc, socket.gaierror):
        return tr("无法解析主机名", "the host name does not resolve")
    if isinstance(exc, OSError) and isinstance(exc.errno, int):
        return os_reason(exc)
    return type(exc).__name__


def _post_once(url: str, body: bytes, timeout: float) -> str | None:
    """Post once; None when the robot accepted it, else why not (never the URL itself)."""
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": "sanling"},
    )
    try:
        # A fresh opener per post: proxy settings are read from the environment each time.
        with urllib.request.build_opener().open(request, timeout=timeout) as response:
            raw = response.read(65536)
    except urllib.error.HTTPError as exc:
        return f"HTTP {exc.code}"
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError) or "timed out" in str(reason):
            return tr("超时", "timed out")
        return _why(reason) if isinstance(reason, BaseException) else str(reason)[:80]
    except TimeoutError:
        return tr("超时", "timed out")
    except OSError as exc:
        return _why(exc)
    try:
        answer = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return tr("应答不是 JSON", "the answer is not JSON")
    code = answer.get("errcode", 0) if isinstance(answer, dict) else 0
    if code not in (0, "0"):
        message = str(answer.get("errmsg", ""))[:120]
        return f"errcode {code} {message}".strip()
    return None


def post(
    url: str,
    title: str,
    text: str,
    *,
    secret: str = "",
    timeout: float = 10.0,
    mentions: list[str] | None = None,
) -> Delivery:
    """Deliver to one robot, with one retry; with `mentions` (mobile numbers) as a text
    message that @-mentions them."""
    message = (
        payload(url, title, text) if mentions is None else mention_payload(url, text, mentions)
    )
    body = json.dumps(message, ensure_ascii=False).encode("utf-8")
    why: str | None = None
    for attempt in range(ATTEMPTS):
        if attempt:
            time.sleep(RETRY_PAUSE_SECONDS)
        target = sign_url(url, secret) if secret and is_dingtalk(url) else url
        why = _post_once(target, body, timeout)
        if why is None:
            return Delivery(masked(url), True)
    detail = redacted(why or "", url, secret)
    for number in mentions or ():  # a robot's answer never prints a phone either
        detail = detail.replace(number, privacy.mask_phone(number) or "")
    return Delivery(masked(url), False, detail)


# A run of this many characters of a credential is hidden wherever it appears: a robot's
# errmsg that quotes part of the key (its first 8 characters, say) gives nothing away.
LEAST_SHOWN_PART = 6


def redacted(text: str, url: str, secret: str = "") -> str:
    """`text` (a robot's errmsg, an error's reason) without any credential of `url`: its
    password, user name, query values (the key, the access token) and long path parts, and
    the signing secret, whole or any run of 6 or more of their characters, as written or
    URL-encoded (%2D for -, any case)."""
    parts = urllib.parse.urlsplit(url)
    secrets = [secret, parts.password or "", parts.username or ""]
    secrets += [v for _k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)]
    secrets += [p for p in parts.path.split("/") if len(p) >= 8]
    # Each character of the text as read after URL-decoding, with where it stands.
    units = [(m.start(), m.end(), _decoded(m.group())) for m in _UNIT.finditer(text)]
    plain = "".join(ch for _s, _e, ch in units).lower()
    hidden = [False] * len(units)
    for value in {v.lower() for v in secrets if len(v) >= 4}:
        for start, end in _runs(plain, value):
            hidden[start:end] = [True] * (end - start)
    out: list[str] = []
    for i, (start, end, _ch) in enumerate(units):
        if not hidden[i]:
            out.append(text[start:end])
        elif i == 0 or not hidden[i - 1]:
            out.append("******")
    return "".join(out)


_UNIT = re.compile(r"%[0-9A-Fa-f]{2}|.", re.S)  # a URL escape or one character


def _decoded(unit: str) -> str:
    return chr(int(unit[1:], 16)) if len(unit) == 3 else unit


def _runs(text: str, secret: str) -> list[tuple[int, int]]:
    """The stretches of `text` that are part of `secret`: the whole of a short secret, or
    any run of LEAST_SHOWN_PART characters or more of a longer one, each as long as it goes."""
    least = min(LEAST_SHOWN_PART, len(secret))
    found: list[tuple[int, int]] = []
    i = 0
    while i <= len(text) - least:
        if text[i : i + least] in secret:
            end = i + least
            while end < len(text) and text[i : end + 1] in secret:
                end += 1
            found.append((i, end))
            i = end
        else:
            i += 1
    return found


def send_all(
    urls: list[str], title: str, text: str, *, secret: str = "", timeout: float = 10.0
) -> list[Delivery]:
    """Deliver to every robot; raise DeliveryFailed naming (masked) each one that failed."""
    if not urls:
        raise DeliveryFailed(
            tr("没有设置群机器人地址", "no group robot webhook is set"),
            "`sanling config set bulletin_webhooks URL1,URL2`",
        )
    results = [post(u, title, text, secret=secret, timeout=timeout) for u in urls]
    failed = [r for r in results if not r.ok]
    if failed:
        what = "; ".join(f"{r.url} ({r.detail})" for r in failed)
        raise DeliveryFailed(
            tr(
                "推送失败 {n}/{total}：{what}",
                "delivery failed to {n} of {total}: {what}",
                n=len(failed),
                total=len(results),
                what=what,
            ),
            tr(
                "检查网络和机器人地址（sanling config get bulletin_webhooks）",
                "check the network and the robot URLs (sanling config get bulletin_webhooks)",
            ),
        )
    return results
