"""Tokenizer and parser for the Uptrends template language.

The language is small: literal text with ``{{...}}`` tokens. A token is either a name
(``{{@alert.type}}``, ``{{ApiUrl}}``, ``{{@VaultItem.<guid>.Password}}``) or a call
(``{{@JsonEncode(...)}}``, ``{{sev(...)}}``) whose argument text may itself contain complete
tokens, evaluated first. See ``docs/semantics.md`` for the exact rules; in short:

* ``{{`` opens a token. A name token ends at the first ``}}``.
* A call token ``{{name(`` ends at the first ``)}}`` that is not inside a nested token, so
  argument text may contain ``}}`` (``{{@JsonEncode({"a":{"b":1}})}}``) and parentheses.
* A ``{{`` that never closes is literal text and is reported; the text after it is still parsed.
* Nesting deeper than :data:`MAX_DEPTH` is reported and the excess kept as literal text.

Every node records its span in the source, so diagnostics can point at exact characters. The
parser never raises on any input; problems are returned as :class:`ParseIssue` values.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

MAX_DEPTH = 32
"""Deepest nesting of tokens inside call arguments that is parsed."""

_NAME_RE = re.compile(r"[^\s(){}]*")
_CALL_SCAN_RE = re.compile(r"\{\{|\)[ \t]*\}\}")
_CALL_CLOSE_RE = re.compile(r"\)[ \t]*\}\}")
_WS_RE = re.compile(r"[ \t\r\n]*")


@dataclass(frozen=True, slots=True)
class Text:
    """Literal text, copied to the output as written."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Token:
    """A ``{{...}}`` token.

    Attributes:
        name: The name as written (``@alert.type``, ``ApiUrl``, ``@JsonEncode``), without the
            surrounding whitespace, which is reported separately.
        args: For a call, the nodes of the argument text between the parentheses (not yet split
            at commas: how to split depends on the function); ``None`` for a name token.
        start: Offset of the opening ``{{``.
        end: Offset one past the closing ``}}``.
        name_start: Offset of the first character of ``name``.
        args_start: Offset just after ``(`` (calls only, else equal to ``end``).
        args_end: Offset of the closing ``)`` (calls only, else equal to ``end``).
        spaced: True if the token has whitespace Uptrends does not document: around the name
            (``{{ @alert.type }}``), after the ``@`` (``{{@ alert.timestamp}}``), before the
            ``(`` of a call (``{{@CustomField ()}}``) or before its ``}}``.
        junk: For a name token, any text between the name and ``}}`` that is not a name
            (``{{@alert type}}`` has junk ``" type"``); ``""`` normally.
        name_gap: The whitespace characters between the ``@`` and the rest of the name
            (``{{@ alert.timestamp}}`` has 1); ``name`` is given without them.
    """

    name: str
    args: tuple[Node, ...] | None
    start: int
    end: int
    name_start: int
    args_start: int
    args_end: int
    spaced: bool = False
    junk: str = ""
    name_gap: int = 0

    @property
    def is_call(self) -> bool:
        """True for ``{{name(...)}}`` tokens."""
        return self.args is not None

    @property
    def name_end(self) -> int:
        """Offset one past the name (as written, so a gap after ``@`` is included)."""
        return self.name_start + len(self.name) + self.name_gap


Node = Text | Token


@dataclass(frozen=True, slots=True)
class ParseIssue:
    """A problem found while parsing: ``code`` and ``message`` about ``source[start:end]``."""

    code: str
    message: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Template:
    """A parsed template: its source, top-level nodes and any parse issues."""

    source: str
    nodes: tuple[Node, ...]
    issues: tuple[ParseIssue, ...]

    @property
    def has_tokens(self) -> bool:
        """True if at least one token was recognised."""
        return any(isinstance(n, Token) for n in self.nodes)


