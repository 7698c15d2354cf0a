# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64

from lxml import etree

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import file_open

from ..tools import fec_check
from .common import LedgerExportCommon


@tagged("post_install", "-at_install")
class TestExportLanguage(LedgerExportCommon):
    """What a French accountant reads: the company's documents in French,
    years and date formats as people write them, a clear word when there is
    nothing to export."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"].search(
            [("name", "=", "ledger_export")]
        )._load_module_terms(["ledger_export"], ["fr_FR"], overwrite=True)

    def _french_company(self):
        self.env.company.partner_id.lang = "fr_FR"

    def test_fec_documents_in_the_company_language(self):
        """An English-speaking user exports the FEC of a French company: the
        journal summary, the checks and the description are in French."""
        self._french_company()
        self.assertEqual(self.exporter.lang, "en_US")
        export, _action = self._export()
        self.assertEqual(export.state, "done")
        summary = export.journal_summary
        self.assertIn(" écritures, ", summary)
        self.assertNotIn(" entries, ", summary)
        # amounts as French writes them: comma decimals
        self.assertRegex(summary, r"débit [\d\s.]+,\d\d")
        text = base64.b64decode(export.description_attachment_id.datas).decode()
        self.assertIn("Descriptif du fichier des écritures comptables", text)
        self.assertIn("Journaux :", text)
        self.assertIn("du 01/01/2025 au 31/12/2025", text)
        self.assertNotIn("Description of the FEC file", text)

    def test_fec_documents_in_english_for_an_english_company(self):
        self.env.company.partner_id.lang = "en_US"
        export, _action = self._export(user=self._french_exporter())
        self.assertIn(" entries, ", export.journal_summary)
        text = base64.b64decode(export.description_attachment_id.datas).decode()
        self.assertIn("Description of the FEC file", text)

    def _french_exporter(self):
        self.exporter.lang = "fr_FR"
        return self.exporter

    def test_gap_and_finding_texts_follow_the_language(self):
        fec = self.env["ledger.export.fec"].with_context(lang="fr_FR")
        sequence = fec_check.SequenceSummary("VT", "VT/2025/", 4, 1, 9, 6, [(3, 5)])
        self.assertEqual(fec._gap_labels(sequence), ["VT/2025/0003 à VT/2025/0005"])
        finding = fec_check.Finding(fec_check.ERROR, "balance", "x", line=12)
        self.assertEqual(fec._finding_text(finding), "[erreur] balance : ligne 12 : x")
        # the checker's own messages, from their templates
        report = fec_check.check_fec(
            b"JournalCode|JournalLib\r\n", filename="732829320FEC20251231.txt"
        )
        texts = [fec._finding_text(f) for f in report.findings]
        self.assertIn(
            "[erreur] header : ligne 1 : L'en-tête n'est pas formé des 18 noms de "
            "champs du FEC : il manque EcritureNum, EcritureDate, CompteNum, "
            "CompteLib, CompAuxNum, CompAuxLib, PieceRef, PieceDate, EcritureLib, "
            "Debit, Credit, EcritureLet, DateLet, ValidDate, Montantdevise, "
            "Idevise.",
            texts,
        )
        self.assertIn(
            "[erreur] empty-file : Le fichier n'a aucune ligne après l'en-tête.",
            texts,
        )
        english = self.env["ledger.export.fec"].with_context(lang="en_US")
        self.assertEqual(
            [english._finding_text(f) for f in report.findings],
            [str(f) for f in report.findings],
        )

    def _refused(self, expected, wizard=None, **values):
        """The export is refused with ``expected`` in the message, and
        nothing is left of it (the transaction is rolled back)."""
        before = self.env["ledger.export"].sudo().search_count([])
        with self.assertRaises(UserError) as caught:
            if wizard:
                wizard.action_export()
            else:
                self._export(**values)
        self.assertIn(expected, str(caught.exception))
        self.assertEqual(self.env["ledger.export"].sudo().search_count([]), before)

    def test_empty_year_is_refused_with_a_clear_message(self):
        """Nothing posted in the period and nothing carried forward: no
        failed file, a message in the user's language."""
        for fiscal_year in (2019, 2021, 2023):
            for export_format in ("fec", "csv", "ebp", "quadra"):
                self._refused(
                    f"No posted entry in {fiscal_year} for ",
                    fiscal_year=fiscal_year,
                    export_format=export_format,
                )
        wizard = (
            self.env["ledger.export.wizard"]
            .with_user(self._french_exporter())
            .with_context(lang="fr_FR")
            .create({"period_mode": "fiscal_year", "fiscal_year": 2019})
        )
        self._refused("Aucune écriture validée en 2019", wizard=wizard)

    def test_empty_range_and_empty_batch_messages(self):
        self._refused(
            "No posted entry from 03/01/2019 to 03/31/2019 for ",
            period_mode="range",
            date_from="2019-03-01",
            date_to="2019-03-31",
        )
        self._refused(
            "No entry from 03/01/2019 to 03/31/2019 for ",
            period_mode="range",
            date_from="2019-03-01",
            date_to="2019-03-31",
            official=False,
        )
        self._export(export_format="csv", only_not_exported=True)
        self._refused(
            "has been exported already", export_format="csv", only_not_exported=True
        )

    def test_fiscal_year_shown_without_thousands_separator(self):
        """The option the wizard passes is the one Odoo 19's integer field
        reads (``enable_formatting``): 2025, not 2,025."""
        Wizard = self.env["ledger.export.wizard"].with_user(self.exporter)
        arch = Wizard.get_views([(False, "form")])["views"]["form"]["arch"]
        node = etree.fromstring(arch).xpath("//field[@name='fiscal_year']")[0]
        self.assertRegex(node.get("options"), r"^\{'enable_formatting':\s*false\}$")
        with file_open("web/static/src/views/fields/integer/integer_field.js") as js:
            self.assertIn("options?.enable_formatting", js.read())

    def test_date_formats_shown_as_examples(self):
        wizard_field = self.env["ledger.export.wizard"]._fields["csv_date_format"]
        labels = dict(wizard_field._description_selection(self.env))
        self.assertEqual(labels["%d/%m/%Y"], "31/12/2025 (DD/MM/YYYY)")
        self.assertEqual(labels["%Y-%m-%d"], "2025-12-31 (YYYY-MM-DD)")
        french = dict(
            wizard_field._description_selection(self.env(context={"lang": "fr_FR"}))
        )
        self.assertEqual(french["%d/%m/%Y"], "31/12/2025 (JJ/MM/AAAA)")
        export, _action = self._export(export_format="csv", csv_date_format="%Y-%m-%d")
        self.assertEqual(export.csv_date_format_label, "2025-12-31 (YYYY-MM-DD)")
        self.assertEqual(
            export.with_context(lang="fr_FR").csv_date_format_label,
            "2025-12-31 (AAAA-MM-JJ)",
        )
