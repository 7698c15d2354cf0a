# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import format_datetime

from ..tools import failures as failure_tools


class RecurringCronFailure(models.AbstractModel):
    """Reports a contract failing in a daily cron once (readme/USAGE.md).

    The first failure posts a note on the contract and schedules an activity
    for its responsible. While the contract keeps failing with the same
    error, that note is updated (how many times in a row, since when) and so
    is the activity; an error whose text changed gets a new note. The next
    success of the same cron marks the activity done with a "resolved"
    feedback. The state is kept on the contract (``invoicing_error*``).

    A failure has a source, the cron that failed (``invoicing`` or
    ``revision``): a success of the invoicing does not close a failure of
    the price revision, which would otherwise open again the next day.
    """

    _name = "recurring.cron.failure"
    _description = "Cron Failures Reported Once"

    # -------------------------------------------------------------------------
    # ENTRY POINTS
    # -------------------------------------------------------------------------

    @api.model
    def _record(self, contract, error, source):
        """One more failure of ``contract``.

        :param contract: one ``recurring.contract``
        :param error: the exception (or text) of the failure
        :param source: ``invoicing`` or ``revision``
        """
        previous = None
        if contract.invoicing_error_count:
            previous = failure_tools.Failure(
                error=contract.invoicing_error or "",
                count=contract.invoicing_error_count,
                since=contract.invoicing_error_since,
            )
        failure, new_message = failure_tools.record_failure(
            previous, error, fields.Datetime.now()
        )
        body = self._hook_failure_body(failure, source)
        message = contract.invoicing_error_message_id
        if new_message or not message:
            message = contract.message_post(
                body=body, message_type="comment", subtype_xmlid="mail.mt_note"
            )
        else:
            contract._message_update_content(message, body=body)
        activity = contract.invoicing_error_activity_id
        summary = self._summary(source)
        if activity:
            activity.write({"summary": summary, "note": body})
        else:
            activity = contract.activity_schedule(
                "mail.mail_activity_data_warning",
                summary=summary,
                note=body,
                user_id=self._hook_failure_user(contract).id,
            )
        contract.write(
            {
                "invoicing_error": failure.error,
                "invoicing_error_source": source,
                "invoicing_error_count": failure.count,
                "invoicing_error_since": failure.since,
                "invoicing_error_message_id": message.id,
                "invoicing_error_activity_id": activity.id,
            }
        )

    @api.model
    def _resolve(self, contracts, source):
        """Close the open failure of ``source`` of each of ``contracts``: its
        activity is done with a "resolved" feedback (or, if someone closed it
        already, a note says so) and the error is cleared.

        :param contracts: ``recurring.contract`` records that succeeded
        :param source: ``invoicing`` or ``revision``
        """
        failing = contracts.filtered(
            lambda c: c.invoicing_error_source == source
            or (c.invoicing_error and not c.invoicing_error_source)
        )
        for contract in failing:
            text = self._resolved_text(contract, source)
            activity = contract.invoicing_error_activity_id
            if activity:
                activity.action_feedback(feedback=text)
            else:
                contract.message_post(
                    body=text, message_type="comment", subtype_xmlid="mail.mt_note"
                )
        failing.write(
            {
                "invoicing_error": False,
                "invoicing_error_source": False,
                "invoicing_error_count": 0,
                "invoicing_error_since": False,
                "invoicing_error_message_id": False,
                "invoicing_error_activity_id": False,
            }
        )

    # -------------------------------------------------------------------------
    # HOOKS
    # -------------------------------------------------------------------------

    @api.model
    def _hook_failure_body(self, failure, source):
        """The text of the note and of the activity.

        :param failure: the open ``tools.failures.Failure`` (``error``,
            ``count``, ``since``)
        :param source: ``invoicing`` or ``revision``
        :returns: a translated sentence
        """
        since = format_datetime(self.env, failure.since)
        if source == "revision":
            if failure.count == 1:
                return self.env._(
                    "Price revision failed: %(error)s", error=failure.error
                )
            return self.env._(
                "Price revision failed %(count)s times in a row since %(since)s: "
                "%(error)s",
                count=failure.count,
                since=since,
                error=failure.error,
            )
        if failure.count == 1:
            return self.env._("Invoicing failed: %(error)s", error=failure.error)
        return self.env._(
            "Invoicing failed %(count)s times in a row since %(since)s: %(error)s",
            count=failure.count,
            since=since,
            error=failure.error,
        )

    @api.model
    def _hook_failure_user(self, contract):
        """Who is told: the contract's responsible, else a billing manager of
        its company, else the current user.

        :param contract: the failing ``recurring.contract``
        :returns: one ``res.users``
        """
        if contract.user_id.active and not contract.user_id.share:
            return contract.user_id
        managers = (
            self.env.ref("recurring_billing.group_billing_manager")
            .sudo()
            .all_user_ids.filtered(
                lambda user: user.active and contract.company_id in user.company_ids
            )
        )
        return managers[:1] or self.env.user

    # -------------------------------------------------------------------------
    # TEXTS
    # -------------------------------------------------------------------------

    @api.model
    def _summary(self, source):
        if source == "revision":
            return self.env._("Price revision failed")
        return self.env._("Invoicing failed")

    @api.model
    def _resolved_text(self, contract, source):
        if source == "revision":
            return self.env._(
                "Resolved: the price revision succeeded after %(count)s failed "
                "attempt(s).",
                count=contract.invoicing_error_count or 1,
            )
        return self.env._(
            "Resolved: invoicing succeeded after %(count)s failed attempt(s).",
            count=contract.invoicing_error_count or 1,
        )
