"""Errors the core raises; cli.py turns each into one `error:` line and an exit code.

Every error carries a message and, where one helps, a hint. Messages are built by the caller
with i18n.t() so they follow the ledger language.
"""

from __future__ import annotations


class SanlingError(Exception):
    """A request that is wrong for the ledger: exit code 1."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        # The input field the error is about (a schema or column key such as "found"), where
        # the raiser knows it: an import names that column instead of guessing from the text.
        self.field = field

    def line(self) -> str:
        text = (
            f"error: {self.message} (hint: {self.hint})" if self.hint else f"error: {self.message}"
        )
        from sanling.safetext import shown

        # User text with line breaks must not split the one line, nor move the cursor (ESC).
        return shown(" ".join(text.splitlines()))


class NotFound(SanlingError):
    """A named record, subject or town does not exist."""


class InvalidValue(SanlingError):
    """A value outside what the domain allows (a future date, a negative count...)."""


class InvalidState(SanlingError):
    """A status change the workflow does not allow (resolving a resolved dispute...)."""


class Duplicate(SanlingError):
    """A name or number that must be unique is taken."""


class LedgerMissing(SanlingError):
    """There is no ledger at the given place."""


class NeedsUpgrade(SanlingError):
    """The ledger's schema is behind (or ahead of) this version of sanling."""


class DeliveryFailed(SanlingError):
    """A report could not be delivered (webhook)."""


class UsageError(SanlingError):
    """A usage error found after parsing (a missing combination of options): exit code 2."""

    exit_code = 2


# The common reasons an operating system gives (strerror), in the ledger's language: an
# `error:` line in Chinese does not end in "Permission denied".
_OS_REASONS: dict[str, tuple[str, str]] = {
    "EACCES": ("没有权限", "permission denied"),
    "EPERM": ("不允许此操作", "operation not permitted"),
    "ENOENT": ("文件或文件夹不存在", "no such file or folder"),
    "EISDIR": ("这是一个文件夹", "it is a folder"),
    "ENOTDIR": ("路径中有一段不是文件夹", "a part of the path is not a folder"),
    "ENOSPC": ("磁盘空间不足", "no space left on the disk"),
    "EDQUOT": ("超出磁盘配额", "disk quota exceeded"),
    "EROFS": ("文件系统只读", "the file system is read-only"),
    "EEXIST": ("已有同名的文件或文件夹", "a file or folder of that name exists"),
    "ENAMETOOLONG": ("文件名太长", "the file name is too long"),
    "EMFILE": ("打开的文件太多", "too many open files"),
    "EBUSY": ("设备或资源忙", "the device or resource is busy"),
    "ETXTBSY": ("文件正被使用", "the file is in use"),
    "EIO": ("读写出错", "an input/output error"),
    "ELOOP": ("符号链接层数太多", "too many levels of symbolic links"),
    "EXDEV": ("不能跨文件系统移动", "it cannot be moved across file systems"),
    "ECONNREFUSED": ("连接被拒绝", "connection refused"),
    "ECONNRESET": ("连接被对方重置", "connection reset by the other side"),
    "ECONNABORTED": ("连接中断", "connection aborted"),
    "ETIMEDOUT": ("超时", "timed out"),
    "EHOSTUNREACH": ("主机不可达", "host unreachable"),
    "ENETUNREACH": ("网络不可达", "network unreachable"),
}


def os_reason(exc: BaseException) -> str:
    """Why an operating-system call failed, as an `error:` line says it: a common errno in
    the ledger's language (Chinese under zh), else the system's own words."""
    import errno

    from sanling.i18n import tr

    number = getattr(exc, "errno", None)
    name = errno.errorcode.get(number, "") if isinstance(number, int) else ""
    if name in _OS_REASONS:
        return tr(*_OS_REASONS[name])
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return str(text).splitlines()[0][:200]


# A library's words on a file it cannot read (python-calamine, tomllib), in Chinese under zh:
# (a piece of its English message, zh, en). Anything else: the zh catch-all, else its words.
_FILE_REASONS: tuple[tuple[str, str, str], ...] = (
    ("zip", "不是有效的 xlsx 文件（文件损坏，或不是 Excel 工作簿）", "not a valid xlsx file"),
    ("password", "文件设有密码", "the file is protected by a password"),
    ("encrypt", "文件已加密", "the file is encrypted"),
    ("expected ']]'", "数组表头 [[…]] 缺少右括号 ]]", "expected ']]' after an array table"),
    ("expected ']'", "表头 […] 缺少右括号 ]", "expected ']' after a table name"),
    ("unclosed string", "字符串缺少结尾的引号", "a string is not closed"),
    ("invalid value", '值写法不对（文字要加引号，如 title = "巡逻"）', "a value is not valid"),
    ("cannot overwrite a value", "同一个键写了两次", "a key is given twice"),
    ("cannot declare", "同一个表写了两次", "a table is declared twice"),
    ("expected '=' after a key", "键后面缺少 =", "expected '=' after a key"),
    ("invalid statement", "这一行不是 键 = 值 或 [表头]", "not a key = value line or a [table]"),
)


def file_reason(exc: BaseException, *, fallback: tuple[str, str]) -> str:
    """Why a library could not read a file: in the ledger's language (never English under zh:
    a message it has no words for becomes `fallback`)."""
    from sanling.i18n import get_lang, tr

    text = str(exc).split(" (at line")[0].splitlines()[0] if str(exc) else type(exc).__name__
    low = text.lower()
    for piece, zh, en in _FILE_REASONS:
        if piece in low:
            return tr(zh, en)
    return tr(*fallback) if get_lang() == "zh" else text[:200]
