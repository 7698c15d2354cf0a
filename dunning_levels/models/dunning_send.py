# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from markupsafe import Markup

from odoo import api, fields, models
from odoo.fields import Command, Domain
from odoo.tools import SQL, format_datetime

from ..tools import failures as failure_tools

_logger = logging.getLogger(__name__)


class DunningSend(models.AbstractModel):
    """Sends the reminders of a dunning run, as ``account.move.send`` sends
    invoices: the run (and its cron) hand a chunk of ``dunning.run.customer``
    records to :meth:`_send_reminders`; this service logs the actions, sends
    the emails, prints the letters, schedules the activities, blocks the
    customers, then creates the chunk's charge invoices in one batch.

    Extensions override the ``_hook_*`` methods below; each says what it
    receives and what it must return.
    """

    _name = "dunning.send"
    _description = "Dunning Sending Service"

    # -------------------------------------------------------------------------
    # CHANNELS
    # -------------------------------------------------------------------------

    @api.model
    def _email_problem(self, recipient):
        """Why ``recipient`` cannot be emailed (a sentence), or None.

        :param recipient: a ``res.partner``
        """
        if not recipient.email_normalized:
            return self.env._(
                "%(recipient)s has no valid email address: a letter is printed "
                "instead.",
                recipient=recipient.display_name,
            )
        if recipient.is_blacklisted:
            return self.env._(
                "%(recipient)s is on the email blacklist: a letter is printed instead.",
                recipient=recipient.display_name,
            )
        return None

    @api.model
    def _planned_channels(self, level, recipient):
        """The channels a message of ``level`` to ``recipient`` goes through,
        and why email falls back to a letter.

        :param level: a ``dunning.level``
        :param recipient: a ``res.partner``
        :returns: ``(channels, notes)``, a list of channel codes and a list of
            sentences
        """
        channels = list(level._channels())
        notes = []
        if "email" in channels:
            problem = self._email_problem(recipient)
            if problem:
                notes.append(problem)
                channels.remove("email")
                if "letter" not in channels:
                    channels.append("letter")
        return channels, notes

    # -------------------------------------------------------------------------
    # HOOKS
    # -------------------------------------------------------------------------

    @api.model
    def _hook_render_emails(self, customers):
        """Subject and body of every email of ``customers``, rendered per
        template in one go (a template is compiled once per batch and language).

        :param customers: ``dunning.run.customer`` records to send
        :returns: ``{customer id: {"subject": str, "body_html": str}}`` for the
            customers reminded by email
        """
        rendered = {}
        default = self.env.ref("dunning_levels.mail_template_dunning_reminder")
        with_email = customers.filtered(
            lambda c: "email" in c.level_id._channels()
            and not self._email_problem(c.recipient_id)
        )
        for template, group in with_email.grouped(
            lambda c: c.level_id.mail_template_id or default
        ).items():
            rendered.update(
                template._generate_template(group.ids, ["subject", "body_html"])
            )
        return rendered

    @api.model
    def _hook_send_email(self, customer, rendered):
        """Queue the reminder email on the customer's chatter.

        :param customer: one ``dunning.run.customer``
        :param rendered: its entry of :meth:`_hook_render_emails` (``subject``,
            ``body_html``), or None to render it now
        :returns: the ``mail.message`` posted
        """
        level = customer.level_id
        if rendered is None:
            rendered = self._hook_render_emails(customer)[customer.id]
        attachments = self.env["ir.attachment"]
        if level.attach_statement:
            attachments = self.env["ir.attachment"].create(
                {
                    "name": self.env._(
                        "Statement %(customer)s %(date)s.pdf",
                        customer=customer.partner_id.name,
                        date=customer.date,
                    ),
                    "raw": self._render_pdf(
                        customer, "dunning_levels.action_report_dunning_statement"
                    ),
                    "mimetype": "application/pdf",
                    "res_model": customer._name,
                    "res_id": customer.id,
                }
            )
        # Queued, not sent inline: the mail queue sends them, and a failure or
        # a bounce comes back through mail.notification (_email_failed).
        partner = customer.partner_id.sudo().with_context(mail_notify_force_send=False)
        return partner.message_post(
            body=rendered["body_html"],
            subject=rendered["subject"],
            partner_ids=customer.recipient_id.ids,
            attachment_ids=attachments.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            email_layout_xmlid="mail.mail_notification_light",
        )

    @api.model
    def _hook_make_letter(self, customer):
        """Print the reminder letter and leave it on the customer's chatter.

        :param customer: one ``dunning.run.customer``
        :returns: the ``ir.attachment`` of the letter
        """
        attachment = self.env["ir.attachment"].create(
            {
                "name": self.env._(
                    "Letter %(customer)s %(date)s.pdf",
                    customer=customer.partner_id.name,
                    date=customer.date,
                ),
                "raw": self._render_pdf(
                    customer, "dunning_levels.action_report_dunning_letter"
                ),
                "mimetype": "application/pdf",
                "res_model": customer._name,
                "res_id": customer.id,
            }
        )
        customer.letter_attachment_id = attachment
        customer.partner_id.sudo().message_post(
            body=self.env._(
                "Dunning letter (%(level)s) to print and post to %(recipient)s.",
                level=customer.level_id.name,
                recipient=customer.recipient_id.display_name,
            ),
            attachment_ids=attachment.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        return attachment

    @api.model
    def _hook_schedule_activity(self, customer):
        """Schedule the level's call (or other activity) on the customer.

        :param customer: one ``dunning.run.customer``
        :returns: the ``mail.activity`` scheduled
        """
        level = customer.level_id
        return customer.partner_id.sudo().activity_schedule(
            activity_type_id=level.activity_type_id.id
            or self.env.ref("mail.mail_activity_data_todo").id,
            date_deadline=customer.date,
            summary=self.env._("Payment reminder: %(level)s", level=level.name),
            note=Markup("<p>%s</p>")
            % self.env._(
                "Net overdue %(amount)s, oldest invoice %(days)s days late.",
                amount=customer.amount_overdue,
                days=customer.days_late,
            ),
            user_id=level.activity_user_id.id
            or customer.partner_id.user_id.id
            or self.env.uid,
        )

    @api.model
    def _hook_block_customer(self, customer):
        """Block the customer at a level that says so.

        :param customer: one ``dunning.run.customer`` whose level blocks
        """
        customer.partner_id.sudo()._dunning_block(customer.level_id)

    @api.model
    def _hook_prepare_charge_lines(self, customer, line, account):
        """The invoice line values charging one late invoice.

        :param customer: the ``dunning.run.customer`` charged
        :param line: its ``dunning.run.line`` (an invoice with a penalty or an
            indemnity not yet charged)
        :param account: the ``account.account`` the charges are booked to
        :returns: a list of ``account.move.line`` values (``name``,
            ``price_unit``, ``account_id``, ``tax_ids``: charges bear no VAT)
        """
        values = []
        if line.penalty:
            values.append(
                {
                    "name": self.env._(
                        "Late-payment penalties on %(invoice)s (%(days)s days late)",
                        invoice=line.name,
                        days=line.days_late,
                    ),
                    "price_unit": line.penalty,
                    "account_id": account.id,
                    "tax_ids": [Command.clear()],
                }
            )
        if line.indemnity:
            values.append(
                {
                    "name": self.env._(
                        "Fixed recovery indemnity on %(invoice)s "
                        "(Code de commerce D441-5)",
                        invoice=line.name,
                    ),
                    "price_unit": line.indemnity,
                    "account_id": account.id,
                    "tax_ids": [Command.clear()],
                }
            )
        return values

    @api.model
    def _hook_prepare_charge_invoice(self, customer, currency, lines, journal):
        """The values of one charge invoice: a customer's penalties and
        indemnities in one currency, as a VAT-free debit invoice.

        :param customer: the ``dunning.run.customer`` charged
        :param currency: the ``res.currency`` of ``lines``
        :param lines: the ``dunning.run.line`` records charged on this invoice
        :param journal: the sale ``account.journal`` of the company
        :returns: ``account.move`` values for ``create()``
        """
        account = customer.policy_id.charge_account_id or journal.default_account_id
        return {
            "move_type": "out_invoice",
            "partner_id": customer.partner_id.id,
            "company_id": customer.company_id.id,
            "journal_id": journal.id,
            "currency_id": currency.id,
            "invoice_date": customer.date,
            "dunning_excluded": True,
            "invoice_origin": customer.run_id.name,
            "invoice_line_ids": [
                Command.create(values)
                for line in lines
                for values in self._hook_prepare_charge_lines(customer, line, account)
            ],
        }

    # -------------------------------------------------------------------------
    # SENDING
    # -------------------------------------------------------------------------

    @api.model
    def _send_reminders(self, customers):
        """Send each customer's message in its own savepoint, mark the
        invoices reminded (one write per level), then issue the charge
        invoices of the chunk in one batch.

        :param customers: ``dunning.run.customer`` records of one run chunk;
            those not ``to_send`` are left alone
        """
        to_send = customers.filtered(lambda c: c.state == "to_send")
        to_send.line_ids.move_id._dunning_ensure_access_tokens()
        rendered = self._hook_render_emails(to_send)
        for customer in to_send:
            try:
                with self.env.cr.savepoint():
                    self._send_one(customer, rendered.get(customer.id))
            except Exception as error:  # one customer never stops a run
                _logger.warning(
                    "Dunning run %s: customer %s failed: %s",
                    customer.run_id.name,
                    customer.partner_id.display_name,
                    error,
                )
                self.env.invalidate_all()
                customer.write(
                    {
                        "state": "error",
                        "error": self.env._(
                            "The reminder could not be sent: %(error)s",
                            error=str(error),
                        ),
                    }
                )
        sent = to_send.filtered(lambda c: c.state == "sent")
        self._mark_invoices(sent)
        self._issue_charges(sent.filtered(lambda c: c.level_id.issue_charges))

    @api.model
    def _send_one(self, customer, rendered=None):
        """Log the actions of one customer and send through each channel."""
        level = customer.level_id
        channels, notes = self._planned_channels(level, customer.recipient_id)
        moves = customer.line_ids.filtered("new_action").move_id
        actions = self.env["dunning.action"].create(
            [
                {
                    "run_customer_id": customer.id,
                    "move_id": move.id,
                    "partner_id": customer.partner_id.id,
                    "company_id": customer.company_id.id,
                    "level_id": level.id,
                    "level_sequence": level.sequence,
                    "channel": channel,
                    "date": customer.date,
                }
                for move in moves
                for channel in channels
            ]
        )
        if "email" in channels:
            message = self._hook_send_email(customer, rendered)
            actions.filtered(lambda a: a.channel == "email").message_id = message
            customer.message_id = message
        if "letter" in channels:
            self._hook_make_letter(customer)
        if "activity" in channels:
            self._hook_schedule_activity(customer)
        if level.block_customer:
            self._hook_block_customer(customer)
        customer.write(
            {
                "state": "sent",
                "channels": ", ".join(channels),
                "error": "\n".join(notes) or False,
            }
        )

    @api.model
    def _render_pdf(self, customer, report_ref):
        report = self.env["ir.actions.report"].with_context(lang=customer._lang())
        content, _type = report._render_qweb_pdf(report_ref, customer.ids)
        return content

    @api.model
    def _mark_invoices(self, customers):
        """Store the level and date of the reminder on the invoices reminded.

        Two columns of our own, written in one query per level: a write on
        ``account.move`` re-synchronises every line of the invoices, which
        would cost more than the whole reminder.
        """
        for (level, date), group in customers.grouped(
            lambda c: (c.level_id, c.date)
        ).items():
            moves = group.line_ids.filtered("new_action").move_id
            if not moves:
                continue
            moves.flush_recordset(["dunning_level_id", "dunning_last_date"])
            self.env.execute_query(
                SQL(
                    "UPDATE account_move SET dunning_level_id = %s, "
                    "dunning_last_date = %s WHERE id IN %s",
                    level.id,
                    date,
                    tuple(moves.ids),
                )
            )
            moves.invalidate_recordset(["dunning_level_id", "dunning_last_date"])

    # -------------------------------------------------------------------------
    # CHARGES
    # -------------------------------------------------------------------------

    @api.model
    def _charged_lines(self, customer):
        """The customer's late invoices with a penalty or an indemnity this
        level claims and no charge invoice yet: each is charged once."""
        return customer.line_ids.filtered(
            lambda line: line.new_action
            and line.kind == "invoice"
            and not line.move_id.dunning_charge_move_id
            and (line.penalty or line.indemnity)
        )

    @api.model
    def _issue_charges(self, customers):
        """The penalties and indemnities claimed from ``customers``, as
        VAT-free debit invoices (one per customer and currency), created and
        posted in one batch. If the batch fails, each customer is retried
        alone and one that still fails is marked in error (its reminder is
        sent, its charges are not).

        :param customers: sent ``dunning.run.customer`` records whose level
            issues charges
        """
        batch = self._prepare_charges(customers)
        if not batch:
            return
        try:
            with self.env.cr.savepoint():
                self._create_charges(batch)
                return
        except Exception:  # retried customer by customer below
            _logger.info("Dunning charges: batch failed, retrying one by one")
            self.env.invalidate_all()
        for customer in dict.fromkeys(item[0] for item in batch):
            items = [item for item in batch if item[0] == customer]
            try:
                with self.env.cr.savepoint():
                    self._create_charges(items)
            except Exception as error:  # one customer never stops a run
                self.env.invalidate_all()
                customer.write(
                    {
                        "state": "error",
                        "error": self.env._(
                            "The reminder was sent but its charges invoice could "
                            "not be created: %(error)s",
                            error=str(error),
                        ),
                    }
                )

    @api.model
    def _prepare_charges(self, customers):
        """``[(customer, currency, lines)]``: one charge invoice each."""
        batch = []
        for customer in customers:
            lines = self._charged_lines(customer)
            for currency, currency_lines in lines.grouped("currency_id").items():
                batch.append((customer, currency, currency_lines))
        return batch

    @api.model
    def _create_charges(self, batch):
        """Create and post the charge invoices of ``batch`` in one ``create()``
        and link them to their customers and to the invoices they charge."""
        journals = {}
        values = []
        for customer, currency, lines in batch:
            company = customer.company_id
            if company not in journals:
                journals[company] = company._get_sale_journal()
            values.append(
                self._hook_prepare_charge_invoice(
                    customer, currency, lines, journals[company]
                )
            )
        invoices = self.env["account.move"].create(values)
        invoices.action_post()
        for invoice, (customer, _currency, lines) in zip(invoices, batch, strict=True):
            lines.move_id.dunning_charge_move_id = invoice
            customer.charge_move_ids = [Command.link(invoice.id)]
        return invoices

    # -------------------------------------------------------------------------
    # BOUNCES
    # -------------------------------------------------------------------------

    @api.model
    def _email_failed(self, customers, reason):
        """A reminder email bounced or failed: the email actions are in
        error, a letter is printed instead (once) and the customer's message
        is in error.

        :param customers: ``dunning.run.customer`` records whose email failed
        :param reason: the failure reason given by the mail queue
        """
        for customer in customers:
            emails = customer.action_ids.filtered(lambda a: a.channel == "email")
            emails.write({"state": "error", "error": reason})
            letters = customer.action_ids.filtered(lambda a: a.channel == "letter")
            if not letters:
                self.env["dunning.action"].create(
                    [
                        {
                            "run_customer_id": customer.id,
                            "move_id": action.move_id.id,
                            "partner_id": action.partner_id.id,
                            "company_id": action.company_id.id,
                            "level_id": action.level_id.id,
                            "level_sequence": action.level_sequence,
                            "channel": "letter",
                            "date": action.date,
                        }
                        for action in emails
                    ]
                )
                self._hook_make_letter(customer)
            customer.write(
                {
                    "state": "error",
                    "error": self.env._(
                        "The email to %(recipient)s failed (%(reason)s): a letter "
                        "is printed instead.",
                        recipient=customer.recipient_id.display_name,
                        reason=reason,
                    ),
                }
            )

    # -------------------------------------------------------------------------
    # FAILURES
    # -------------------------------------------------------------------------

    @api.model
    def _report_failures(self, run, results, customers):
        """After a chunk of a run: a customer that failed gets one message
        and one activity, updated while it keeps failing; a customer the run
        got through closes its open failure.

        :param run: the ``dunning.run``
        :param results: the engine's results of the chunk, by partner id
        :param customers: the chunk's ``dunning.run.customer`` records
        """
        failed = {c.partner_id.id: c for c in customers if c.state == "error"}
        cards = self.env["dunning.customer"].search(
            Domain("company_id", "=", run.company_id.id)
            & Domain("partner_id", "in", list(results))
            & (Domain("partner_id", "in", list(failed)) | Domain("error_count", ">", 0))
        )
        for card in cards:
            customer = failed.get(card.partner_id.id)
            if customer:
                self._hook_report_failure(card, customer.error or customer.summary)
            else:
                self._hook_resolve_failure(card)

    @api.model
    def _hook_report_failure(self, card, error):
        """Report that ``card``'s customer failed again.

        The first failure posts a message on the customer and schedules an
        activity. While the error text stays the same the message is updated
        (how many times, since when); a different text gets a new message.
        The activity is updated either way.

        :param card: the customer's ``dunning.customer``
        :param error: the error text of this run
        """
        previous = None
        if card.error_count:
            previous = failure_tools.Failure(
                error=card.error or "", count=card.error_count, since=card.error_since
            )
        failure, new_message = failure_tools.record_failure(
            previous, error, fields.Datetime.now()
        )
        body = self._failure_body(failure)
        partner = card.partner_id.sudo()
        message = card.error_message_id
        if new_message or not message:
            message = partner.message_post(
                body=body, message_type="comment", subtype_xmlid="mail.mt_note"
            )
        else:
            partner._message_update_content(message, body=body)
        activity = card.error_activity_id
        summary = self.env._("Payment reminder failed")
        if activity:
            activity.sudo().write({"summary": summary, "note": body})
        else:
            activity = partner.activity_schedule(
                "mail.mail_activity_data_warning",
                summary=summary,
                note=body,
                user_id=self._failure_user(card).id,
            )
        card.write(
            {
                "error": failure.error,
                "error_count": failure.count,
                "error_since": failure.since,
                "error_message_id": message.id,
                "error_activity_id": activity.id,
            }
        )

    @api.model
    def _hook_resolve_failure(self, card):
        """Close ``card``'s open failure: the activity is done with a
        "resolved" feedback (or, if someone closed it already, a note says
        so) and the error is cleared.

        :param card: the customer's ``dunning.customer``, with an open failure
        """
        text = self.env._(
            "Resolved: the payment reminders went through after %(count)s failed "
            "attempt(s).",
            count=card.error_count,
        )
        if card.error_activity_id:
            card.error_activity_id.sudo().action_feedback(feedback=text)
        else:
            card.partner_id.sudo().message_post(
                body=text, message_type="comment", subtype_xmlid="mail.mt_note"
            )
        card.write(
            {
                "error": False,
                "error_count": 0,
                "error_since": False,
                "error_message_id": False,
                "error_activity_id": False,
            }
        )

    @api.model
    def _failure_body(self, failure):
        if failure.count == 1:
            return self.env._("Payment reminder failed: %(error)s", error=failure.error)
        return self.env._(
            "Payment reminders failed %(count)s times in a row since %(since)s: "
            "%(error)s",
            count=failure.count,
            since=format_datetime(self.env, failure.since),
            error=failure.error,
        )

    @api.model
    def _failure_user(self, card):
        """Who is told: the customer's salesperson, else a dunning manager
        of the company, else the current user."""
        company = card.company_id
        salesperson = card.partner_id.user_id
        if (
            salesperson.active
            and not salesperson.share
            and (company in salesperson.company_ids)
        ):
            return salesperson
        managers = (
            self.env.ref("dunning_levels.group_dunning_manager")
            .sudo()
            .all_user_ids.filtered(
                lambda user: user.active and company in user.company_ids
            )
        )
        return managers[:1] or self.env.user
