"""The output folder as this tool owns it: complete trees, and the live one switched in one atomic step.

    <out>/.trees/<token>/        complete trees: public/, staff/, index.html, 404.html, .build-keys.json
    <out>/current                ONE relative symlink to the live tree, replaced with os.replace (atomic)
    <out>/public, staff, index.html, 404.html   fixed relative links through `current` (made once, never switched)
    <out>/.cache/<key>/          built published sites, hard-linked into new trees
    <out>/.lock                  held (flock) by the one run that owns the folder

A reader of `<out>/public/...` or `<out>/staff/...` sees the old complete tree until the single rename of
`current`, then the new complete tree. A new tree is assembled inside `.trees/` and the cache inside
`.cache/`, so staff data never leaves <out>; what a killed run leaves there (trees nobody points at,
temporary links, half-written cache entries, and the `.<out>.building-*` folders that builds before this
layout made beside the output) is removed at the start of the next run.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import secrets
import shutil
import signal
from dataclasses import dataclass
from pathlib import Path

from .errors import GeneratorError
from .files import atomic_write

TREES, CURRENT, CACHE, LOCK = ".trees", "current", ".cache", ".lock"
KEYS_FILE = ".build-keys.json"  # in a tree: the cache key each version folder was built from
FIXED = ("public", "staff", "index.html", "404.html")  # the names readers use, each a link through `current`
MARKERS = (TREES, CURRENT, LOCK, KEYS_FILE)  # any of these says the folder is ours (KEYS_FILE: the old layout)
FAULT_ENV = "GENERATOR_FAULT_AT"


def fault(point: str) -> None:
    """Test hook: when GENERATOR_FAULT_AT names this point, the process kills itself (SIGKILL) right here, as a
    power cut or an OOM kill would. The crash-consistency test uses it to stop a build at every step of the swap."""
    if os.environ.get(FAULT_ENV) == point:
        os.kill(os.getpid(), signal.SIGKILL)


class OutputError(GeneratorError):
    """The output folder cannot be used or written: said with the path and the reason."""


def io_error(exc: OSError, out: Path) -> OutputError:
    """An OSError from the swap in the user's words: which path, why, and that the live site is unchanged."""
    where = exc.filename2 or exc.filename or out  # a rename's destination, else the file opened
    return OutputError(f"could not write {where}: {exc.strerror or exc}; the site in {out} was not changed")


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)  # built sites are never changed in place, so sharing their files is safe and fast
    except OSError:
        shutil.copy2(src, dst)


def link_tree(src: Path, dest: Path) -> None:
    """Copy a folder as hard links (a real copy where links are not possible); symlinks are copied as links."""
    shutil.copytree(src, dest, symlinks=True, copy_function=_link_or_copy)


def _symlink(target: str, link: Path) -> None:
    """Point `link` at `target` in one rename, whatever `link` was (a link, a file, or nothing)."""
    tmp = link.with_name(f".{link.name}.{secrets.token_hex(4)}.tmp")
    os.symlink(target, tmp)
    try:
        os.replace(tmp, link)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise


def remove(path: Path) -> None:
    """Remove a file, link or folder if it is there (a link is removed, never followed)."""
    try:
        if path.is_symlink() or path.is_file():
            path.unlink(missing_ok=True)
        elif path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
    except OSError:
        pass  # left for the next run's clean-up


def _real_dir(path: Path) -> bool:
    return path.is_dir() and not path.is_symlink()


def check_output(out: Path) -> None:
    """Refuse a folder this tool did not make: an empty or new folder, or one holding our markers, is ours.
    Its own folders must be real ones: through a link, clean-up would delete files somewhere else."""
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out} is not a folder this tool built; choose an empty or new folder for --out")
    if out.is_dir() and any(out.iterdir()) and not any((out / m).is_symlink() or (out / m).exists() for m in MARKERS):
        raise OutputError(f"{out} holds files this tool did not build; choose an empty or new folder for --out")
    for name in (TREES, CACHE):
        if (out / name).is_symlink():
            raise OutputError(f"{out / name} is a link, not a folder this tool made; remove it and build again")