class _Parser:
    __slots__ = (
        "_call_closes",
        "_close_cache",
        "_dead_scans",
        "_last_call_close",
        "_memo",
        "issues",
        "source",
    )

    def __init__(self, source: str) -> None:
        self.source = source
        self.issues: list[ParseIssue] = []
        # (searched from, found at): the next "}}" after any position in between is the same,
        # so a run of stray "{{" does not rescan the text (keeps parsing linear).
        self._close_cache = (0, -2)
        # (opening, depth) -> result: a caller that re-scans after a failed inner call must not
        # parse the same nested tokens again (that was exponential in the nesting depth).
        self._memo: dict[tuple[int, int], Token | None] = {}
        self._dead_scans: set[tuple[int, int]] = set()
        # Every ")}}" of the text, in order; a call opened after the last one never closes.
        self._call_closes = [(m.start(), m.end()) for m in _CALL_CLOSE_RE.finditer(source)]
        self._last_call_close = self._call_closes[-1][0] if self._call_closes else -1

    def _next_call_close(self, pos: int) -> tuple[int, int] | None:
        index = bisect.bisect_left(self._call_closes, (pos, -1))
        return self._call_closes[index] if index < len(self._call_closes) else None

    def _find_close(self, pos: int) -> int:
        searched_from, found = self._close_cache
        if searched_from <= pos and (found == -1 or pos <= found):
            return found
        found = self.source.find("}}", pos)
        self._close_cache = (pos, found)
        return found

    def parse_sequence(self, start: int, end: int) -> list[Node]:
        """Parse top-level text ``source[start:end]`` into nodes."""
        nodes: list[Node] = []
        source = self.source
        text_start = start
        pos = start
        while True:
            opening = source.find("{{", pos, end)
            if opening == -1:
                break
            # "{{{" : the token starts at the last "{{" of a run of braces.
            while opening + 2 < end and source[opening + 2] == "{":
                opening += 1
            token = self.parse_token(opening, 1)
            if token is None:
                pos = opening + 2
                continue
            if text_start < opening:
                nodes.append(Text(source[text_start:opening], text_start, opening))
            nodes.append(token)
            pos = text_start = token.end
        if text_start < end:
            nodes.append(Text(source[text_start:end], text_start, end))
        return nodes

    def parse_token(self, opening: int, depth: int) -> Token | None:
        """Parse the token whose ``{{`` is at ``opening``; ``None`` (plus an issue) if broken."""
        key = (opening, depth)
        if key in self._memo:
            return self._memo[key]
        result = self._parse_token(opening, depth)
        self._memo[key] = result
        return result

    def _parse_token(self, opening: int, depth: int) -> Token | None:
        source = self.source
        pos = opening + 2
        ws = _WS_RE.match(source, pos)
        assert ws is not None  # the pattern matches the empty string
        name_start = ws.end()
        name_match = _NAME_RE.match(source, name_start)
        assert name_match is not None
        name = name_match.group()
        after_name = name_match.end()
        ws_after = _WS_RE.match(source, after_name)
        assert ws_after is not None
        gap = 0
        if name == "@" and ws_after.end() != after_name:
            # "{{@ alert.timestamp}}" (as the Dutch KB writes it): one name, spaced.
            rest = _NAME_RE.match(source, ws_after.end())
            assert rest is not None
            if rest.group():
                gap = ws_after.end() - after_name
                name += rest.group()
                after_name = rest.end()
                ws_after = _WS_RE.match(source, after_name)
                assert ws_after is not None
        spaced = name_start != pos or ws_after.end() != after_name or gap > 0
        if after_name < len(source) and source[after_name] == "(":
            return self._parse_call(opening, depth, name, name_start, after_name + 1, spaced, gap)
        paren = ws_after.end()
        if name and paren < len(source) and source[paren] == "(":
            # "{{@CustomField ()}}": a call with a space before its parenthesis.
            return self._parse_call(opening, depth, name, name_start, paren + 1, True, gap)
        close = self._find_close(after_name)
        if close == -1:
            self.issues.append(
                ParseIssue(
                    "unclosed-token",
                    "'{{' is never closed by '}}'; the text is sent as written",
                    opening,
                    opening + 2,
                )
            )
            return None
        between = source[after_name:close]
        if "{{" in between or "{{" in source[name_start:after_name]:
            # "{{ {{ApiUrl}}": the first "{{" is stray text; the inner token is real.
            self.issues.append(
                ParseIssue(
                    "unclosed-token",
                    "'{{' is not closed before the next '{{'; it is sent as written",
                    opening,
                    opening + 2,
                )
            )
            return None
        junk = between.strip()
        return Token(
            name=name,
            args=None,
            start=opening,
            end=close + 2,
            name_start=name_start,
            args_start=close + 2,
            args_end=close + 2,
            spaced=spaced and not junk,
            junk=junk,
            name_gap=gap,
        )

    def _parse_call(
        self,
        opening: int,
        depth: int,
        name: str,
        name_start: int,
        args_start: int,
        spaced: bool,
        gap: int = 0,
    ) -> Token | None:
        source = self.source
        nodes: list[Node] = []
        text_start = args_start
        pos = args_start
        closed_at = -1
        close_end = -1
        # A scan of call arguments at this depth that reaches the same next "{{" or ")}}" ends
        # the same way; remembering the dead ends keeps unclosed nested calls linear.
        visited: list[tuple[int, int]] = []
        while pos <= self._last_call_close:
            match = _CALL_SCAN_RE.search(source, pos)
            if match is None:
                break
            state = (match.start(), depth)
            if state in self._dead_scans:
                break
            visited.append(state)
            if match.group() == "{{":
                inner_open = match.start()
                while inner_open + 2 < len(source) and source[inner_open + 2] == "{":
                    inner_open += 1
                if depth >= MAX_DEPTH:
                    # Deeper tokens are text: the call ends at the next ")}}" (one issue, and
                    # no scan over every "{{" in between, which made deep input quadratic).
                    self.issues.append(
                        ParseIssue(
                            "too-deep",
                            f"tokens nested more than {MAX_DEPTH} deep are sent as written",
                            inner_open,
                            inner_open + 2,
                        )
                    )
                    close = self._next_call_close(inner_open + 2)
                    if close is not None:
                        closed_at, close_end = close
                    break
                inner = self.parse_token(inner_open, depth + 1)
                if inner is None:
                    pos = inner_open + 2
                    continue
                if text_start < inner_open:
                    nodes.append(Text(source[text_start:inner_open], text_start, inner_open))
                nodes.append(inner)
                pos = text_start = inner.end
                continue
            closed_at = match.start()
            close_end = match.end()
            break
        if closed_at == -1:
            self._dead_scans.update(visited)
            self.issues.append(
                ParseIssue(
                    "unclosed-call",
                    f"'{{{{{name}(' is never closed by ')}}}}'; the text is sent as written",
                    opening,
                    args_start,
                )
            )
            return None
        if text_start < closed_at:
            nodes.append(Text(source[text_start:closed_at], text_start, closed_at))
        return Token(
            name=name,
            args=tuple(nodes),
            start=opening,
            end=close_end,
            name_start=name_start,
            args_start=args_start,
            args_end=closed_at,
            spaced=spaced or close_end - closed_at != 3,
            name_gap=gap,
        )


