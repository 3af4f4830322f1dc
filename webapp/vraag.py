"""The question form "Stel je vraag aan de Kennisrotonde" and the questions API.

The form shows the closest existing answers before a question is stored: as the teacher
types (with JavaScript, from /vraag/suggesties) or, without JavaScript, as a step between
"Versturen" and the confirmation. Without a question store (KENNISBANK_QUESTIONS empty)
these routes answer 404.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, g, jsonify, redirect, render_template, request, session, url_for

from indexer import IndexStoreError, InvalidParameter, NotFound, SearchRequest, vocab
from indexer.contract import to_json
from indexer.questions import MAX_LENGTH, MIN_LENGTH, ROLES, TRAIL_LENGTH, QuestionError, QuestionStore, validate
from indexer.search.query import query_from_text

from . import deps
from .beheer import check_csrf, csrf_token, editor_required
from .errors import error_body
from .security import limit, limiter

bp = Blueprint("vraag", __name__)

FIELDS = ("vraag", "sector", "rol", "toelichting", "email")
#: A filled-in honeypot (hidden from people) marks a robot.
HONEYPOT = "website"
#: Suggestions shown: at most this many answers and pages.
SUGGESTIONS = 4


@bp.app_context_processor
def question_form_open():
    return {"vraag_open": deps.questions() is not None}


def _store() -> QuestionStore:
    store = deps.questions()
    if store is None:
        abort(404)
    return store


def _question_limit():
    # Only a question stored (or a robot's attempt) uses up the limit; the step that
    # shows existing answers, and a form sent back with errors, do not.
    return limiter.limit(lambda: current_app.config["RATE_LIMIT_QUESTIONS"],
                         deduct_when=lambda response: g.get("question_attempt", False))


def remember_search(req: SearchRequest) -> None:
    """Keep the session's last searches, so a question sent after them shows what was tried."""
    if not current_app.secret_key or deps.questions() is None or not (req.q or any(req.selected.values())):
        return
    filters = {name: values for name, values in req.selected.items() if values}
    trail = [s for s in session.get("zoekpad", []) if s != {"q": req.q, "filters": filters}]
    session["zoekpad"] = [*trail, {"q": req.q[:200], "filters": filters}][-TRAIL_LENGTH:]


def closest_answers(text: str) -> list:
    """Return the Kennisrotonde answers closest to a question first, then other pages."""
    text = query_from_text(text)
    if not text:
        return []
    engine = deps.engine()
    try:
        answers = engine.search(SearchRequest(q=text, type=["kennisrotonde"], per_page=3)).results
        pages = engine.search(SearchRequest(q=text, per_page=SUGGESTIONS)).results
    except (IndexStoreError, InvalidParameter):
        # Without an index, or for a question the search cannot take, the question can
        # still be asked; it just comes without suggestions.
        return []
    out, seen = [], set()
    for hit in [*answers, *pages]:
        if hit.id not in seen:
            seen.add(hit.id)
            out.append(hit)
    return out[:SUGGESTIONS]


def _form(values: dict, error: QuestionError | None = None, status: int = 200):
    return render_template(
        "pages/vraag.html", values=values, error=error, csrf=csrf_token(), roles=ROLES,
        min_length=MIN_LENGTH, max_length=MAX_LENGTH,
    ), status


@bp.get("/vraag")
@limit("RATE_LIMIT_PAGES")
def form():
    """Show the question form; ?q= carries the search words into the question."""
    _store()
    return _form({"vraag": request.args.get("q", "")[:MAX_LENGTH]})


@bp.post("/vraag")
@_question_limit()
def submit():
    """Check the question; show the closest answers once, then store it and confirm."""
    store = _store()
    check_csrf()
    values = {name: request.form.get(name, "") for name in FIELDS}
    if request.form.get(HONEYPOT):
        g.question_attempt = True
        abort(400, description="Je vraag kon niet worden verstuurd.")
    if "aanpassen" in request.form:
        return _form(values)
    try:
        question = validate(values)
    except QuestionError as exc:
        return _form(values, exc, 400)
    if request.form.get("bevestigd") != "1":
        suggestions = closest_answers(question.vraag)
        if suggestions:
            return render_template("pages/vraag_stap.html", values=values, suggestions=suggestions, csrf=csrf_token())
    g.question_attempt = True
    session["vraag_ref"] = store.submit(question, searches=session.get("zoekpad", []))
    session.pop("zoekpad", None)
    return redirect(url_for("vraag.received"), 303)


@bp.get("/vraag/ontvangen")
def received():
    """Confirm the question with its reference number."""
    _store()
    ref = session.get("vraag_ref")
    if not ref:
        return redirect(url_for("vraag.form"))
    return render_template("pages/vraag_ontvangen.html", ref=ref)


@bp.get("/vraag/suggesties")
@limit("RATE_LIMIT_PAGES")
def suggestions():
    """Return the closest answers to the question typed so far, as a piece of HTML for the form."""
    _store()
    hits = closest_answers(request.args.get("q", ""))
    return render_template("pages/_vraag_suggesties.html", suggestions=hits)


@bp.get("/vraag/gekozen/<path:doc_id>")
@limit("RATE_LIMIT_PAGES")
def chosen(doc_id: str):
    """Count that an existing answer was chosen instead of a question, and show it."""
    store = _store()
    try:
        deps.engine().document(doc_id, related=0)
    except NotFound:
        abort(404)
    store.refer(doc_id)
    return redirect(url_for("pages.pagina", doc_id=doc_id), 303)


@bp.post("/api/vragen")
@_question_limit()
def api_submit():
    """Store a question sent as JSON; answer its reference number."""
    store = _store()
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return jsonify(error_body("invalid_body", "stuur een JSON-object met vraag, sector en rol")), 400
    try:
        question = validate(data)
    except QuestionError as exc:
        allowed = {"sector": list(vocab.SECTORS), "rol": list(ROLES)}.get(exc.field)
        return jsonify(error_body("invalid_field", exc.message, parameter=exc.field, allowed=allowed)), 400
    g.question_attempt = True
    ref = store.submit(question)
    return jsonify({"referentie": ref}), 201


@bp.get("/api/vragen")
@limit("RATE_LIMIT_EDITOR")
@editor_required
def api_queue():
    """Return the question queue, newest first (editor token only)."""
    return jsonify({"vragen": to_json(_store().questions())})
