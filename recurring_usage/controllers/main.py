# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from http import HTTPStatus

from odoo import http
from odoo.http import request


class UsageEventController(http.Controller):
    """``POST /usage/events`` with ``Authorization: Bearer <API key>`` and
    ``{"source": "...", "events": [...]}``: one transaction per batch, stored
    whole or not at all. 200 with the report when stored; 403 when an event
    names a contract of a company the key's user may not bill; 422 when a row
    is invalid or conflicts (nothing stored). Without a valid key Odoo answers
    401 before this code runs."""

    @http.route(
        "/usage/events",
        type="json2",
        auth="bearer",
        methods=["POST"],
        save_session=False,
    )
    def usage_events(self, events=None, source="api", **_kwargs):
        report = request.env["usage.event"].ingest_batch(events or [], source=source)
        if any(row["code"] == "foreign_company" for row in report["errors"]):
            status = HTTPStatus.FORBIDDEN
        elif not report["stored"]:
            status = HTTPStatus.UNPROCESSABLE_ENTITY
        else:
            status = HTTPStatus.OK
        return request.make_json_response(report, status=int(status))
