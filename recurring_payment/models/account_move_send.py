# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup

from odoo import api, models


class AccountMoveSend(models.AbstractModel):
    """Pre-notification: the invoice email states the automatic payment
    (amount, date, method) whatever its template, for the send wizard, the
    batch sending and bill runs alike (they all take the default body)."""

    _inherit = "account.move.send"

    @api.model
    def _get_default_mail_body(self, move, mail_template, mail_lang):
        body = super()._get_default_mail_body(move, mail_template, mail_lang)
        if mail_lang:
            move = move.with_context(lang=mail_lang)
        notice = move._collection_notice()
        if not notice:
            return body
        return _with_notice(body or Markup(), notice)


def _with_notice(body, notice):
    """``body`` with the notice as its last paragraph: inside the template's
    outer ``<div>`` when it has one, else after it."""
    paragraph = Markup('<p id="collection_notice" style="margin: 16px 0 0 0;">%s</p>')
    # the notice escaped once, then plain str operations: Markup's would
    # escape the body's own tags
    paragraph = str(paragraph % notice)
    html = str(body).rstrip()
    if html.endswith("</div>"):
        html = html[: -len("</div>")] + paragraph + "</div>"
    else:
        html += paragraph
    # the template's own HTML and the escaped notice
    return Markup(html)
