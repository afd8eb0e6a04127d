"""Checks that depend on what a field holds: JSON/XML validity and unescaped free text.

The rendered body is validated according to the step's Content-Type; a syntax error is mapped
back to the template position it came from (or to the token whose value broke it).
"""

from __future__ import annotations

import json

from uptrends_studio.core.checks.content_type import BodyKind as BodyKind  # re-exported
from uptrends_studio.core.checks.content_type import (
    body_kind as body_kind,  # re-exported
)
from uptrends_studio.core.checks.diagnostics import (
    Diagnostic,
    Fix,
    LineIndex,
    Severity,
    locate,
)
from uptrends_studio.core.checks.field_path import FieldPath
from uptrends_studio.core.document.json_errors import plain_json_problem
from uptrends_studio.core.document.model import Step
from uptrends_studio.core.language.catalogue import Catalogue
from uptrends_studio.core.language.evaluator import Rendered
from uptrends_studio.core.language.parser import Template, Text, Token


def _free_text(token: Token, catalogue: Catalogue) -> bool:
    """True for a bare token whose value is user-written text (may hold quotes, newlines)."""
    if token.is_call:
        return token.name.casefold() == "@customfield"
    info = catalogue.variable(token.name) or catalogue.variable_folded(token.name)
    return info is not None and info.free_text


def _wrap_fix(template: Template, token: Token, function: str) -> Fix:
    original = template.source[token.start : token.end]
    return Fix(
        f"Wrap in {function}", token.start, token.end, "{{" + function + "(" + original + ")}}"
    )


def free_text_in_json(
    template: Template, field: FieldPath, catalogue: Catalogue
) -> list[Diagnostic]:
    """Free-text tokens inside a JSON string of the template, not wrapped in ``@JsonEncode``."""
    found: list[Diagnostic] = []
    in_string = escaped = False
    for node in template.nodes:
        if isinstance(node, Text):
            if "\\" not in node.text and not escaped:
                # Fast path: without backslashes only the parity of the quotes matters.
                if node.text.count('"') % 2:
                    in_string = not in_string
                continue
            for char in node.text:
                if escaped:
                    escaped = False
                elif char == "\\":
                    escaped = in_string
                elif char == '"':
                    in_string = not in_string
            continue
        escaped = False
        if in_string and _free_text(node, catalogue):
            fix = _wrap_fix(template, node, "@JsonEncode")
            found.append(
                Diagnostic(
                    Severity.WARNING,
                    "raw-free-text",
                    f"{node.name} is free text inserted raw into a JSON string: a quote, "
                    f"backslash or line break in it breaks the JSON. Use {fix.replacement}",
                    field,
                    node.start,
                    node.end,
                    fixes=(fix,),
                )
            )
    return found


def free_text_unencoded(
    template: Template, field: FieldPath, catalogue: Catalogue, function: str, where: str
) -> list[Diagnostic]:
    """Top-level free-text tokens in XML bodies or URLs, not wrapped in ``function``."""
    found: list[Diagnostic] = []
    for node in template.nodes:
        if isinstance(node, Token) and _free_text(node, catalogue):
            fix = _wrap_fix(template, node, function)
            found.append(
                Diagnostic(
                    Severity.WARNING,
                    "raw-free-text",
                    f"{node.name} is free text inserted raw into {where}; characters in it can "
                    f"break it. Use {fix.replacement}",
                    field,
                    node.start,
                    node.end,
                    fixes=(fix,),
                )
            )
    return found


def _token_at(template: Template, start: int, end: int) -> Token | None:
    for node in template.nodes:
        if isinstance(node, Token) and node.start == start and node.end == end:
            return node
    return None


_JSON_TROUBLE = {
    '"': "a double quote",
    "\\": "a backslash",
    "\n": "a line break",
    "\r": "a carriage return",
    "\t": "a tab",
}
_XML_TROUBLE = {"<": "a '<'", "&": "an '&'"}
_XML_ATTRIBUTE_TROUBLE = {**_XML_TROUBLE, '"': "a double quote", "'": "an apostrophe"}

