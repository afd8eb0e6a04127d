"""Syntax highlighting of template text: a Pygments lexer and a span function for the editor.

Template text is body text (JSON, XML, form fields or plain text) with Uptrends ``{{...}}``
tokens on top. Tokens are found with the project's own parser (:func:`parse`), so nesting such as
``{{@JsonEncode({{@monitor.notes}})}}`` is read exactly as the engine reads it. The body around
the tokens is lexed in one pass by a Pygments sub-lexer, with every token replaced by
placeholder characters of the same length, so a JSON string that contains a token is still one
string.

Token kinds live under ``Token.Uptrends`` (see :data:`BRACE` and its siblings). The Qt
highlighter uses :func:`highlight_spans`, which returns coarse :class:`Kind` names instead of
Pygments token types, so the GUI needs no Pygments knowledge.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from enum import StrEnum
from typing import Any, ClassVar, cast

from pygments.lexer import Lexer
from pygments.lexers.data import JsonLexer
from pygments.token import (
    Comment,
    Keyword,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Text,
    Token,
    _TokenType,
    is_token_subtype,
)

from uptrends_studio.core.language import parser
from uptrends_studio.core.language.catalogue import Catalogue, load_catalogue
from uptrends_studio.core.language.evaluator import INVISIBLE_CHARS

UPTRENDS = Token.Uptrends
BRACE = UPTRENDS.Brace
"""``{{``, ``}}``, and the parentheses of a call."""
SYSTEM_VARIABLE = UPTRENDS.SystemVariable
PREDEFINED_VARIABLE = UPTRENDS.PredefinedVariable
FUNCTION = UPTRENDS.Function
"""A built-in ``@`` function or automatic variable (``@JsonEncode``, ``@RandomGuid``)."""
USER_FUNCTION = UPTRENDS.UserFunction
VAULT = UPTRENDS.Vault
UNKNOWN = UPTRENDS.Unknown
ARGUMENT = UPTRENDS.Argument
"""Literal text inside the parentheses of a call."""

_VAULT_RE = re.compile(r"@VaultItem\.[^.]+\.(\w+)$", re.IGNORECASE)
_FORM_RE = re.compile(r"(?P<key>[^=&\r\n]+)(?==)|(?P<punct>[=&])|(?P<other>[^=&]+)")
_PLACEHOLDER = "0"


class Kind(StrEnum):
    """Coarse highlighting kinds returned by :func:`highlight_spans`."""

    BRACE = "Brace"
    SYSTEM_VARIABLE = "SystemVariable"
    PREDEFINED_VARIABLE = "PredefinedVariable"
    FUNCTION = "Function"
    USER_FUNCTION = "UserFunction"
    VAULT = "Vault"
    UNKNOWN = "Unknown"
    ARGUMENT = "Argument"
    KEY = "Key"
    """A JSON object key or a form field name."""
    STRING = "String"
    NUMBER = "Number"
    KEYWORD = "Keyword"
    """``true``, ``false``, ``null``."""
    PUNCTUATION = "Punctuation"
    TAG = "Tag"
    ATTRIBUTE = "Attribute"
    COMMENT = "Comment"
    ENTITY = "Entity"
    TEXT = "Text"


_UPTRENDS_KINDS: dict[_TokenType, Kind] = {
    BRACE: Kind.BRACE,
    SYSTEM_VARIABLE: Kind.SYSTEM_VARIABLE,
    PREDEFINED_VARIABLE: Kind.PREDEFINED_VARIABLE,
    FUNCTION: Kind.FUNCTION,
    USER_FUNCTION: Kind.USER_FUNCTION,
    VAULT: Kind.VAULT,
    UNKNOWN: Kind.UNKNOWN,
    ARGUMENT: Kind.ARGUMENT,
}

Span = tuple[int, int, _TokenType]


class _Names:
    """The names a template may refer to, folded once for case-insensitive lookups."""

    __slots__ = ("catalogue", "functions", "predefined")

    def __init__(
        self,
        catalogue: Catalogue,
        predefined: Iterable[str] | None,
        functions: Iterable[str] | None,
    ) -> None:
        self.catalogue = catalogue
        self.predefined = None if predefined is None else {n.casefold() for n in predefined}
        self.functions = None if functions is None else {n.casefold() for n in functions}


def _token_type(token: parser.Token, names: _Names) -> _TokenType:
    """The kind of a token's name, decided the way the evaluator resolves it."""
    name = token.name
    if token.junk or not name or not INVISIBLE_CHARS.isdisjoint(name):
        return UNKNOWN
    if name.startswith("@"):
        if not token.is_call:
            vault = _VAULT_RE.match(name)
            if vault:
                field = vault.group(1).casefold()
                return VAULT if field in ("username", "password") else UNKNOWN
            variable = names.catalogue.variable_folded(name)
            if variable is not None and "(" not in variable.name:
                return SYSTEM_VARIABLE
        if names.catalogue.function_folded(name) is not None:
            return FUNCTION
        return UNKNOWN
    known = names.functions if token.is_call else names.predefined
    if known is not None and name.casefold() not in known:
        return UNKNOWN
    return USER_FUNCTION if token.is_call else PREDEFINED_VARIABLE


