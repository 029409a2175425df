"""Conditions on outcome columns, as backtest files write them: parsed, never ``eval``-ed.

    deal and agreed.keep_militias_back >= 1 and delivered.keep_militias_back < 1
    not walked_out >= 0
    delivered.chemical_arsenal < agreed.chemical_arsenal or us.paid_for_unkept

Grammar (case-sensitive words ``and``, ``or``, ``not``, ``true``, ``false``)::

    condition  := disjunct ("or" disjunct)*
    disjunct   := negation ("and" negation)*
    negation   := "not" negation | comparison
    comparison := operand (("<" | "<=" | ">" | ">=" | "==" | "!=") operand)?
    operand    := NUMBER | "-" NUMBER | COLUMN | "true" | "false" | "(" condition ")"

A column alone means "is true / non-zero". Numbers compare with a tolerance of 1e-9, so
``delivered.x == 1`` holds for a delivered level of 0.9999999999. ``evaluate`` works on whole
columns at once and returns one boolean per run.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import numpy as np

EPS = 1e-9
_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d*)?|\.\d+)|(?P<op><=|>=|==|!=|<|>)|(?P<paren>[()])|(?P<minus>-)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_.]*))"
)
_OPS = ("<", "<=", ">", ">=", "==", "!=")


class ConditionError(ValueError):
    """A condition that cannot be read; the message says where."""


@dataclass(frozen=True)
class Node:
    kind: str  # "num", "col", "const", "cmp", "and", "or", "not"
    value: object = None  # number, column name, bool, operator
    args: tuple = ()


def _tokens(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ConditionError(f"cannot read '{text[pos:].strip()[:20]}' in condition '{text}'")
        kind = m.lastgroup
        out.append((kind, m.group(kind)))
        pos = m.end()
    return out


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.toks = _tokens(text)
        self.i = 0

    def peek(self) -> tuple[str, str] | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> tuple[str, str]:
        tok = self.peek()
        if tok is None:
            raise ConditionError(f"condition '{self.text}' ends too early")
        self.i += 1
        return tok

    def word(self, w: str) -> bool:
        tok = self.peek()
        if tok == ("name", w):
            self.i += 1
            return True
        return False

    def parse(self) -> Node:
        if not self.toks:
            raise ConditionError("empty condition")
        node = self.disjunction()
        if self.peek() is not None:
            raise ConditionError(f"unexpected '{self.peek()[1]}' in condition '{self.text}'")
        return node

    def disjunction(self) -> Node:
        parts = [self.conjunction()]
        while self.word("or"):
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else Node("or", args=tuple(parts))

    def conjunction(self) -> Node:
        parts = [self.negation()]
        while self.word("and"):
            parts.append(self.negation())
        return parts[0] if len(parts) == 1 else Node("and", args=tuple(parts))

    def negation(self) -> Node:
        if self.word("not"):
            return Node("not", args=(self.negation(),))
        return self.comparison()

    def comparison(self) -> Node:
        left = self.operand()
        tok = self.peek()
        if tok is not None and tok[0] == "op":
            self.take()
            return Node("cmp", tok[1], (left, self.operand()))
        return left

    def operand(self) -> Node:
        kind, text = self.take()
        if kind == "num":
            return Node("num", float(text))
        if kind == "minus":
            k2, t2 = self.take()
            if k2 != "num":
                raise ConditionError(f"'-' must be followed by a number in condition '{self.text}'")
            return Node("num", -float(t2))
        if kind == "paren" and text == "(":
            node = self.disjunction()
            if self.take() != ("paren", ")"):
                raise ConditionError(f"missing ')' in condition '{self.text}'")
            return node
        if kind == "name":
            if text in ("and", "or", "not"):
                raise ConditionError(
                    f"'{text}' needs something before it in condition '{self.text}'"
                )
            if text in ("true", "false"):
                return Node("const", text == "true")
            return Node("col", text)
        raise ConditionError(f"unexpected '{text}' in condition '{self.text}'")


def parse(text: str) -> Node:
    """Parse a condition, or raise ConditionError."""
    if not isinstance(text, str):
        raise ConditionError(f"a condition is a string (got {text!r})")
    return _Parser(text).parse()


def columns(node: Node) -> list[str]:
    """The column names a condition reads."""
    if node.kind == "col":
        return [node.value]
    return [c for a in node.args for c in columns(a)]


def check(node: Node, valid: list[str]) -> None:
    """Raise ConditionError naming the first column that is not in ``valid``."""
    for name in columns(node):
        if name not in valid:
            close = difflib.get_close_matches(name, valid, n=2, cutoff=0.6)
            hint = f"; did you mean {' or '.join(close)}?" if close else ""
            raise ConditionError(f"unknown outcome '{name}'{hint} (outcomes: {', '.join(valid)})")


def evaluate(node: Node, cols: dict[str, np.ndarray], n: int | None = None) -> np.ndarray:
    """The condition for every run: (R,) bool."""
    if n is None:
        n = len(next(iter(cols.values())))
    value = _eval(node, cols, n)
    return np.broadcast_to(_truth(value), (n,)).copy()


def _truth(v: np.ndarray) -> np.ndarray:
    v = np.asarray(v)
    return v if v.dtype == bool else np.abs(v.astype(float)) > EPS


def _eval(node: Node, cols: dict[str, np.ndarray], n: int):
    if node.kind == "num":
        return np.float64(node.value)
    if node.kind == "const":
        return np.bool_(node.value)
    if node.kind == "col":
        return np.asarray(cols[node.value])
    if node.kind == "not":
        return ~_truth(_eval(node.args[0], cols, n))
    if node.kind in ("and", "or"):
        out = _truth(_eval(node.args[0], cols, n))
        for a in node.args[1:]:
            nxt = _truth(_eval(a, cols, n))
            out = (out & nxt) if node.kind == "and" else (out | nxt)
        return out
    a = np.asarray(_eval(node.args[0], cols, n), dtype=float)
    b = np.asarray(_eval(node.args[1], cols, n), dtype=float)
    op = node.value
    if op == "<":
        return a < b - EPS
    if op == "<=":
        return a <= b + EPS
    if op == ">":
        return a > b + EPS
    if op == ">=":
        return a >= b - EPS
    if op == "==":
        return np.abs(a - b) <= EPS
    return np.abs(a - b) > EPS
