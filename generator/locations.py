"""Where each value was written: file, line and column, looked up by its path in the YAML tree."""

from __future__ import annotations

from dataclasses import dataclass, field

Path = tuple[str | int, ...]


def field_path(path: Path) -> str:
    """A path as editors read it: 'updates[2].status', items numbered from 1."""
    out = ""
    for part in path:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


@dataclass(frozen=True)
class Loc:
    file: str
    line: int  # 1-based
    col: int  # 1-based


@dataclass
class LocMap:
    """Positions of every node of one YAML document, keyed by its path from the document root."""

    file: str
    positions: dict[Path, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)  # where each mapping key is written
    line_offset: int = 0  # front matter starts below the opening '---'
    flow: set[Path] = field(default_factory=set)  # mappings written inline, `{a: 1, b: 2}`, where a comma ends a value

    def at(self, path: Path, key: bool = False) -> Loc:
        """The position of `path` (of its key, if asked), or of its nearest written ancestor."""
        p = tuple(path)
        if key and p in self.keys:
            line, col = self.keys[p]
            return Loc(self.file, line + self.line_offset, col)
        while p and p not in self.positions:
            p = p[:-1]
        line, col = self.positions.get(p, (1, 1))
        return Loc(self.file, line + self.line_offset, col)


@dataclass(frozen=True)
class Src:
    """An item's place: the map of its file and the item's own path within it."""

    locs: LocMap | None
    path: Path = ()

    @classmethod
    def nowhere(cls) -> "Src":
        return cls(None)

    def __reduce__(self):
        """Positions stay in the process that read the files: a plan sent to a build worker travels light."""
        return (Src.nowhere, ())

    def at(self, *sub: str | int, key: bool = False) -> Loc:
        if self.locs is None:
            return Loc("plan.yaml", 1, 1)
        return self.locs.at(self.path + sub, key=key)

    def child(self, *sub: str | int) -> "Src":
        return Src(self.locs, self.path + sub)
