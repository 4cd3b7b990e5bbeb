"""`serve`: a live preview for editors. Builds the sites, serves them on localhost, rebuilds when the plan,
the content, the theme or mkdocs.yml change, and shows validation problems on every page instead of stopping.

Published versions come from the build cache, so a rebuild after an edit costs about one draft build. The preview
makes no progress reports or trackers (they are the slowest part of a version): its downloads pages say the full
build makes them.
"""

from __future__ import annotations

import errno
import functools
import html
import http.server
import json
import threading
import time
from pathlib import Path

from .diagnostics import Diagnostic, Severity, has_errors
from .errors import GeneratorError, UsageError, writing

WATCHED = ["plan.yaml", "mkdocs.yml", "plan", "content", "docs_theme"]
PREVIEW_DIR = ".cache/preview"
_RELOAD = """<script>(function(){var seen=null;setInterval(function(){fetch("/__preview_state").then(function(r){
return r.json()}).then(function(s){if(seen!==null&&s.build!==seen){location.reload()}seen=s.build}).catch(function(){})},1000)})();
</script>"""


class Preview:
    """The state shared by the builder and the web server: the last build's number and its problems."""

    def __init__(self, root: Path, out: Path) -> None:
        self.root, self.out = root, out
        self.build_no = 0
        self.problems: list[Diagnostic] = []
        self.lock = threading.Lock()

    def rebuild(self) -> None:
        from .build import build_sites

        started = time.perf_counter()
        try:
            with writing(self.out):
                diags, stats = build_sites(self.root, self.out, reports=False)  # reports: the full build's
        except GeneratorError as exc:  # a broken theme or mkdocs.yml must not stop the preview
            diags, stats = exc.diagnostics or [Diagnostic("mkdocs.yml", 1, 1, "BUILD", f"the build failed: {exc.message}")], {}
        with self.lock:
            self.problems = [d for d in diags if d.severity is Severity.error] if has_errors(diags) else []
            self.build_no += 1
        if self.problems:
            print(f"\n{len(self.problems)} problem(s); the preview shows the last good build:", flush=True)
            for d in self.problems:
                print(d.text(), flush=True)
        else:
            print(f"rebuilt in {time.perf_counter() - started:.1f}s ({stats.get('built', 0)} rendered, "
                  f"{stats.get('cached', 0) + stats.get('kept', 0)} unchanged)", flush=True)

    def banner(self) -> str:
        with self.lock:
            problems = list(self.problems)
        if not problems:
            return ""
        items = "".join(f"<li><code>{html.escape(d.file)}:{d.line}:{d.col}</code> {html.escape(d.code)}: "
                        f"{html.escape(d.message)}</li>" for d in problems[:50])
        return ('<div role="alert" style="background:#a4161a;color:#fff;padding:1em 2em;font:16px sans-serif">'
                f"<strong>The plan has {len(problems)} problem(s); this page shows the last good build.</strong>"
                f'<ul style="margin:.5em 0 0">{items}</ul></div>')


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

    def do_GET(self) -> None:  # noqa: N802
        if self._foreign_host():
            return None
        if self.path == "/__preview_state":
            body = json.dumps({"build": self.preview.build_no, "problems": len(self.preview.problems)}).encode()
            return self._send(body, "application/json")
        if self.path in ("", "/"):
            self.send_response(302)
            self.send_header("Location", "/staff/draft/")
            self.end_headers()
            return None
        target = Path(self.translate_path(self.path))
        if target.is_dir():
            target = target / "index.html"
        if target.suffix == ".html" and target.is_file():
            page = target.read_text(encoding="utf-8")
            page = page.replace("</body>", f"{_RELOAD}</body>", 1)
            banner = self.preview.banner()
            if banner and "<body" in page:
                at = page.index(">", page.index("<body")) + 1
                page = page[:at] + banner + page[at:]
            return self._send(page.encode(), "text/html; charset=utf-8")
        banner = self.preview.banner()
        if banner and not target.exists():  # nothing built yet: show the problems instead of a 404
            page = f'<!doctype html><html lang="en"><head><title>Plan problems</title></head><body>{banner}{_RELOAD}</body></html>'
            return self._send(page.encode(), "text/html; charset=utf-8")
        return super().do_GET()

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
            path = Path(str(event.src_path))
            if ".cache" not in path.parts and not path.name.startswith((".", "~")) and path.suffix != ".swp":
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
            time.sleep(0.3)  # let an editor finish saving several files
            pending.clear()
            preview.rebuild()

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


def serve(root: Path, port: int, host: str = "127.0.0.1") -> int:
    out = root / PREVIEW_DIR
    preview = Preview(root, out)
    server = listen(preview, port, host)  # before the first build, so a taken port is said at once
    print("building the preview...", flush=True)
    try:
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
        server.server_close()
    return 0

