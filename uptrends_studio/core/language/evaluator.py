"""Evaluate parsed templates against alert data: rendered text, source map and diagnostics.

Values are inserted raw, exactly as Uptrends does (no automatic JSON escaping). The one
automatic encoding is for ``application/x-www-form-urlencoded`` bodies, where every top-level
token's value is URL-encoded. Unknown tokens render as written and are reported; nothing here
raises for any template text.

Secret taint: every output segment that derives from a secret (a predefined variable marked
secret, a vault password, a vault field read through a secret variable, an HMAC key, or a
function of any of these, nested tokens included) is flagged ``secret``, and diagnostics never
quote a secret-derived value. :mod:`uptrends_studio.core.secrets` masks by these flags.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from uptrends_studio.core.checks.diagnostics import Diagnostic, Fix, Severity
from uptrends_studio.core.checks.field_path import FieldPath
from uptrends_studio.core.document.model import (
    HashFunction,
    JwtFunction,
    MappingFunction,
    UserFunction,
    Variable,
    VariableMode,
)
from uptrends_studio.core.language import functions as fn
from uptrends_studio.core.language.budget import RenderBudget
from uptrends_studio.core.language.catalogue import Catalogue
from uptrends_studio.core.language.parser import Node, Template, Text, Token, parse, split_arguments

if TYPE_CHECKING:
    import random

V = TypeVar("V")

MAX_VARIABLE_DEPTH = 32
"""Deepest chain of predefined variables whose values refer to each other that is evaluated."""

MAX_OUTPUT_CHARS = 32 * 1024 * 1024
"""Rendering stops with an error once one field's output passes this size."""

INVISIBLE_CHARS = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f")
"""Zero-width and other invisible characters that break a copy-pasted token name."""

_VAULT_RE = re.compile(r"@VaultItem\.([^.]+)\.(\w+)$", re.IGNORECASE)
_INVISIBLE_NAMES = {
    "\u200b": "ZERO WIDTH SPACE (U+200B)",
    "\u200c": "ZERO WIDTH NON-JOINER (U+200C)",
    "\u200d": "ZERO WIDTH JOINER (U+200D)",
    "\u2060": "WORD JOINER (U+2060)",
    "\ufeff": "ZERO WIDTH NO-BREAK SPACE (U+FEFF)",
    "\u00ad": "SOFT HYPHEN (U+00AD)",
    "\u200e": "LEFT-TO-RIGHT MARK (U+200E)",
    "\u200f": "RIGHT-TO-LEFT MARK (U+200F)",
}


@dataclass(frozen=True, slots=True)
class Scope:
    """What a template can refer to while rendering one alert message.

    Attributes:
        values: System variable values by exact catalogue name.
        variables: The integration's predefined variables by name.
        escalation_level: Values of escalation-level variables (from the sample).
        custom_fields: Monitor custom fields.
        vault: The sample's mock vault: item GUID -> {"Username": ..., "Password": ...}.
        functions: The integration's user-defined functions by name.
        now: The clock for ``@DateTime`` (UTC, timezone-aware).
        seed: Seed of the random functions (with the alert type, so Error and Ok differ).
        salt: Distinguishes random streams, e.g. the alert type.
        extra: Values of other names (response variables of earlier steps), by exact name.
        resolved: Predefined-variable values already evaluated for this message, by name
            (filled on first use, so a value such as ``{{@RandomGuid}}`` is computed once).
        budget: The render budget of this alert message, shared by every field rendered
            with it (its deadline, cancel event and memo of function results).
    """

    catalogue: Catalogue
    values: Mapping[str, str]
    variables: Mapping[str, Variable]
    escalation_level: Mapping[str, str]
    custom_fields: Mapping[str, str]
    vault: Mapping[str, Mapping[str, str]]
    functions: Mapping[str, UserFunction]
    now: datetime
    seed: int
    salt: str = ""
    extra: Mapping[str, str] = field(default_factory=dict)
    resolved: dict[str, tuple[str, bool]] = field(default_factory=dict)
    budget: RenderBudget = field(default_factory=RenderBudget)

    def unique_guid(self) -> str:
        """The ``@UniqueGuid`` of this message: one per (seed, salt)."""
        import random  # on first use, as below: keeps the start of the CLI fast

        return fn.random_guid(random.Random(f"{self.seed}/{self.salt}/unique"))


