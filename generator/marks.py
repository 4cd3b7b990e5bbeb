"""Where every node of one YAML file was written, kept compactly.

A plan of 20,000 actions has over a million YAML nodes. A map from each node's path (a tuple) to its (line,
column) cost about 250 bytes a node; here each node costs 16: the nodes are numbered in the order they are
written (a container before its children), and flat arrays hold each node's packed line, column and kind, where
its subtree ends, and which key it is if it is a mapping's key. A lookup walks from the root through the children
it names, so it costs the depth of the path, not the size of the file.

Lookups answer as LocMap's dictionaries did: a value's position is that of the first node written at its path (a
key written twice is an L005, and each of its values still counts), a key's position that of the last key written
at it. `positions` and `keys` are still there, built in full on first use, for the few callers that rewrite
plan.yaml by line (migrate, scaffold, import-tracker).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator

from .locations import Loc, LocMap, Path

LEAF, MAPPING, SEQUENCE = 0, 1, 2
COL_BITS, KIND_BITS = 32, 2
KEY_PART = "<key>"  # the path part LocMap gave a mapping's keys, and the values of keys it could not use


class Marks(LocMap):
    """The positions of one YAML document's nodes (see the module's docstring); filled by loader.load_yaml."""

    def __init__(self, file: str, line_offset: int = 0):  # LocMap's dataclass fields, but positions kept as below
        self.file = file
        self.line_offset = line_offset
        self.flow: set[Path] = set()
        self.packed = array("Q")  # per node: line, column (0-based, in the text given) and kind
        self.end = array("I")  # per node: the number of the first node after its subtree
        self.key_id = array("I")  # per node: 1 + the index in key_names of its text if it is a usable mapping key
        self.key_names: list[str] = []  # each key's text once
        self.key_ids: dict[str, int] = {}  # and its number (while loading)
        self._children: dict[int, array] = {}  # a sequence's children, listed on its first lookup
        self._full: tuple[dict, dict] | None = None

    # --- lookups ---------------------------------------------------------------------------------------------------

    def at(self, path: Path, key: bool = False) -> Loc:
        p = tuple(path)
        if key and p:
            last = max(self._keys_at(p), default=None)
            if last is not None:
                return self._loc(last)
        while p:
            found = self._first(p)
            if found is not None:
                return self._loc(found)
            p = p[:-1]
        return self._loc(0) if self.packed else Loc(self.file, 1 + self.line_offset, 1)

    def _loc(self, node: int) -> Loc:
        v = self.packed[node]
        return Loc(self.file, (v >> (COL_BITS + KIND_BITS)) + 1 + self.line_offset,
                   ((v >> KIND_BITS) & ((1 << COL_BITS) - 1)) + 1)

    def key_number(self, text: str) -> int:
        """The number key_id stores for a key written as `text`."""
        number = self.key_ids.get(text)
        if number is None:
            self.key_names.append(text)
            number = self.key_ids[text] = len(self.key_names)
        return number

    def _text(self, node: int) -> str | None:
        number = self.key_id[node]
        return self.key_names[number - 1] if number else None

    def _kind(self, node: int) -> int:
        return self.packed[node] & ((1 << KIND_BITS) - 1)

    def _pairs(self, mapping: int) -> Iterator[tuple[int, int]]:
        """(key node, value node) of each entry of a mapping, in written order."""
        node, stop = mapping + 1, self.end[mapping]
        while node < stop:
            value = self.end[node]
            yield node, value
            node = self.end[value]

    def _items(self, sequence: int) -> array:
        items = self._children.get(sequence)
        if items is None:  # listed once: a lookup into a list of 20,000 actions should not step over each one
            items, node, stop = array("I"), sequence + 1, self.end[sequence]
            while node < stop:
                items.append(node)
                node = self.end[node]
            self._children[sequence] = items
        return items

    def _step(self, nodes: list[int], part: str | int) -> list[int]:
        """The nodes at `part` under each of `nodes`, in written order (more than one only under duplicate keys)."""
        out = []
        for node in nodes:
            kind = self._kind(node)
            if kind == SEQUENCE and isinstance(part, int):
                items = self._items(node)
                if 0 <= part < len(items):
                    out.append(items[part])
            elif kind == MAPPING and isinstance(part, str):
                out += [v for k, v in self._pairs(node) if self._text(k) == part]
        return out

    def _first(self, path: Path) -> int | None:
        nodes = [0] if self.packed else []
        for part in path:
            nodes = self._step(nodes, part)
            if not nodes:
                return None
        return nodes[0] if nodes else None

    def _keys_at(self, path: Path) -> list[int]:
        """The key nodes written at `path` (a key written twice, both)."""
        nodes = [0] if self.packed else []
        for part in path[:-1]:
            nodes = self._step(nodes, part)
        return [k for m in nodes if self._kind(m) == MAPPING for k, _ in self._pairs(m) if self._text(k) == path[-1]]

    # --- the whole maps, for callers that read them as dictionaries ---------------------------------------------

    def _walk(self) -> tuple[dict, dict]:
        if self._full is None:
            positions: dict[Path, tuple[int, int]] = {}
            keys: dict[Path, tuple[int, int]] = {}

            def lc(node: int) -> tuple[int, int]:
                v = self.packed[node]
                return (v >> (COL_BITS + KIND_BITS)) + 1, ((v >> KIND_BITS) & ((1 << COL_BITS) - 1)) + 1

            stack = [(0, ())] if self.packed else []
            while stack:  # depth first, in written order, without recursion (nesting may be deep)
                node, path = stack.pop()
                positions.setdefault(path, lc(node))
                kind, later = self._kind(node), []
                if kind == SEQUENCE:
                    later = [(child, path + (i,)) for i, child in enumerate(self._items(node))]
                elif kind == MAPPING:
                    for k, v in self._pairs(node):
                        text = self._text(k)
                        later.append((k, path + (KEY_PART,)))
                        later.append((v, path + ((KEY_PART,) if text is None else (text,))))
                        if text is not None:
                            keys[path + (text,)] = lc(k)
                stack += reversed(later)
            self._full = positions, keys
        return self._full

    @property
    def positions(self) -> dict[Path, tuple[int, int]]:  # type: ignore[override]
        return self._walk()[0]

    @property
    def keys(self) -> dict[Path, tuple[int, int]]:  # type: ignore[override]
        return self._walk()[1]
