"""The editors' side: a protected reindex endpoint and the status page /beheer.

Everything here is closed unless an admin token is set (KENNISBANK_ADMIN_TOKEN): without it the routes
answer 404, as if they did not exist. With it, a request carries the token as
``Authorization: Bearer ...`` or logs in once through the form, which sets a session.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
import threading

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from indexer import build_index
from indexer import runs as run_reports
from indexer.fetch import Politeness
from indexer.lock import running_build

from . import deps
from .errors import error_body, wants_json
from .security import limit

bp = Blueprint("beheer", __name__)


def _token() -> str:
    token = deps.settings().admin_token
    if not token:
        abort(404)
    return token


def _session_marker(token: str) -> str:
    # The session holds a digest of the token, not the token: changing the token
    # logs everybody out, and a leaked cookie does not reveal it.
    return hmac.new(token.encode(), b"kennisbank-beheer", hashlib.sha256).hexdigest()


def _bearer_ok(token: str) -> bool:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return False
    return hmac.compare_digest(header[7:].strip().encode(), token.encode())


def _unauthorized():
    body = error_body("unauthorized", "geef een geldig token: Authorization: Bearer ...")
    return jsonify(body), 401, {"WWW-Authenticate": 'Bearer realm="kennisbank"'}


def _session_ok(token: str) -> bool:
    marker = session.get("beheer")
    if not (isinstance(marker, str) and hmac.compare_digest(marker, _session_marker(token))):
        return False
    # The signed cookie alone would outlive a logout; the server must still know the session.
    return deps.sessions().valid(session.get("sid"))


def no_store(response):
    """Forbid every cache to keep a response (editors' pages and answers, also refusals and errors)."""
    # They hold the state of the index and the questions' e-mail addresses: no browser or
    # proxy may keep them, nor show them again with the back button after logout.
    response.headers["Cache-Control"] = "no-store"
    return response


# After-request functions also run for aborted requests, so an error page is covered too.
bp.after_request(no_store)


def editor_required(view):
    """Run the view for an editor only; without a configured token, answer 404.

    The JSON API takes the bearer token only; pages also take the login session (their
    forms carry a CSRF token). A page asked for without either shows the login form;
    a form posted without either is refused.
    """

    @functools.wraps(view)
    def wrapped(**kwargs):
        return no_store(make_response(guarded(**kwargs)))

    def guarded(**kwargs):
        token = _token()
        if _bearer_ok(token):
            return view(**kwargs)
        if wants_json():
            return _unauthorized()
        if _session_ok(token):
            return view(**kwargs)
        if request.method == "GET":
            return render_template("beheer/login.html", csrf=csrf_token()), 200
        abort(401)

    return wrapped


def csrf_token() -> str:
    """Return the session's CSRF token for a form, made on first use."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def check_csrf() -> None:
    """Refuse a posted form whose CSRF token is not the session's."""
    sent = request.form.get("csrf", "")
    if not sent or not hmac.compare_digest(sent, session.get("csrf", "")):
        abort(400, description="Het formulier is verlopen. Laad de pagina opnieuw en probeer het nog eens.")


class ReindexRunning(Exception):
    """A reindex is already running; the message says which."""


# Starting a run and checking for one must not interleave, or two clicks start two runs:
# the lock on the index is only taken once the background thread gets going.
_starting = threading.Lock()
_threads: dict[str, threading.Thread] = {}


def start_reindex(full: bool = False) -> str:
    """Start an incremental (or full) reindex in a background thread and return its run id.

    :raises ReindexRunning: when a reindex of this index is still running.
    """
    app = current_app._get_current_object()
    settings = deps.settings()
    index_dir = settings.index_dir
    with _starting:
        thread = _threads.get(str(index_dir))
        busy = running_build(index_dir)
        if busy or (thread is not None and thread.is_alive()):
            raise ReindexRunning(busy or "er loopt al een herindexering; probeer het opnieuw als die klaar is")
        return _start(app, settings, index_dir, full)


def _start(app, settings, index_dir, full: bool) -> str:
    run_id = run_reports.new_run_id()
    # The report names this process, so a reader can tell when it died before finishing.
    run_reports.save_run(index_dir, run_reports.running_report(run_id, "full" if full else "incremental"))

    def work():
        try:
            build_index(list(settings.sources), index_dir, base_url=settings.base_url, full=full, run_id=run_id,
                        politeness=Politeness.from_settings(settings))
        except Exception as exc:  # the report must say it failed, not stay "running"
            app.logger.exception("reindex %s failed", run_id)
            run_reports.save_run(index_dir, {"run_id": run_id, "state": "failed", "error": str(exc)})

    thread = threading.Thread(target=work, name=f"reindex-{run_id}", daemon=True)
    _threads[str(index_dir)] = thread
    thread.start()
    return run_id


@bp.post("/api/reindex")
@limit("RATE_LIMIT_EDITOR")
@editor_required
def api_reindex():
    """Start a reindex; answer its run id and where to follow it."""
    full = request.args.get("full") in ("1", "true")
    try:
        run_id = start_reindex(full=full)
    except ReindexRunning as exc:
        return jsonify(error_body("conflict", str(exc))), 409
    return jsonify({"run_id": run_id, "state": "running", "url": url_for("beheer.api_reindex_status", run_id=run_id)}), 202


@bp.get("/api/reindex/<run_id>")
@limit("RATE_LIMIT_EDITOR")
@editor_required
def api_reindex_status(run_id: str):
    """Return a reindex run's state and, when it has finished, its report."""
    report = run_reports.load_run(deps.settings().index_dir, run_id)
    if report is None:
        return jsonify(error_body("not_found", f"geen herindexering met id '{run_id}'")), 404
    return jsonify(report)


@bp.get("/beheer")
@limit("RATE_LIMIT_EDITOR")
@editor_required
def status():
    """Show the index status, recent runs and what teachers search for without finding it."""
    return _status_page()


def _status_page(notice: str | None = None, code: int = 200):
    engine = deps.engine()
    recent = run_reports.recent_runs(deps.settings().index_dir, limit=10)
    query_log = deps.query_log()
    queries = query_log.report(since_days=30) if query_log else None
    questions = deps.questions()
    traffic = query_log.traffic(since_days=30) if query_log else None
    return render_template(
        "beheer/status.html", stats=engine.stats(), runs=recent, queries=queries, csrf=csrf_token(),
        synonyms_error=engine.synonyms.error, notice=notice, traffic=traffic,
        index_error=engine.health().error,
        started=run_reports.load_run(deps.settings().index_dir, request.args.get("run", "")),
        months=questions.months() if questions else None,
    ), code


@bp.app_template_filter()
def query_filters(filters: dict) -> list[tuple[str, str]]:
    """Return a logged search's filters as URL parameters: {"sector": ["po"]} -> [("sector", "po")]."""
    pairs = []
    for name, values in sorted(filters.items()):
        for value in values if isinstance(values, list) else [values]:
            pairs.append((name, str(value)))
    return pairs


@bp.post("/beheer/inloggen")
@limit("RATE_LIMIT_LOGIN")
def login():
    token = _token()
    check_csrf()
    if hmac.compare_digest(request.form.get("token", "").encode(), token.encode()):
        deps.sessions().end(session.get("sid"))
        session.clear()
        # Permanent: the cookie expires after the session's lifetime rather than lingering.
        session.permanent = True
        session["beheer"] = _session_marker(token)
        session["sid"] = deps.sessions().start()
        return no_store(redirect(url_for("beheer.status")))
    return no_store(make_response(render_template("beheer/login.html", csrf=csrf_token(), failed=True), 401))


@bp.post("/beheer/uitloggen")
def logout():
    _token()
    check_csrf()
    # Ended on the server, so a copy of the cookie (a shared computer, a proxy log) opens nothing.
    deps.sessions().end(session.get("sid"))
    session.clear()
    return no_store(redirect(url_for("pages.start")))


@bp.post("/beheer/herindexeren")
@limit("RATE_LIMIT_EDITOR")
@editor_required
def reindex_form():
    check_csrf()
    try:
        run_id = start_reindex(full=request.form.get("full") == "1")
    except ReindexRunning as exc:
        return _status_page(notice=f"Niet gestart: {exc}.", code=409)
    return redirect(url_for("beheer.status", run=run_id))