@dataclass(frozen=True, slots=True)
class Segment:
    """Output ``[out_start, out_end)`` came from source ``[src_start, src_end)``.

    For literal text the offsets correspond character by character; for a token the whole
    output maps to the whole token.
    """

    out_start: int
    out_end: int
    src_start: int
    src_end: int
    literal: bool
    secret: bool = False
    """The output derives from a secret value (masked unless revealed)."""


@dataclass(frozen=True, slots=True)
class Rendered:
    """The result of rendering one template field."""

    text: str
    segments: tuple[Segment, ...]
    diagnostics: tuple[Diagnostic, ...]

    def secret_texts(self) -> tuple[str, ...]:
        """The output of each run of secret-derived segments."""
        return tuple(self.text[start:end] for start, end in self.secret_spans())

    def secret_spans(self) -> tuple[tuple[int, int], ...]:
        """Output ``[start, end)`` ranges that derive from a secret; adjacent ones merged."""
        spans: list[tuple[int, int]] = []
        for seg in self.segments:
            if not seg.secret or seg.out_end == seg.out_start:
                continue
            if spans and spans[-1][1] == seg.out_start:
                spans[-1] = (spans[-1][0], seg.out_end)
            else:
                spans.append((seg.out_start, seg.out_end))
        return tuple(spans)

    def masked(self, mask: str) -> str:
        """The text with every secret-derived span replaced by ``mask``."""
        parts: list[str] = []
        last = 0
        for start, end in self.secret_spans():
            parts.extend((self.text[last:start], mask))
            last = end
        parts.append(self.text[last:])
        return "".join(parts)

    def source_offset(self, out_offset: int) -> tuple[int, int]:
        """Map an output offset back to a span of the template source.

        Inside literal text the span is one character; inside a token's value it is the whole
        token (the value came from there).
        """
        lo, hi = 0, len(self.segments)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.segments[mid].out_end <= out_offset:
                lo = mid + 1
            else:
                hi = mid
        if lo == len(self.segments):
            if not self.segments:
                return 0, 0
            last = self.segments[-1]
            return last.src_end, last.src_end
        seg = self.segments[lo]
        if seg.literal:
            pos = seg.src_start + (out_offset - seg.out_start)
            return pos, pos + 1
        return seg.src_start, seg.src_end


@dataclass(frozen=True, slots=True)
class _TimedOut:
    """A memoised call that did not finish within ``timeout`` seconds."""

    error: fn.OverBudgetError
    timeout: float


class OutputTooLargeError(Exception):
    """Internal signal: the output passed :data:`MAX_OUTPUT_CHARS`."""