_XML_PROBLEMS = {
    "not well-formed (invalid token)": "a character that cannot appear here (a raw '&' or "
    "'<' in text, or a quote inside an attribute value)",
    "mismatched tag": "mismatched tag: this closing tag does not match the element that is open",
    "unclosed token": "the text ends inside a tag, comment or other markup",
    "no element found": "the body ends before its root element is closed",
    "junk after document element": "there is more text after the root element",
    "undefined entity": "an '&' starts an entity XML does not define (write &amp; for '&')",
    "syntax error": "the body does not start with an XML element",
    "unclosed CDATA section": "a CDATA section is never closed",
    "duplicate attribute": "an attribute is given twice in one tag",
}


def _trouble(value: str, what: str, at_error: bool) -> str | None:
    """The first character of a token's value that breaks a JSON string or XML, named.

    Quotes break XML only inside an attribute value, so they count only for the token the
    error is in or right after.
    """
    if what == "JSON":
        table = _JSON_TROUBLE
    else:
        table = _XML_ATTRIBUTE_TROUBLE if at_error else _XML_TROUBLE
    for char in value:
        if char in table:
            return table[char]
        if what == "JSON" and char < " ":
            return f"a control character (U+{ord(char):04X})"
    return None


def _culprit(
    template: Template, rendered: Rendered, out_offset: int, what: str
) -> tuple[Token, str] | None:
    """The nearest token at or before the error whose value holds a breaking character.

    An unencoded value usually breaks the body a little after its own text: its quote ends a
    JSON string early, and the parser only fails at the next literal character.
    """
    candidates = [s for s in rendered.segments if s.out_start <= out_offset and not s.literal]
    for segment in reversed(candidates[-50:]):
        value = rendered.text[segment.out_start : segment.out_end]
        found = _trouble(value, what, segment.out_end >= out_offset)
        token = _token_at(template, segment.src_start, segment.src_end)
        if found is not None and token is not None:
            return token, found
    return None


def _syntax_error(
    template: Template,
    rendered: Rendered,
    field: FieldPath,
    out_offset: int,
    what: str,
    detail: str,
    catalogue: Catalogue,
) -> Diagnostic:
    start, end = rendered.source_offset(out_offset)
    message = f"the rendered body is not valid {what}: {detail}"
    fixes: tuple[Fix, ...] = ()
    encoder = "@JsonEncode" if what == "JSON" else "@XmlEncode"
    token = _token_at(template, start, end)
    culprit = _culprit(template, rendered, out_offset, what)
    if token is not None:
        # The diagnostic spans the whole token; say where in its value the error is.
        inside = next(
            (out_offset - g.out_start + 1 for g in rendered.segments if g.src_start == start),
            1,
        )
        message += f", at character {inside} of the value of {{{{{token.name}}}}}"
        if culprit is not None and culprit[0] is token:
            message += f", which contains {culprit[1]}"
        if _free_text(token, catalogue) or (culprit is not None and culprit[0] is token):
            message += f"; wrap it in {encoder}"
            fixes = (_wrap_fix(template, token, encoder),)
    else:
        end = max(end, start + 1)
        if culprit is not None:
            name = culprit[0].name
            message += (
                f"; the likely cause is the value of {{{{{name}}}}}, which contains "
                f"{culprit[1]}: wrap it in {encoder}"
            )
            fixes = (_wrap_fix(template, culprit[0], encoder),)
    return Diagnostic(
        Severity.ERROR, f"invalid-{what.lower()}", message, field, start, end, fixes=fixes
    )


class _NotJsonError(ValueError):
    def __init__(self, word: str) -> None:
        super().__init__(word)
        self.word = word


def _refuse_constant(word: str) -> object:
    """Python's json accepts NaN and Infinity; real JSON parsers do not."""
    raise _NotJsonError(word)