def _token_spans(token: parser.Token, names: _Names, out: list[Span]) -> None:
    """Append the spans of one token (and of the tokens nested in it) to ``out``."""
    kind = _token_type(token, names)
    punctuation = UNKNOWN if kind is UNKNOWN else BRACE
    out.append((token.start, token.name_start, punctuation))
    if token.name_end > token.name_start:
        out.append((token.name_start, token.name_end, kind))
    if token.args is None:
        out.append((token.name_end, token.end, punctuation))
        return
    out.append((token.name_end, token.args_start, punctuation))
    for node in token.args:
        if isinstance(node, parser.Token):
            _token_spans(node, names, out)
        else:
            out.append((node.start, node.end, ARGUMENT))
    out.append((token.args_end, token.end, punctuation))


def _form_tokens(text: str) -> Iterator[tuple[int, _TokenType, str]]:
    """``key=value&key=value``: field names, separators and values."""
    for match in _FORM_RE.finditer(text):
        group = match.lastgroup
        ttype = Name.Tag if group == "key" else Punctuation if group == "punct" else Text
        yield match.start(), ttype, match.group()


def _body_tokens(content: str, text: str) -> Iterator[tuple[int, _TokenType, str]]:
    if content == "json":
        return cast(Lexer, JsonLexer()).get_tokens_unprocessed(text)
    if content == "xml":
        # Imported when an XML body is first lexed: it brings Pygments' HTML, JavaScript and
        # JVM lexers, which the start of the window does not need.
        from pygments.lexers.html import XmlLexer

        return cast(Lexer, XmlLexer()).get_tokens_unprocessed(text)
    if content == "form":
        return _form_tokens(text)
    return iter([(0, Text, text)])


def template_spans(
    text: str,
    content: str,
    catalogue: Catalogue,
    predefined: Iterable[str] | None,
    functions: Iterable[str] | None,
) -> list[Span]:
    """Contiguous ``(start, end, pygments token type)`` spans covering ``text``.

    Args:
        text: Template text.
        content: ``"json"``, ``"xml"``, ``"form"`` or ``"text"``: how the body around the tokens
            is lexed (anything else is plain text).
        catalogue: Known system variables and built-in functions.
        predefined: The integration's predefined variable names; ``None`` accepts any name.
        functions: The integration's user-defined function names; ``None`` accepts any name.
    """
    if not text:
        return []
    names = _Names(catalogue, predefined, functions)
    template = parser.parse(text)
    tokens = [node for node in template.nodes if isinstance(node, parser.Token)]
    if tokens:
        pieces: list[str] = []
        last = 0
        for top in tokens:
            pieces.append(text[last : top.start])
            pieces.append(_PLACEHOLDER * (top.end - top.start))
            last = top.end
        pieces.append(text[last:])
        masked = "".join(pieces)
    else:
        masked = text
    spans: list[Span] = []
    token_iter = iter(tokens)
    token: parser.Token | None = next(token_iter, None)
    pos = 0  # everything before pos is in spans

    def emit(start: int, end: int, ttype: _TokenType) -> None:
        # Body span [start, end), with the tokens that overlap it cut in.
        nonlocal token, pos
        start = max(start, pos)
        while token is not None and token.start < end:
            if start < token.start:
                spans.append((start, token.start, ttype))
            _token_spans(token, names, spans)
            start = max(start, token.end)
            token = next(token_iter, None)
        if start < end:
            spans.append((start, end, ttype))
        pos = max(pos, start, end)

    for start, ttype, value in _body_tokens(content, masked):
        if start > pos:  # a sub-lexer left a gap: plain text
            emit(pos, start, Text)
        emit(start, start + len(value), ttype)
    emit(pos, len(text), Text)
    return [span for span in spans if span[1] > span[0]]