class _Evaluator:
    def __init__(
        self,
        template: Template,
        scope: Scope,
        field_name: FieldPath,
        form_encode: bool,
        report: Callable[[Diagnostic], None],
        active: frozenset[str] = frozenset(),
        resolving: tuple[str, ...] = (),
    ) -> None:
        self.active = active  # user functions whose HMAC key is being rendered (cycle guard)
        self.resolving = resolving  # predefined variables whose value is being rendered
        self.template = template
        self.source = template.source
        self.scope = scope
        self.field = field_name
        self.form_encode = form_encode
        self.report = report
        self._rng: random.Random | None = None
        self.size = 0
        self.tainted = 0  # counts reads of secret values; grows while a token uses one

    @property
    def rng(self) -> random.Random:
        """The random stream of this field, created on first use (seeding costs a few µs)."""
        if self._rng is None:
            import random

            self._rng = random.Random(f"{self.scope.seed}/{self.scope.salt}/{self.field}")
        return self._rng

    # -- diagnostics -------------------------------------------------------------------------

    def diag(
        self,
        severity: Severity,
        code: str,
        message: str,
        start: int,
        end: int,
        fixes: tuple[Fix, ...] = (),
    ) -> None:
        self.report(Diagnostic(severity, code, message, self.field, start, end, fixes=fixes))

    # -- evaluation --------------------------------------------------------------------------

    def render(self) -> tuple[str, list[Segment]]:
        parts: list[str] = []
        segments: list[Segment] = []
        out = 0
        for node in self.template.nodes:
            if isinstance(node, Text):
                text = node.text
                literal = True
            else:
                before = self.tainted
                text = self.token(node)
                literal = False
                sent_as_written = text == self.source[node.start : node.end]
                if self.form_encode and not sent_as_written and not _is_call_to(node, "@urlencode"):
                    text = fn.url_encode(text)
            secret = not literal and self.tainted > before
            self.grow(len(text))
            parts.append(text)
            segments.append(Segment(out, out + len(text), node.start, node.end, literal, secret))
            out += len(text)
        return "".join(parts), segments

    def grow(self, amount: int) -> None:
        self.size += amount
        if self.size > MAX_OUTPUT_CHARS:
            raise OutputTooLargeError

    def nodes_text(self, nodes: tuple[Node, ...]) -> str:
        parts = []
        for node in nodes:
            text = node.text if isinstance(node, Text) else self.token(node)
            self.grow(len(text))
            parts.append(text)
        return "".join(parts)

    def verbatim(self, token: Token) -> str:
        return self.source[token.start : token.end]

    def token(self, token: Token) -> str:
        self.scope.budget.check_cancelled()
        name = token.name
        if token.junk or not name:
            self.diag(
                Severity.ERROR,
                "malformed-token",
                f"'{self.verbatim(token)[:60]}' is not a variable or function reference; "
                "it is sent as written",
                token.start,
                token.end,
            )
            return self.verbatim(token)
        if not INVISIBLE_CHARS.isdisjoint(name):
            invisible = [(i, c) for i, c in enumerate(name) if c in INVISIBLE_CHARS]
            cleaned = "".join(c for c in name if c not in INVISIBLE_CHARS)
            for index, char in invisible:
                pos = token.name_start + index + (token.name_gap if index else 0)
                self.diag(
                    Severity.ERROR,
                    "invisible-character",
                    f"invisible {_INVISIBLE_NAMES[char]} inside '{cleaned}': Uptrends will not "
                    "recognise the token (typically copied from a web page)",
                    pos,
                    pos + 1,
                    (Fix("Remove the invisible character", pos, pos + 1, ""),),
                )
            return self.verbatim(token)
        if token.spaced:
            unspaced = _unspaced(self, token)
            self.diag(
                Severity.WARNING,
                "whitespace-in-token",
                f"whitespace inside '{{{{...}}}}' is not documented to work in Uptrends; the "
                f"token is sent as written (without it: {unspaced[:60]})",
                token.start,
                token.end,
                (Fix("Remove the whitespace", token.start, token.end, unspaced),),
            )
            return self.verbatim(token)
        if name.startswith("@"):
            return self.system(token)
        return self.user(token)

    # -- names without "@": predefined variables and user-defined functions -------------------

    def user(self, token: Token) -> str:
        name = token.name
        scope = self.scope
        if token.is_call:
            function = scope.functions.get(name)
            if function is None:
                function = self.folded(token, scope.functions, "function")
            if function is None:
                self.unknown(
                    token, "unknown-function", "user-defined function", list(scope.functions)
                )
                return self.verbatim(token)
            if function.name in self.active:
                self.diag(
                    Severity.ERROR,
                    "function-cycle",
                    f"the key of {function.name} calls {function.name} itself; it is sent as "
                    "written",
                    token.start,
                    token.end,
                )
                return self.verbatim(token)
            before = self.tainted
            argument = self.nodes_text(token.args or ())
            try:
                return self.apply(function, argument)
            except fn.FunctionError as exc:
                self.failed(token, name, exc, before)
                return self.verbatim(token) if exc.fallback is None else exc.fallback
        if name in scope.extra:
            return scope.extra[name]
        variable = scope.variables.get(name)
        if variable is None:
            variable = self.folded(token, scope.variables, "predefined variable")
        if variable is None:
            self.unknown(token, "unknown-variable", "predefined variable", list(scope.variables))
            return self.verbatim(token)
        return self.predefined(token, variable)

    def apply(self, function: UserFunction, argument: str) -> str:
        """Call a user-defined function within the message's render budget, memoised."""
        if isinstance(function, MappingFunction):  # a table look-up: nothing to budget
            return fn.apply_user_function(function, argument)
        budget = self.scope.budget
        first = budget.spent_at is None
        if budget.spent(function.name, self.field):
            raise self.over_budget(first)
        key = header = ""
        if isinstance(function, HashFunction) and function.algorithm.startswith("HMAC"):
            key = self.key_text(function, function.key)
        if isinstance(function, JwtFunction):
            key = self.key_text(function, function.key)
            header = self.key_text(function, function.header)
        memo_key = (function, argument, key, header)
        result = budget.results.get(memo_key)
        if isinstance(result, _TimedOut) and budget.remaining() > 1.25 * result.timeout:
            result = None  # it timed out with much less time than this message has left
        if result is None:
            timeout = budget.remaining()
            try:
                result = fn.apply_user_function(function, argument, key, header, timeout=timeout)
            except fn.OverBudgetError as exc:
                result = _TimedOut(exc, timeout)
            except fn.FunctionError as exc:
                result = exc
            budget.results[memo_key] = result
        if isinstance(result, _TimedOut):
            budget.mark_spent(function.name, self.field)
            raise result.error
        if isinstance(result, fn.FunctionError):
            raise result
        assert isinstance(result, str)
        return result

    def over_budget(self, first: bool) -> fn.OverBudgetError:
        """The error of a call skipped because the render budget is spent (``first``: here)."""
        spent_at = self.scope.budget.spent_at
        if first or spent_at is None:
            message = "the render budget ran out before this call"
        else:
            message = (
                f"skipped: the render budget ran out earlier, at {spent_at[0]} in {spent_at[1]}"
            )
        return fn.OverBudgetError(message, redacted=message)

    def key_text(self, function: HashFunction | JwtFunction, template: str) -> str:
        # The HMAC or JWT key (and the JWT header) is itself a template (vault references
        # allowed); its problems are reported on the function's field by the checker, not here.
        # A key is rendered once per message, field and call path (memoised in the budget):
        # keys built from other functions' results would otherwise grow exponentially.
        budget = self.scope.budget
        memo_key = ("key", function.name, template, self.field, self.active, self.resolving)
        text = budget.memo.get(memo_key)
        if not isinstance(text, str):
            key_eval = _Evaluator(
                parse(template),
                self.scope,
                self.field,
                False,
                _ignore,
                self.active | {function.name},
                self.resolving,
            )
            text, _ = key_eval.render()
            if budget.spent_at is None:  # an incomplete key is not kept
                budget.memo[memo_key] = text
        if budget.spent_at is not None:
            raise self.over_budget(False)
        if text:
            self.tainted += 1  # an HMAC key is secret, and so is what it signs
        return text

    def predefined(self, token: Token, variable: Variable) -> str:
        if variable.mode is VariableMode.ESCALATION_LEVEL:
            value = self.scope.escalation_level.get(variable.name)
            if value is None:
                self.diag(
                    Severity.NOTE,
                    "escalation-value-missing",
                    f"'{variable.name}' is set per escalation level and the sample gives no "
                    "value; it renders empty",
                    token.start,
                    token.end,
                )
                return ""
            self.tainted += variable.secret
            return self.evaluated(token, variable, value)
        if variable.vault is not None:
            value = self.vault_value(token, variable.vault.item, variable.vault.field.value)
            self.tainted += variable.secret
            return value
        self.tainted += variable.secret
        return self.evaluated(token, variable, variable.value)

    def evaluated(self, token: Token, variable: Variable, value: str) -> str:
        """The value with its own tokens evaluated, once per message (reference §2.3)."""
        if "{{" not in value:
            return value
        name = variable.name
        resolved = self.scope.resolved
        if name in resolved:
            text, secret = resolved[name]
            self.tainted += secret  # a value computed from a secret stays secret when reused
            return text
        if name in self.resolving:
            chain = " -> ".join((*self.resolving[self.resolving.index(name) :], name))
            self.diag(
                Severity.ERROR,
                "variable-cycle",
                f"predefined variables refer to each other in a circle ({chain}); this "
                "reference is sent as written",
                token.start,
                token.end,
            )
            return self.verbatim(token)
        if len(self.resolving) >= MAX_VARIABLE_DEPTH:
            self.diag(
                Severity.ERROR,
                "too-deep",
                f"predefined variables refer to each other more than {MAX_VARIABLE_DEPTH} "
                "deep; this reference is sent as written",
                token.start,
                token.end,
            )
            return self.verbatim(token)
        inner = _Evaluator(
            parse(value),
            self.scope,
            variable_field(self.scope, variable),
            False,
            _ignore,
            self.active,
            (*self.resolving, name),
        )
        text, _ = inner.render()
        secret = inner.tainted > 0
        resolved[name] = (text, secret)
        self.tainted += secret
        return text

    def folded(self, token: Token, table: Mapping[str, V], what: str) -> V | None:
        folded = {key.casefold(): key for key in table}
        real = folded.get(token.name.casefold())
        if real is None:
            return None
        self.case_mismatch(token, real, what)
        return table[real]

    def unknown(self, token: Token, code: str, what: str, known: list[str]) -> None:
        import difflib  # only for a "did you mean": keeps the start of the CLI fast

        hint = difflib.get_close_matches(token.name, known, n=1, cutoff=0.6)
        fixes: tuple[Fix, ...] = ()
        message = f"unknown {what} '{token.name}'; it is sent as written"
        if hint:
            message += f" (did you mean '{hint[0]}'?)"
            fixes = (Fix(f"Change to '{hint[0]}'", token.name_start, token.name_end, hint[0]),)
        elif not known:
            message += f" (the integration defines no {what}s)"
        self.diag(Severity.ERROR, code, message, token.name_start, token.name_end, fixes)

    # -- "@" names: system variables, built-in functions, vault --------------------------------

    def system(self, token: Token) -> str:
        name = token.name
        catalogue = self.scope.catalogue
        vault = _VAULT_RE.match(name)
        if vault and not token.is_call:
            if not name.startswith("@VaultItem.") or vault.group(2) not in ("Username", "Password"):
                proper = f"@VaultItem.{vault.group(1)}.{vault.group(2).capitalize()}"
                if vault.group(2).casefold() not in ("username", "password"):
                    self.diag(
                        Severity.ERROR,
                        "unknown-vault-field",
                        f"vault field '{vault.group(2)}' does not exist: use Username or Password",
                        token.name_start,
                        token.name_end,
                    )
                    return self.verbatim(token)
                self.diag(
                    Severity.WARNING,
                    "case-mismatch",
                    f"vault reference is spelled '{proper}'",
                    token.name_start,
                    token.name_end,
                    (Fix(f"Change to '{proper}'", token.name_start, token.name_end, proper),),
                )
            return self.vault_value(token, vault.group(1), vault.group(2).capitalize())
        if not token.is_call:
            info = catalogue.variable(name)
            if info is None and (folded := catalogue.variable_folded(name)) is not None:
                info = folded
                self.case_mismatch(token, folded.name, "system variable")
            if info is not None and "(" not in info.name:
                return self.scope.values.get(info.name, "")
        function = catalogue.function(name)
        if function is None and (folded_fn := catalogue.function_folded(name)) is not None:
            function = folded_fn
            self.case_mismatch(token, folded_fn.name, "function")
        if function is None:
            hint = catalogue.suggest(name)
            what = "function" if token.is_call else "system variable"
            fixes: tuple[Fix, ...] = ()
            message = f"unknown {what} '{name}'; it is sent as written"
            if hint:
                message += f" (did you mean '{hint}'?)"
                fixes = (Fix(f"Change to '{hint}'", token.name_start, token.name_end, hint),)
            code = "unknown-function" if token.is_call else "unknown-variable"
            self.diag(Severity.ERROR, code, message, token.name_start, token.name_end, fixes)
            return self.verbatim(token)
        return self.builtin(token, function.name, function.args)

    def case_mismatch(self, token: Token, real: str, what: str) -> None:
        self.diag(
            Severity.WARNING,
            "case-mismatch",
            f"{what} is spelled '{real}', not '{token.name}'; Uptrends may not treat names "
            "case-insensitively",
            token.name_start,
            token.name_end,
            (Fix(f"Change to '{real}'", token.name_start, token.name_end, real),),
        )

    def vault_value(self, token: Token, item: str, field_name: str) -> str:
        entry = self.scope.vault.get(item)
        if entry is None or field_name not in entry:
            self.diag(
                Severity.WARNING,
                "vault-missing",
                f"vault item {item} ({field_name}) is not in the sample's mock vault; a "
                "placeholder is shown. The Studio never reads a real vault",
                token.start,
                token.end,
            )
            return f"<vault:{item}:{field_name}>"
        self.tainted += field_name == "Password"
        return entry[field_name]

    def builtin(self, token: Token, name: str, params: tuple[str, ...] | None) -> str:
        if params is None:
            if token.is_call:
                self.diag(
                    Severity.ERROR,
                    "argument-count",
                    f"{name} takes no arguments; write {{{{{name}}}}}",
                    token.start,
                    token.end,
                )
                return self.verbatim(token)
        elif not token.is_call:
            self.diag(
                Severity.ERROR,
                "argument-count",
                f"{name} needs arguments: {name}({','.join(params)})",
                token.start,
                token.end,
            )
            return self.verbatim(token)
        args = token.args or ()
        before = self.tainted
        try:
            return self.call(token, name, args, params)
        except fn.FunctionError as exc:
            self.failed(token, name, exc, before)
            return self.verbatim(token) if exc.fallback is None else exc.fallback

    def failed(self, token: Token, name: str, exc: fn.FunctionError, before: int) -> None:
        """Report a failed function; a secret-derived argument is never quoted."""
        if isinstance(exc, fn.OverBudgetError):
            self.diag(
                Severity.ERROR,
                "render-budget",
                f"{name}: {exc}; the render budget is {self.scope.budget.describe()} per alert "
                "message, so this call is sent as written (the rest of the message is rendered)",
                token.start,
                token.end,
            )
            return
        severity = Severity.WARNING if exc.fallback is not None else Severity.ERROR
        reason = str(exc) if self.tainted == before else exc.redacted
        self.diag(severity, "function-failed", f"{name}: {reason}", token.start, token.end)

    def shown(self, text: str, before: int) -> str:
        """``text`` for a message, or a stand-in when it derives from a secret."""
        return text if self.tainted == before else "(secret value)"

    def call(
        self, token: Token, name: str, args: tuple[Node, ...], params: tuple[str, ...] | None
    ) -> str:
        scope = self.scope
        if params is None:
            if name == "@RandomGuid":
                return fn.random_guid(self.rng)
            if name == "@UniqueGuid":
                return scope.unique_guid()
            if name == "@RandomUSMedicare":
                return fn.random_us_medicare(self.rng)
            raise fn.FunctionError("write it as @VaultItem.<itemGuid>.Username or .Password")
        before = self.tainted
        if len(params) == 1:
            text = self.nodes_text(args)
            if name == "@CustomField":
                return self.custom_field(token, args, text, before)
            if name == "@RandomChar":
                return fn.random_chars(self.rng, text)
            return _ONE_ARG[name](text)
        parts = split_arguments(args, max_parts=len(params), from_right=name == "@DateTime")
        low = sum(1 for p in params if not p.endswith("?"))
        if not low <= len(parts) <= len(params):
            raise fn.FunctionError(
                f"takes {'up to ' if low != len(params) else ''}{len(params)} arguments "
                f"({', '.join(p.rstrip('?') for p in params)}), got {len(parts)}"
            )
        texts = [self.nodes_text(p) for p in parts]
        if name == "@DateTime":
            if len(texts) == 2 and not texts[1].strip():
                self.diag(
                    Severity.WARNING,
                    "datetime-offset",
                    "nothing after the comma: no offset is applied",
                    token.start,
                    token.end,
                )
                return fn.date_time(scope.now, texts[0], None)
            if fn.is_offset(texts[0]):
                raise fn.FunctionError(
                    f"'{texts[0].strip()}' is an offset, not a format: write e.g. "
                    f"{{{{@DateTime(MM/dd/yyyy,{texts[0].strip()})}}}}"
                )
            if len(texts) == 2 and not fn.is_offset(texts[1]):
                # "dddd, MMMM d": the comma belongs to the format, there is no offset.
                if fn.looks_like_offset(texts[1]):
                    self.diag(
                        Severity.WARNING,
                        "datetime-offset",
                        f"'{self.shown(texts[1].strip(), before)}' after the last comma is not "
                        "an offset (whole seconds or FirstDayOfMonth, ...), so it is read as "
                        "part of the format",
                        token.start,
                        token.end,
                    )
                return fn.date_time(scope.now, self.nodes_text(args), None)
            return fn.date_time(scope.now, texts[0], texts[1] if len(texts) > 1 else None)
        if name == "@RandomInt":
            return fn.random_int(self.rng, texts[0], texts[1])
        raise fn.FunctionError("is not supported")  # pragma: no cover - catalogue and code agree

    def custom_field(self, token: Token, args: tuple[Node, ...], text: str, before: int) -> str:
        if any(isinstance(node, Token) for node in args):
            self.diag(
                Severity.WARNING,
                "custom-field-nested",
                "@CustomField takes the field's literal name, not a token",
                token.start,
                token.end,
            )
        value = self.scope.custom_fields.get(text)
        if value is None:
            # A name computed from a secret is neither quoted nor offered as a fix.
            fixes = (
                (
                    Fix(
                        f"Add the custom field '{text}' to the sample",
                        token.start,
                        token.end,
                        "",
                        custom_field=text,
                    ),
                )
                if text.strip() and self.tainted == before
                else ()
            )
            self.diag(
                Severity.WARNING,
                "custom-field-missing",
                f"the sample's monitor has no custom field '{self.shown(text, before)}'; it "
                "renders empty",
                token.start,
                token.end,
                fixes,
            )
            return ""
        return value