def validate_json(
    template: Template, rendered: Rendered, field: FieldPath, catalogue: Catalogue
) -> list[Diagnostic]:
    """An error at the first JSON syntax error of the rendered text (empty text is fine)."""
    text = rendered.text
    if not text.strip():
        return []
    if text.startswith("\ufeff"):
        return [
            _syntax_error(
                template,
                rendered,
                field,
                0,
                "JSON",
                "it starts with an invisible byte-order mark (U+FEFF); remove it",
                catalogue,
            )
        ]
    try:
        json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        detail = plain_json_problem(exc.msg, text, exc.pos)
        return [_syntax_error(template, rendered, field, exc.pos, "JSON", detail, catalogue)]
    except _NotJsonError as exc:
        position = text.find(exc.word)
        detail = f"{exc.word} is not a JSON value (use null or a string)"
        return [
            _syntax_error(template, rendered, field, max(position, 0), "JSON", detail, catalogue)
        ]
    except RecursionError:
        return [
            Diagnostic(
                Severity.ERROR,
                "invalid-json",
                "the rendered body nests JSON too deeply to check",
                field,
            )
        ]
    return []


def validate_xml(
    template: Template, rendered: Rendered, field: FieldPath, catalogue: Catalogue
) -> list[Diagnostic]:
    """An error at the first XML well-formedness error.

    Uses expat directly with entity declarations refused and no external entities or DTDs
    read, so checking a body can never expand or fetch anything.
    """
    text = rendered.text
    if not text.strip():
        return []
    from xml.parsers import expat  # for XML bodies only: keeps the start of the CLI fast

    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse_entities(*_: object) -> None:
        raise ValueError("entity declarations are not allowed")

    parser.EntityDeclHandler = refuse_entities
    try:
        parser.Parse(text, True)
    except expat.ExpatError as exc:
        detail = expat.errors.messages[exc.code] if exc.code else str(exc)
        detail = _XML_PROBLEMS.get(detail, detail)
        offset = LineIndex(text).offset(exc.lineno, exc.offset)
        return [_syntax_error(template, rendered, field, offset, "XML", detail, catalogue)]
    except ValueError as exc:
        offset = LineIndex(text).offset(parser.CurrentLineNumber, parser.CurrentColumnNumber)
        return [_syntax_error(template, rendered, field, offset, "XML", str(exc), catalogue)]
    return []


def body_diagnostics(
    step: Step,
    prefix: FieldPath,
    kind: BodyKind,
    template: Template,
    rendered: Rendered,
    catalogue: Catalogue,
) -> list[Diagnostic]:
    """All body-level checks of one rendered step, located in the body template."""
    field = prefix.child("body")
    found: list[Diagnostic] = []
    if kind is BodyKind.JSON:
        found += free_text_in_json(template, field, catalogue)
        found += validate_json(template, rendered, field, catalogue)
    elif kind is BodyKind.XML:
        found += free_text_unencoded(template, field, catalogue, "@XmlEncode", "XML")
        found += validate_xml(template, rendered, field, catalogue)
    elif kind is BodyKind.TEXT and step.header("Content-Type") is None:
        stripped = rendered.text.lstrip()
        if stripped[:1] in ("{", "[", "<") and step.method != "GET":
            guess = "XML" if stripped.startswith("<") else "JSON"
            found.append(
                Diagnostic(
                    Severity.NOTE,
                    "content-type-missing",
                    f"the body looks like {guess} but the step has no Content-Type header; "
                    "many targets reject it",
                    field,
                    0,
                    0,
                )
            )
    if not found:
        return found
    index = LineIndex(template.source)
    return [locate(d, index) for d in found]


def url_diagnostics(template: Template, field: FieldPath, catalogue: Catalogue) -> list[Diagnostic]:
    """Free-text tokens in a URL without ``@UrlEncode``, located."""
    found = free_text_unencoded(template, field, catalogue, "@UrlEncode", "a URL")
    if not found:
        return found
    index = LineIndex(template.source)
    return [locate(d, index) for d in found]