def _body_kind(ttype: _TokenType, content: str) -> Kind:
    if is_token_subtype(ttype, String):
        return Kind.STRING
    if is_token_subtype(ttype, Number):
        return Kind.NUMBER
    if is_token_subtype(ttype, Keyword):
        return Kind.KEYWORD
    if is_token_subtype(ttype, Punctuation) or is_token_subtype(ttype, Operator):
        return Kind.PUNCTUATION
    if is_token_subtype(ttype, Comment):
        return Kind.COMMENT
    if is_token_subtype(ttype, Name.Tag):
        return Kind.TAG if content == "xml" else Kind.KEY
    if is_token_subtype(ttype, Name.Attribute):
        return Kind.ATTRIBUTE
    if is_token_subtype(ttype, Name.Entity):
        return Kind.ENTITY
    return Kind.TEXT


def highlight_spans(
    text: str,
    content: str,
    catalogue: Catalogue,
    predefined: AbstractSet[str] | None,
    functions: AbstractSet[str] | None,
) -> list[tuple[int, int, str]]:
    """Contiguous ``(start, end, kind)`` spans covering ``text``, for the editor's highlighter.

    Adjacent spans of the same kind are merged. ``kind`` is a :class:`Kind` value.

    Args:
        text: Template text.
        content: ``"json"``, ``"xml"``, ``"form"`` or ``"text"``.
        catalogue: Known system variables and built-in functions.
        predefined: The integration's predefined variable names; ``None`` accepts any name.
        functions: The integration's user-defined function names; ``None`` accepts any name.
    """
    kinds: dict[_TokenType, Kind] = dict(_UPTRENDS_KINDS)
    result: list[tuple[int, int, str]] = []
    for start, end, ttype in template_spans(text, content, catalogue, predefined, functions):
        kind = kinds.get(ttype)
        if kind is None:
            kind = kinds[ttype] = _body_kind(ttype, content)
        if result and result[-1][2] == kind and result[-1][1] == start:
            result[-1] = (result[-1][0], end, kind)
        else:
            result.append((start, end, kind))
    return result


class TemplateLexer(Lexer):
    """Pygments lexer for Uptrends template text.

    Options:
        content: ``"json"``, ``"xml"``, ``"form"`` or ``"text"`` (default): the body language.
        predefined: Iterable of the integration's predefined variable names (default: any name).
        functions: Iterable of the integration's user-defined function names (default: any).
        catalogue: A :class:`Catalogue` (default: the shipped one).
    """

    name = "Uptrends template"
    aliases: ClassVar[Sequence[str]] = ("uptrends",)
    filenames: ClassVar[Sequence[str]] = ()
    mimetypes: ClassVar[Sequence[str]] = ()

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.content = str(options.get("content", "text"))
        catalogue = options.get("catalogue")
        self.catalogue: Catalogue = catalogue if catalogue is not None else load_catalogue()
        predefined = options.get("predefined")
        functions = options.get("functions")
        self.predefined: frozenset[str] | None = (
            None if predefined is None else frozenset(predefined)
        )
        self.functions: frozenset[str] | None = None if functions is None else frozenset(functions)

    def get_tokens_unprocessed(self, text: str) -> Iterator[tuple[int, _TokenType, str]]:
        """Yield ``(offset, token type, text)`` for the whole of ``text``."""
        spans = template_spans(text, self.content, self.catalogue, self.predefined, self.functions)
        for start, end, ttype in spans:
            yield start, ttype, text[start:end]