def _ignore(_: Diagnostic) -> None:
    return None


def variable_field(scope: Scope, variable: Variable) -> FieldPath:
    """The diagnostic field of a variable's value: ``variables[2].value``.

    A value set per escalation level lives in the sample: ``escalationLevel.Name``.
    """
    if variable.mode is VariableMode.ESCALATION_LEVEL:
        return FieldPath.escalation(variable.name)
    index = next((i for i, name in enumerate(scope.variables) if name == variable.name), 0)
    return FieldPath.variable_value(index)


def variable_diagnostics(scope: Scope) -> list[Diagnostic]:
    """The problems inside the values of the predefined variables that hold tokens.

    Each value is rendered the way a step's use of it renders it; the diagnostics carry the
    value's field (``variables[1].value``) and offsets into the value, so a reference cycle is
    reported at the token that closes it.
    """
    found: list[Diagnostic] = []
    for variable in scope.variables.values():
        if variable.vault is not None and variable.mode is VariableMode.HERE:
            continue
        if variable.mode is VariableMode.ESCALATION_LEVEL:
            value = scope.escalation_level.get(variable.name, "")
        else:
            value = variable.value
        if "{{" not in value:
            continue
        template = parse(value)
        field_name = variable_field(scope, variable)
        found += (
            Diagnostic(Severity.ERROR, i.code, i.message, field_name, i.start, i.end)
            for i in template.issues
        )
        evaluator = _Evaluator(
            template,
            replace(scope, resolved={}),
            field_name,
            False,
            found.append,
            frozenset(),
            (variable.name,),
        )
        try:
            evaluator.render()
        except OutputTooLargeError:
            found.append(
                Diagnostic(
                    Severity.ERROR,
                    "output-too-large",
                    f"the value passed {MAX_OUTPUT_CHARS // 2**20} MB; rendering stopped",
                    field_name,
                )
            )
    # Cycles are found on the reference graph, so each is reported in every value on it, at the
    # reference that leads back (the evaluator only sees the innermost one).
    found = [d for d in found if d.code != "variable-cycle"]
    return found + _cycle_diagnostics(scope)


