"""`serve`: a live preview for editors. Builds the sites, serves them on localhost, rebuilds when the plan,
the content, the theme or mkdocs.yml change, and shows validation problems on every page instead of stopping.

A save reaches the page in about a second: the staff draft, which every save changes, is kept built in a folder of
its own and brought up to date by rebuilding only the pages whose text changed (generator/live.py); the published
versions are rebuilt only when something they show changes (the tool, the theme, mkdocs.yml, a reporting point or
the accessibility contact), and then come from the build cache. The server pushes each rebuild to the open pages
(server-sent events), and a page reloads when it was rebuilt, or when problems appear or go away.
The preview makes no progress reports or trackers (they are the slowest part of a version): its downloads pages
say the full build makes them.
"""

from __future__ import annotations

import errno
import functools
import html
import http.server
import json
import secrets
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from .diagnostics import Diagnostic, Severity, has_errors
from .engine import DEFAULT_ENGINE
from .errors import GeneratorError, UsageError, writing
from .live import LiveSite, Update, clear

WATCHED = ["plan.yaml", "mkdocs.yml", "plan", "content", "docs_theme"]
PREVIEW_DIR = ".cache/preview"
LIVE_DIR = ".cache/preview-live"  # the draft's staged project and pages, kept between saves (generator/live.py)
DRAFT_PATH = "/staff/draft/"  # where the preview serves the live draft
EVENTS = "/__preview_events"
SETTLE = 0.05  # seconds to wait after a change for the rest of the same save
KEEP_ALIVE = 15  # seconds between comments on an idle event stream, so a closed tab's connection is noticed
HISTORY = 200  # the rebuilds remembered for a page that connects late; an older page reloads
# Each page learns of every rebuild after its own (`since`) from the same server (`session`), and reloads if it was
# rebuilt (or everything was). It needs no JavaScript to be read; without it, reload by hand.
_RELOAD = r"""<script>(function(){{var here=location.pathname.replace(/index\.html$/,"");
var s=new EventSource("{events}?since={build}&session={session}");
s.onmessage=function(e){{var u=JSON.parse(e.data);if(u.pages===null||u.pages.indexOf(here)>=0){{s.close();
location.reload()}}}};}})();</script>"""


class Preview:
    """The state shared by the builder and the web server: the last build's number, what each build changed, and
    the problems of the last one."""

    def __init__(self, root: Path, out: Path, engine: str = DEFAULT_ENGINE) -> None:
        self.root, self.out, self.engine = root, out, engine
        self.live = LiveSite(root / LIVE_DIR / "staff-draft")
        self.build_no = 0
        self.session = secrets.token_hex(8)
        self.updates: dict[int, Update] = {}  # build number -> what it changed
        self.problems: list[Diagnostic] = []
        self.published: tuple | None = None  # the published sites' keys when last built
        self.changed = threading.Condition()
        self.closing = False

    def rebuild(self) -> None:
        started = time.perf_counter()
        try:
            with writing(self.out):
                problems, update = self._build()
        except GeneratorError as exc:  # a broken theme or mkdocs.yml must not stop the preview
            problems = exc.diagnostics or [Diagnostic("mkdocs.yml", 1, 1, "BUILD", f"the build failed: {exc.message}")]
            problems, update = [d for d in problems if d.severity is Severity.error] or problems, Update(True)
        with self.changed:
            if problems or self.problems:  # the banner comes or goes on every page
                update = Update(True)
            self.problems = problems
            self.build_no += 1
            self.updates[self.build_no] = update
            self.updates.pop(self.build_no - HISTORY, None)
            self.changed.notify_all()
        if problems:
            print(f"\n{len(problems)} problem(s); the preview shows the last good build:", flush=True)
            for d in problems:
                print(d.text(), flush=True)
        else:
            what = ("everything" if update.everything else
                    f"{len(update.pages)} page{'s' * (len(update.pages) != 1)}" if update.pages else "no page")
            print(f"rebuilt {what} in {time.perf_counter() - started:.2f}s", flush=True)

    def _build(self) -> tuple[list[Diagnostic], Update]:
        """Check the plan, rebuild the published versions if anything they show changed, then bring the draft up to
        date. Invalid content changes nothing: its problems are returned."""
        from .build import build_sites, draft_job, reporting_points, source_key
        from .project import EDITIONS
        from .validate import check_all

        checked = check_all(self.root)
        if has_errors(checked.diagnostics):
            return [d for d in checked.diagnostics if d.severity is Severity.error], Update(False)
        job = draft_job(self.root, checked, self.engine)
        assert checked.plan.info is not None and job.settings is not None
        source = source_key(self.root, job.settings, checked.plan.info.accessibility, False, self.engine)
        points = reporting_points(checked.frozen, checked.plan)
        published = (source, *(tuple(points.cache_keys(e, source).items()) for e in EDITIONS))
        everything = published != self.published
        if everything:
            diags, _ = build_sites(self.root, self.out, reports=False, engine=self.engine, drafts=False)
            if has_errors(diags):  # the plan changed between the two checks: the next save rebuilds
                return [d for d in diags if d.severity is Severity.error], Update(False)
            self.published = published
        update = self.live.update(job, source)
        return [], Update(True) if everything else update

    def since(self, build: int, session: str) -> tuple[int, list[str] | None]:
        """The newest build, and the pages (paths on the server) rebuilt after `build`: None for every page."""
        with self.changed:
            now = self.build_no
            updates = [self.updates.get(n) for n in range(build + 1, now + 1)]
        if session != self.session or any(u is None or u.everything for u in updates):
            return now, None
        return now, sorted({DRAFT_PATH + page for u in updates if u is not None for page in u.pages})

    def banner(self) -> str:
        with self.changed:
            problems = list(self.problems)
        if not problems:
            return ""
        items = "".join(f"<li><code>{html.escape(d.file)}:{d.line}:{d.col}</code> {html.escape(d.code)}: "
                        f"{html.escape(d.message)}</li>" for d in problems[:50])
        return ('<div role="alert" style="background:#a4161a;color:#fff;padding:1em 2em;font:16px sans-serif">'
                f"<strong>The plan has {len(problems)} problem(s); this page shows the last good build.</strong>"
                f'<ul style="margin:.5em 0 0">{items}</ul></div>')

    def script(self) -> str:
        with self.changed:
            build = self.build_no
        return _RELOAD.format(events=EVENTS, build=build, session=self.session)

    def close(self) -> None:
        with self.changed:
            self.closing = True
            self.changed.notify_all()


