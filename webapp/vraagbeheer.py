"""The editors' question queue in /beheer: status, the answering page, and a CSV export."""

from __future__ import annotations

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for

from indexer import NotFound
from indexer.questions import CLOSED, ROLES, STATUSES, QuestionError, QuestionStore, UnknownQuestion

from . import deps
from .beheer import check_csrf, csrf_token, editor_required, no_store
from .security import limit

bp = Blueprint("vraagbeheer", __name__)
bp.after_request(no_store)


def _store() -> QuestionStore:
    store = deps.questions()
    if store is None:
        abort(404)
    return store


@bp.get("/beheer/vragen")
@limit("RATE_LIMIT_EDITOR")
@editor_required
def queue():
    """Show every question, open ones first, with what led to it and its status."""
    return _queue()


def _queue(error: QuestionError | None = None, error_ref: str | None = None, status: int = 200):
    questions = _store().questions()
    questions.sort(key=lambda q: q.status in CLOSED)  # stable: newest first within each group
    return render_template(
        "beheer/vragen.html", questions=questions, statuses=STATUSES, roles=ROLES, csrf=csrf_token(),
        error=error, error_ref=error_ref, months=_store().months(),
    ), status


@bp.post("/beheer/vragen/<ref>")
@limit("RATE_LIMIT_EDITOR")
@editor_required
def update(ref: str):
    """Record a question's status and answering page; nothing is sent to the teacher."""
    check_csrf()
    page_id = request.form.get("page_id", "").strip()
    status = request.form.get("status", "")
    try:
        if page_id:
            deps.engine().document(page_id, related=0)
        _store().set_status(ref, status, page_id or None)
    except NotFound:
        return _queue(QuestionError("page_id", f"Er is geen pagina met id ‘{page_id}’."), ref, 400)
    except QuestionError as exc:
        return _queue(exc, ref, 400)
    except UnknownQuestion:
        abort(404)
    return redirect(url_for("vraagbeheer.queue") + f"#vraag-{ref}", 303)


@bp.get("/beheer/vragen.csv")
@limit("RATE_LIMIT_EDITOR")
@editor_required
def export():
    """Return the queue as CSV for the answering team."""
    return Response(_store().to_csv(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=kennisrotonde-vragen.csv"})