def _variable_references(nodes: tuple[Node, ...]) -> list[Token]:
    found: list[Token] = []
    for node in nodes:
        if isinstance(node, Token):
            if node.is_call:
                found += _variable_references(node.args or ())
            elif node.name and not node.name.startswith("@") and not node.junk:
                found.append(node)
    return found


def _cycle_diagnostics(scope: Scope) -> list[Diagnostic]:
    folded = {name.casefold(): name for name in scope.variables}
    edges: dict[str, list[tuple[Token, str]]] = {}
    for name, variable in scope.variables.items():
        if variable.vault is not None and variable.mode is VariableMode.HERE:
            continue
        value = (
            scope.escalation_level.get(name, "")
            if variable.mode is VariableMode.ESCALATION_LEVEL
            else variable.value
        )
        if "{{" not in value:
            continue
        refs = []
        for token in _variable_references(parse(value).nodes):
            target = (
                token.name if token.name in scope.variables else folded.get(token.name.casefold())
            )
            if target is not None and target not in scope.extra:
                refs.append((token, target))
        edges[name] = refs

    def path(start: str, goal: str) -> list[str] | None:
        seen = {start}
        queue: list[list[str]] = [[start]]
        while queue:
            route = queue.pop(0)
            if route[-1] == goal:
                return route
            for _, nxt in edges.get(route[-1], []):
                if nxt == goal or nxt not in seen:
                    seen.add(nxt)
                    queue.append([*route, nxt])
        return None

    found: list[Diagnostic] = []
    for name, refs in edges.items():
        for token, target in refs:
            route = [name] if target == name else path(target, name)
            if route is None:
                continue
            chain = " -> ".join([name, *route] if target != name else [name, name])
            found.append(
                Diagnostic(
                    Severity.ERROR,
                    "variable-cycle",
                    f"predefined variables refer to each other in a circle ({chain}); the "
                    "reference is sent as written",
                    variable_field(scope, scope.variables[name]),
                    token.start,
                    token.end,
                )
            )
    found += _depth_diagnostics(scope, edges)
    return found