class _Handler(http.server.SimpleHTTPRequestHandler):
    preview: Preview
    hosts: frozenset[str] = frozenset()  # the Host headers that name this server (set once it is bound)

    def log_message(self, *args) -> None:
        pass

    def _foreign_host(self) -> bool:
        """DNS rebinding: a page on another site whose name now points at 127.0.0.1 must not read the staff
        preview, so only requests addressed to the host and port we are bound to are answered."""
        if (self.headers.get("Host") or "").lower() in self.hosts:
            return False
        self.send_error(421, "Misdirected Request", "this preview answers only to " + ", ".join(sorted(self.hosts)))
        return True

    def do_HEAD(self) -> None:  # noqa: N802
        if not self._foreign_host():
            super().do_HEAD()

    def translate_path(self, path: str) -> str:
        """The draft is served from the folder it is kept built in, everything else from the preview's output."""
        prefix = DRAFT_PATH.rstrip("/")
        address = urlsplit(path).path
        if address == prefix or address.startswith(DRAFT_PATH):
            directory, self.directory = self.directory, str(self.preview.live.site)
            try:
                return super().translate_path(path[len(prefix):] or "/")
            finally:
                self.directory = directory
        return super().translate_path(path)

    def do_GET(self) -> None:  # noqa: N802
        if self._foreign_host():
            return None
        address = urlsplit(self.path)
        if address.path == EVENTS:
            return self._events(parse_qs(address.query))
        if address.path in ("", "/"):
            self.send_response(302)
            self.send_header("Location", DRAFT_PATH)
            self.end_headers()
            return None
        script = self.preview.script()  # the build this page is from, or an older one: never a newer one
        target = Path(self.translate_path(self.path))
        if target.is_dir():
            if not address.path.endswith("/"):
                return super().do_GET()  # the redirect to the folder's address
            target = target / "index.html"
        if target.suffix == ".html" and target.is_file():
            page = target.read_text(encoding="utf-8")
            page = page.replace("</body>", f"{script}</body>", 1)
            banner = self.preview.banner()
            if banner and "<body" in page:
                at = page.index(">", page.index("<body")) + 1
                page = page[:at] + banner + page[at:]
            return self._send(page.encode(), "text/html; charset=utf-8")
        banner = self.preview.banner()
        if banner and not target.exists():  # nothing built yet: show the problems instead of a 404
            page = f'<!doctype html><html lang="en"><head><title>Plan problems</title></head><body>{banner}{script}</body></html>'
            return self._send(page.encode(), "text/html; charset=utf-8")
        return super().do_GET()

    def _events(self, query: dict[str, list[str]]) -> None:
        """Server-sent events: one message for every rebuild after the page's own, saying which pages it rebuilt
        (null: all of them). Holds the connection until the page goes away or the preview stops."""
        try:
            seen = int(query.get("since", ["0"])[0])
        except ValueError:
            seen = 0
        seen = max(seen, self.preview.build_no - HISTORY - 1)  # older than what is remembered: all the same
        session = query.get("session", [""])[0]
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        preview = self.preview
        try:
            while True:
                with preview.changed:
                    preview.changed.wait_for(lambda: preview.closing or preview.build_no > seen
                                             or session != preview.session, KEEP_ALIVE)
                    if preview.closing:
                        return None
                if preview.build_no > seen or session != preview.session:  # a page from another preview: reload
                    seen, pages = preview.since(seen, session)
                    session = preview.session
                    message = f"data: {json.dumps({'build': seen, 'pages': pages})}\n\n"
                else:
                    message = ": still here\n\n"
                self.wfile.write(message.encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            return None

    def _send(self, body: bytes, ctype: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)


def _watch(preview: Preview) -> object:
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer

    pending = threading.Event()

    class OnChange(FileSystemEventHandler):
        def on_any_event(self, event) -> None:
            if event.event_type in ("opened", "closed_no_write"):
                return
            # An editor may save by renaming a temporary file (often named with a dot) over the real one: the
            # rename's destination is the file saved.
            for name in (event.src_path, getattr(event, "dest_path", "")):
                path = Path(str(name))
                if name and ".cache" not in path.parts and not path.name.startswith((".", "~")) \
                        and path.suffix != ".swp":
                    pending.set()

    observer = Observer()
    for name in WATCHED:
        path = preview.root / name
        if path.is_dir():
            observer.schedule(OnChange(), str(path), recursive=True)
    observer.schedule(OnChange(), str(preview.root), recursive=False)
    observer.daemon = True
    observer.start()

    def loop() -> None:
        while True:
            pending.wait()
            time.sleep(SETTLE)  # an editor's save is often several events (a temporary file renamed over the old)
            pending.clear()
            preview.rebuild()  # a save during the build sets `pending` again: one more build follows

    threading.Thread(target=loop, daemon=True).start()
    return observer


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """Host header values that address a server bound to host:port (an IPv6 literal in brackets)."""
    literal = f"[{host}]" if ":" in host else host
    return frozenset({f"{literal}:{port}", f"localhost:{port}"})


def listen(preview: Preview, port: int, host: str = "127.0.0.1") -> http.server.ThreadingHTTPServer:
    """The preview's web server, bound (a taken or impossible port is a UsageError) but not yet serving."""
    handler = type("Handler", (_Handler,), {"preview": preview})
    try:
        server = http.server.ThreadingHTTPServer((host, port), functools.partial(handler, directory=str(preview.out)))
    except (OSError, OverflowError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise UsageError(f"cannot listen on {host}:{port}: {reason}"
                         + (" (another program is using it; choose another --port)"
                            if getattr(exc, "errno", None) == errno.EADDRINUSE else "")) from None
    handler.hosts = allowed_hosts(host, server.server_address[1])
    return server


def serve(root: Path, port: int, host: str = "127.0.0.1", engine: str = DEFAULT_ENGINE) -> int:
    out = root / PREVIEW_DIR
    preview = Preview(root, out, engine)
    server = listen(preview, port, host)  # before the first build, so a taken port is said at once
    print("building the preview...", flush=True)
    try:
        with writing(preview.live.folder):
            clear(preview.live.folder)  # what an earlier preview left there is not known to be current
        preview.rebuild()
        with writing(out):
            out.mkdir(parents=True, exist_ok=True)
    except BaseException:
        server.server_close()
        raise
    _watch(preview)
    print(f"Serving the preview on http://{host}:{server.server_address[1]}/ (staff edition, draft included). "
          "Press Ctrl+C to stop.", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        preview.close()  # ends the event streams of the open pages
        server.server_close()
    return 0