def parse(source: str) -> Template:
    """Parse template text. Never raises; problems are listed in ``Template.issues``."""
    parser = _Parser(source)
    nodes = parser.parse_sequence(0, len(source))
    issues = sorted(set(parser.issues), key=lambda i: (i.start, i.code))
    return Template(source, tuple(nodes), tuple(issues))


def split_arguments(
    nodes: tuple[Node, ...], *, max_parts: int, from_right: bool = False
) -> list[tuple[Node, ...]]:
    """Split call-argument nodes at top-level commas into at most ``max_parts`` parts.

    Commas inside nested tokens never split. With ``from_right``, the split happens at the last
    commas (``@DateTime(dddd, MMMM d,-3600)`` keeps the comma of its format).
    """
    commas: list[tuple[int, int]] = []  # (node index, offset in its text)
    for index, node in enumerate(nodes):
        if isinstance(node, Text):
            offset = node.text.find(",")
            while offset != -1:
                commas.append((index, offset))
                offset = node.text.find(",", offset + 1)
    if max_parts <= 1 or not commas:
        return [nodes]
    chosen = commas[-(max_parts - 1) :] if from_right else commas[: max_parts - 1]
    parts: list[tuple[Node, ...]] = []
    current: list[Node] = []
    cut_iter = iter(chosen)
    cut = next(cut_iter, None)
    for index, node in enumerate(nodes):
        if not isinstance(node, Text) or cut is None or cut[0] != index:
            current.append(node)
            continue
        text, base, consumed = node.text, node.start, 0
        while cut is not None and cut[0] == index:
            offset = cut[1]
            if offset > consumed:
                current.append(Text(text[consumed:offset], base + consumed, base + offset))
            parts.append(tuple(current))
            current = []
            consumed = offset + 1
            cut = next(cut_iter, None)
        if consumed < len(text):
            current.append(Text(text[consumed:], base + consumed, node.end))
    parts.append(tuple(current))
    return parts


_REFERENCE_NAME_RE = re.compile(r"[^\s(){}@][^\s(){}]*")
NAME_RULE = "no spaces, no ( ) { }, and not starting with @"


def is_reference_name(name: str) -> bool:
    """True if ``{{name}}`` (or ``{{name(...)}}``) reads back as this name (:data:`NAME_RULE`)."""
    return _REFERENCE_NAME_RE.fullmatch(name) is not None


def iter_tokens(nodes: tuple[Node, ...]) -> list[Token]:
    """All tokens in ``nodes``, nested ones included, in source order (iterative, no recursion)."""
    found: list[Token] = []
    stack: list[Node] = list(reversed(nodes))
    while stack:
        node = stack.pop()
        if isinstance(node, Token):
            found.append(node)
            if node.args:
                stack.extend(reversed(node.args))
    return found