def _depth_diagnostics(
    scope: Scope, edges: Mapping[str, list[tuple[Token, str]]]
) -> list[Diagnostic]:
    """A chain of more than MAX_VARIABLE_DEPTH variables, reported where it starts."""
    depth: dict[str, int] = {}
    for start in edges:
        # Iterative post-order walk (chains may be long); a back edge (a cycle) counts as 0.
        stack: list[tuple[str, int]] = [(start, 0)]
        visiting: set[str] = set()
        while stack:
            name, state = stack.pop()
            if name in depth:
                continue
            targets = [t for _, t in edges.get(name, [])]
            if state == 0:
                visiting.add(name)
                stack.append((name, 1))
                stack.extend((t, 0) for t in targets if t not in depth and t not in visiting)
            else:
                visiting.discard(name)
                own = 1 if name in edges else 0  # a value without tokens ends a chain
                depth[name] = own + max((depth.get(t, 0) for t in targets), default=0)
    referenced = {target for refs in edges.values() for _, target in refs}
    found = []
    for name, refs in edges.items():
        if depth.get(name, 0) > MAX_VARIABLE_DEPTH and name not in referenced and refs:
            token = refs[0][0]
            found.append(
                Diagnostic(
                    Severity.ERROR,
                    "too-deep",
                    f"'{name}' refers through more than {MAX_VARIABLE_DEPTH} predefined "
                    "variables in a row; the reference that goes deeper is sent as written",
                    variable_field(scope, scope.variables[name]),
                    token.start,
                    token.end,
                )
            )
    return found


