# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.tests import tagged

from .common import UsageCommon


@tagged("post_install", "-at_install")
class TestUsageAlerts(UsageCommon):
    def setUp(self):
        super().setUp()
        self.contract = self._usage_contract()
        self.line = self.contract.line_ids.filtered("usage_metric_id")
        self.line.usage_alert_threshold = 1000
        self.partner_a.lang = "en_US"

    def _alert_mails(self):
        return self.contract.message_ids.filtered(
            lambda message: "alert threshold" in (message.subject or "")
        )

    def test_email_to_the_customer_once_per_period(self):
        self.line.usage_alert_email = True
        self._send(self.contract, [("2026-03-05T10:00:00", 1200, "a")])
        Contract = self.env["recurring.contract"]
        with freeze_time("2026-03-10"):
            Contract._cron_usage_alerts()
            Contract._cron_usage_alerts()
        mail = self._alert_mails()
        self.assertEqual(len(mail), 1)
        self.assertIn(self.partner_a, mail.partner_ids)
        self.assertIn("1,200", mail.body)
        self.assertIn("1,000", mail.body)
        self.assertIn("API calls", mail.body)
        # the next period is watched again
        self._send(self.contract, [("2026-04-02T10:00:00", 1001, "b")])
        with freeze_time("2026-04-03"):
            Contract._cron_usage_alerts()
        self.assertEqual(len(self._alert_mails()), 2)
        self.assertIn("1,001", self._alert_mails().sorted("id")[-1].body)

    def test_below_the_threshold_or_without_email_nobody_is_mailed(self):
        self._send(self.contract, [("2026-03-05T10:00:00", 1000, "a")])
        Contract = self.env["recurring.contract"]
        with freeze_time("2026-03-10"):
            Contract._cron_usage_alerts()
        self.assertFalse(self._alert_mails())
        self.assertFalse(self.contract.activity_ids)
        self._send(self.contract, [("2026-03-06T10:00:00", 5, "b")])
        with freeze_time("2026-03-10"):
            Contract._cron_usage_alerts()
        # the responsible is told, the customer is not (no email asked)
        self.assertFalse(self._alert_mails())
        self.assertEqual(len(self.contract.activity_ids), 1)

    def test_email_in_the_customer_language(self):
        self.env["res.lang"].sudo()._activate_lang("fr_FR")
        self.env["ir.module.module"].sudo().search(
            [("name", "=", "recurring_usage")]
        )._load_module_terms(["recurring_usage"], ["fr_FR"], overwrite=True)
        self.partner_a.lang = "fr_FR"
        self.line.usage_alert_email = True
        self._send(self.contract, [("2026-03-05T10:00:00", 1200.5, "a")])
        with freeze_time("2026-03-10"):
            self.env["recurring.contract"]._cron_usage_alerts()
        mail = self.contract.message_ids.filtered(
            lambda message: "seuil" in (message.subject or "")
        )
        self.assertEqual(len(mail), 1)
        # the French way: decimal comma, a (narrow) space between thousands
        self.assertRegex(mail.body, r"1(\s|&nbsp;|\u202f|&#8239;)200,5")
        self.assertIn("a dépassé le seuil d'alerte", mail.body)
