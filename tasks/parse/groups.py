"""Digit runs of a row made of groups that each close with their total (table 4: three groups of
five, R5), solved as one problem over every reading.

The readings are counted, not listed: a state is where in the digits the next cell starts, how
many cells are read, and the running sum of the open group; the cells that follow a state do not
depend on how it was reached, so each state's completions are counted once. A cell is decided when
every complete reading gives it the same value; if the search runs out of budget nothing is
decided (a partial list of readings would make cells look agreed that are not).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from tasks.parse.cells import Value
from tasks.parse.runs import MAX_DIGITS, Chunk, _chunks, _num, _piece_lengths
from tasks.parse.tokens import Tok

BUDGET = 200_000  # cell transitions per row before giving up (nothing decided)
SHOWN = 12  # readings quoted in a warning

State = tuple[int, int, int, int | None]  # chunk index, digit offset, cells read, open group's sum


@dataclass(frozen=True)
class Solution:
    """Each cell (decided, or null "ambiguous"), how many full readings fit, and some of them."""

    cells: list[Value]
    readings: int
    shown: list[list[Value]]
    complete: bool


class _Budget(Exception):
    pass


def solve_groups(values: list[Tok], sizes: tuple[int, ...], sums: bool = True) -> Solution:
    """The readings of `values` as consecutive groups of `sizes` cells; with `sums`, each group's
    last cell prints the sum of the others (where all are whole numbers)."""
    solver = _Solver(_chunks(values), sizes, sums)
    width = sum(sizes)
    try:
        return solver.solve()
    except _Budget:
        at = values[0].cell if values else None
        return Solution([Value(None, "", "ambiguous", at)] * width, 0, [], False)


class _Solver:
    def __init__(self, chunks: list[Chunk], sizes: tuple[int, ...], sums: bool) -> None:
        self.chunks = chunks
        self.width = sum(sizes)
        self.sums = sums
        ends, at = set(), 0
        for s in sizes:
            at += s
            ends.add(at - 1)
        self.closing = ends  # cell indices that close a group (its total)
        self.steps = 0
        self.ways: dict[State, int] = {}
        self.memo: dict[State, list[tuple[Value, State]]] = {}
        self.lo, self.hi, self.room = self._bounds()

    def _bounds(self) -> tuple[list[int], list[int], list[int]]:
        """From chunk i on: the fewest and most cells the chunks can make (a cell never spans
        chunks), and the most digits they print (a value printed apart counts as a whole cell)."""
        n = len(self.chunks)
        lo, hi, room = [0] * (n + 1), [0] * (n + 1), [0] * (n + 1)
        for i in range(n - 1, -1, -1):
            tok, c = self.chunks[i]
            lo[i] = lo[i + 1] + (1 if c is None else -(-len(c) // MAX_DIGITS))
            hi[i] = hi[i + 1] + (1 if c is None else len(c))
            room[i] = room[i + 1] + (MAX_DIGITS if c is None else len(c))
        return lo, hi, room

    def _fits(self, i: int, off: int, cells_left: int, open_sum: int | None = None) -> bool:
        """Can the digits from (i, off) make exactly `cells_left` cells, one of them the open
        group's total, which is at least `open_sum` (a necessary bound)?"""
        if i == len(self.chunks):
            return cells_left == 0
        _, c = self.chunks[i]
        rest = 1 if c is None else len(c) - off
        lo = self.lo[i + 1] + (1 if c is None else -(-rest // MAX_DIGITS))
        hi = self.hi[i + 1] + rest
        if not lo <= cells_left <= hi:
            return False
        if open_sum:  # the total prints at least as many digits as the sum so far
            room = self.room[i + 1] + (MAX_DIGITS if c is None else rest)
            return len(str(open_sum)) <= MAX_DIGITS and cells_left - 1 + len(str(open_sum)) <= room
        return True

    def moves(self, state: State) -> list[tuple[Value, State]]:
        """The next cell's possible readings from `state`, and the state after each."""
        if state not in self.memo:
            self.memo[state] = self._moves(state)
        return self.memo[state]

    def _moves(self, state: State) -> list[tuple[Value, State]]:
        i, off, k, s = state
        if k == self.width or i == len(self.chunks):
            return []
        self.steps += 1
        if self.steps > BUDGET:
            raise _Budget
        closing = k in self.closing
        expected = str(s) if self.sums and closing and isinstance(s, int) else None
        tok, chunk = self.chunks[i]
        out = []
        if chunk is None:
            cells = [(tok.value, i + 1, 0)]
        else:
            cells = []
            for n in _piece_lengths(chunk, off, expected):
                piece = chunk[off : off + n]
                nxt = (i + 1, 0) if off + n == len(chunk) else (i, off + n)
                cells.append((Value(_num(piece), piece, "number", tok.cell), *nxt))
        for value, ni, noff in cells:
            v = value.value
            if closing:
                if self.sums and isinstance(s, int) and isinstance(v, (int, float)) and v != s:
                    continue
                ns: int | None = 0
            else:
                ns = s + v if self.sums and isinstance(s, int) and isinstance(v, int) else None
            if self._fits(ni, noff, self.width - k - 1, ns):
                out.append((value, (ni, noff, k + 1, ns)))
        return out

    def count(self, state: State) -> int:
        """How many complete readings follow `state`."""
        if state in self.ways:
            return self.ways[state]
        i, _, k, _ = state
        if k == self.width:
            n = int(i == len(self.chunks))
        else:
            n = sum(self.count(nxt) for _, nxt in self.moves(state))
        self.ways[state] = n
        return n

    def solve(self) -> Solution:
        start: State = (0, 0, 0, 0)
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, 4 * self.width + 100))
        try:
            total = self.count(start)
        finally:
            sys.setrecursionlimit(limit)
        options: list[dict] = [{} for _ in range(self.width)]
        seen, frontier = {start}, [start]
        while total and frontier:  # every state on a complete reading, and the cells read from it
            nxt_frontier = []
            for state in frontier:
                for value, nxt in self.moves(state):
                    if self.count(nxt):
                        options[state[2]].setdefault(value.value, value)
                        if nxt not in seen:
                            seen.add(nxt)
                            nxt_frontier.append(nxt)
            frontier = nxt_frontier
        cells = []
        for opts in options:
            at = next(iter(opts.values())).cell if opts else None
            cells.append(next(iter(opts.values())) if len(opts) == 1 else Value(None, "", "ambiguous", at))
        return Solution(cells, total, self._examples(start) if total else [], True)

    def _examples(self, start: State) -> list[list[Value]]:
        """Up to SHOWN complete readings, for the warning."""
        out: list[list[Value]] = []

        def rec(state: State, acc: list[Value]) -> None:
            if len(out) >= SHOWN:
                return
            if state[2] == self.width:
                out.append(acc)
                return
            for value, nxt in self.moves(state):
                if self.count(nxt):
                    rec(nxt, acc + [value])

        rec(start, [])
        return out