_ONE_ARG: dict[str, Callable[[str], str]] = {
    "@JsonEncode": fn.json_encode,
    "@JsonDecode": fn.json_decode,
    "@XmlEncode": fn.xml_encode,
    "@XmlDecode": fn.xml_decode,
    "@UrlEncode": fn.url_encode,
    "@Base64Encode": fn.base64_encode,
    "@Base64Decode": fn.base64_decode,
    "@HexToBase64": fn.hex_to_base64,
}


def _is_call_to(token: Token, folded_name: str) -> bool:
    return token.is_call and token.name.casefold() == folded_name


def _unspaced(evaluator: _Evaluator, token: Token) -> str:
    """The token without the undocumented whitespace (argument text is kept as written)."""
    if token.is_call:
        args = evaluator.source[token.args_start : token.args_end]
        return "{{" + token.name + "(" + args + ")}}"
    return "{{" + token.name + "}}"


def render(
    template: Template,
    scope: Scope,
    field_name: FieldPath | str = FieldPath.WHOLE,
    *,
    form_encode: bool = False,
    active: frozenset[str] = frozenset(),
) -> Rendered:
    """Render a parsed template.

    Args:
        template: The parsed template.
        scope: Values and definitions the tokens refer to.
        field_name: Used in diagnostics (``steps[0].body``) and to seed random functions; text
            is read with :meth:`FieldPath.parse`.
        form_encode: URL-encode each top-level token's value (form-urlencoded bodies).
        active: User functions whose HMAC key this template is (a call to one is a cycle).

    Returns:
        The text, a source map and diagnostics (parse problems included). Diagnostics carry
        offsets only; :func:`uptrends_studio.core.checks.integration.locate_all` adds lines and
        columns.
    """
    if isinstance(field_name, str):
        field_name = FieldPath.parse(field_name)
    found: list[Diagnostic] = [
        Diagnostic(Severity.ERROR, issue.code, issue.message, field_name, issue.start, issue.end)
        for issue in template.issues
    ]
    evaluator = _Evaluator(template, scope, field_name, form_encode, found.append, active)
    try:
        text, segments = evaluator.render()
    except OutputTooLargeError:
        found.append(
            Diagnostic(
                Severity.ERROR,
                "output-too-large",
                f"the rendered text passed {MAX_OUTPUT_CHARS // 2**20} MB; rendering stopped",
                field_name,
                0,
                0,
            )
        )
        return Rendered("", (), tuple(found))
    return Rendered(text, tuple(segments), tuple(found))