@dataclass
class Output:
    """One run's hold on the output folder (use as a context manager; the lock is released on exit)."""

    path: Path
    _lock: int

    @classmethod
    def open(cls, out: Path) -> Output:
        """Check the folder is ours, take its lock, remove what killed runs left, and finish any migration."""
        out = out.resolve()
        check_output(out)
        try:
            out.mkdir(parents=True, exist_ok=True)
            fd = os.open(out / LOCK, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
        except OSError as exc:
            raise io_error(exc, out) from None
        fcntl.flock(fd, fcntl.LOCK_EX)  # concurrent builds into one folder take turns
        self = cls(out, fd)
        try:
            self._clean()
            if self.live_name() is not None:
                self._fix_links(migrate=True)
        except OSError as exc:
            self.close()
            raise io_error(exc, out) from None
        return self

    def __enter__(self) -> Output:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._lock >= 0:
            os.close(self._lock)
            self._lock = -1

    @property
    def cache_dir(self) -> Path:
        return self.path / CACHE

    def live_name(self) -> str | None:
        """The token of the live tree (None before the first build, or in the old layout)."""
        try:
            target = os.readlink(self.path / CURRENT)
        except OSError:
            return None
        name = Path(target).name
        return name if Path(target).parent == Path(TREES) and _real_dir(self.path / TREES / name) else None

    def live(self) -> Path | None:
        """The live tree: `.trees/<token>`, or <out> itself in the layout of builds before this one."""
        name = self.live_name()
        if name is not None:
            return self.path / TREES / name
        return self.path if (self.path / KEYS_FILE).is_file() else None

    def live_keys(self) -> dict[str, str]:
        """The cache key of each version folder of the live tree (empty if none or unreadable)."""
        live = self.live()
        if live is None:
            return {}
        try:
            data = json.loads((live / KEYS_FILE).read_text(encoding="utf-8"))
            return {str(k): str(v) for k, v in data.get("dirs", {}).items() if _real_dir(live / str(k))}
        except (OSError, ValueError, AttributeError):
            return {}

    def new_tree(self) -> Path:
        """A new empty tree inside <out>, to be filled completely and then passed to commit()."""
        tree = self.path / TREES / secrets.token_hex(8)
        tree.mkdir(parents=True)
        return tree

    def commit(self, tree: Path, keys: dict[str, str]) -> None:
        """Make `tree` live in one step (after its keys file is written), then remove the tree it replaced."""
        old = self.live_name()
        atomic_write(tree / KEYS_FILE, json.dumps({"format": 1, "dirs": keys}, indent=1, sort_keys=True) + "\n")
        _fsync_dir(tree)
        self._fix_links(migrate=False)  # on a first build they dangle until the switch
        fault("before-switch")
        _symlink(f"{TREES}/{tree.name}", self.path / CURRENT)
        fault("after-switch")
        try:
            self._fix_links(migrate=True)
        except OSError:
            pass  # the new tree is live through `current`; the next run finishes moving the old layout away
        fault("after-links")
        if old is not None and old != tree.name:
            old_tree = self.path / TREES / old
            try:
                for part in sorted(old_tree.iterdir()):
                    remove(part)
                    fault("during-old-tree-removal")
                remove(old_tree)
            except OSError:
                pass  # the new tree is live; the next run removes what is left of the old one

    def discard(self, tree: Path) -> None:
        """Remove a tree that will not go live (a failed build); never the live one."""
        if tree.name != self.live_name():
            remove(tree)

    def _fix_links(self, migrate: bool) -> None:
        """Make `public`, `staff`, `index.html` and `404.html` links through `current`. Real folders there are the old
        layout: with `migrate` (only once `current` is live) each is moved into a tree that is then removed, and
        replaced by its link: a moment without it, once."""
        if migrate:
            (self.path / KEYS_FILE).unlink(missing_ok=True)
        trash = self.path / TREES / f"old-layout-{secrets.token_hex(4)}"
        for name in FIXED:
            link = self.path / name
            want = f"{CURRENT}/{name}"
            if link.is_symlink() and os.readlink(link) == want:
                continue
            if link.exists() and not link.is_symlink():
                if not migrate:
                    continue
                trash.mkdir(parents=True, exist_ok=True)
                tmp = link.with_name(f".{name}.{secrets.token_hex(4)}.tmp")
                os.symlink(want, tmp)
                os.replace(link, trash / name)
                fault("during-migration")
                os.replace(tmp, link)
            else:
                _symlink(want, link)
        remove(trash)

    def _clean(self) -> None:
        """Remove what killed runs left: trees that are not live, temporary links and files, half-written cache
        entries, and `.<out>.building-*` folders that builds before this layout made beside the output."""
        live = self.live_name()
        trees = self.path / TREES
        for tree in trees.iterdir() if trees.is_dir() else []:
            if tree.name != live:
                remove(tree)
        for tmp in self.path.glob(".*.tmp"):
            remove(tmp)
        for entry in self.cache_dir.iterdir() if self.cache_dir.is_dir() else []:
            if ".part" in entry.name or not _real_dir(entry):
                remove(entry)
        for stale in self.path.parent.glob(f".{self.path.name}.building-*"):
            remove(stale)

    def prune_cache(self, keep: set[str]) -> None:
        """Drop cached sites no current version uses (old templates, corrected snapshots). The new site is live
        by now, so a failure here is left for the next run to finish."""
        try:
            entries = list(self.cache_dir.iterdir()) if self.cache_dir.is_dir() else []
        except OSError:
            return
        for entry in entries:
            if entry.name not in keep:
                remove(entry)
                fault("during-cache-prune")


def store_in_cache(cache_dir: Path, key: str, site: Path) -> None:
    """Keep a built published site under its key (hard links), complete or not at all: linked under a temporary
    name, then renamed; a half-linked entry left by a killed run is removed by the next Output.open."""
    cache = cache_dir / key
    if cache.exists():
        return
    part = cache_dir / f"{key}.part{os.getpid()}"
    cache_dir.mkdir(parents=True, exist_ok=True)
    link_tree(site, part)
    fault("during-cache-write")
    os.replace(part, cache)


def _fsync_dir(path: Path) -> None:
    """Flush a folder's entries to disk where the platform allows it (cheap; a no-op where it is refused)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.EBADF):
            raise
    finally:
        os.close(fd)
