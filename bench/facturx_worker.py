"""One Factur-X measurement, run inside an Odoo shell.

Usage (normally through bench/facturx.py):
    BENCH_N=200 BENCH_REPORT_URL=http://127.0.0.1:PORT \
        odoo-bin shell -c CONFIG -d DATABASE < this file

Sets the main company up as a French Factur-X seller (EUR, SIRET, VAT, 20 %
VAT), creates N posted customer invoices of 3 lines over N/4 customers, then
times, for the same invoices:

- Odoo's plain invoice PDF (``account.account_invoices`` through wkhtmltopdf,
  in Odoo's batches of 80, or one by one with an unpatched-Qt wkhtmltopdf
  such as Debian's; the report assets served by BENCH_REPORT_URL);
- our Factur-X: XML build per invoice, the validation of the whole batch in
  one worker process (XSD + EN 16931 + BR-FR), PDF/A-3 with Ghostscript and
  the XML embedded and checked, per invoice;
- Odoo's own Factur-X XML (``account_edi_ubl_cii``: ``account.edi.xml.cii``)
  for the same invoices, and its verdict through our pipeline (the anchor:
  fatal BR-FR rules on an invoice and on a credit note);
- one invoice through Odoo's real send flow with ``account_edi_ubl_cii``
  installed: its PDF must be our checked PDF/A-3 with ``factur-x.xml`` as the
  only embedded file, and Odoo's CII must not be attached beside it.

Prints one JSON line of figures.
"""

import io
import json
import os
import resource
import time

import pikepdf

from odoo.fields import Command

from odoo.addons.account_facturx_fr.tools import (
    facturx_pdf,
    facturx_validate,
)
from odoo.addons.base.models.ir_actions_report import _wkhtml

N = int(os.environ.get("BENCH_N", "200"))
#: Odoo renders 80 invoices per wkhtmltopdf call (account.pdf_generation_batch);
#: Debian's wkhtmltopdf (unpatched Qt) can only render one document per call.
BATCH = 80 if _wkhtml().is_patched_qt else 1


def setup(env):
    company = env.company
    eur = env.ref("base.EUR")
    eur.active = True
    france = env.ref("base.fr")
    company.write(
        {
            "currency_id": eur.id,
            "country_id": france.id,
            "account_fiscal_country_id": france.id,
            "name": "Facturo Bench SAS",
            "street": "12 rue de la Paix",
            "zip": "75002",
            "city": "Paris",
            "vat": "FR11123456782",
            "company_registry": "12345678200010",
            "tax_calculation_rounding_method": "round_globally",
            "facturx_enabled": True,
        }
    )
    env["ir.config_parameter"].sudo().set_param(
        "report.url", os.environ["BENCH_REPORT_URL"]
    )
    base_tax = env["account.tax"].search(
        [("company_id", "=", company.id), ("type_tax_use", "=", "sale")], limit=1
    )
    group = base_tax.tax_group_id.copy({"country_id": france.id})
    tax = base_tax.copy(
        {
            "name": "TVA 20 % (bench)",
            "amount": 20.0,
            "country_id": france.id,
            "tax_group_id": group.id,
        }
    )
    products = env["product.product"].create(
        [
            {
                "name": f"Service {k}",
                "type": "service",
                "list_price": 10.0 * (k + 1),
                "taxes_id": [Command.set(tax.ids)],
            }
            for k in range(3)
        ]
    )
    partners = env["res.partner"].create(
        [
            {
                "name": f"Client {i} SARL",
                "is_company": True,
                "street": f"{i} avenue Jean Jaurès",
                "zip": "69007",
                "city": "Lyon",
                "country_id": france.id,
                "vat": "FR03552081317",
                "company_registry": "55208131700018",
                "email": f"compta{i}@client.example",
            }
            for i in range(max(N // 4, 1))
        ]
    )
    env.ref("product.decimal_price").digits = 4
    invoices = env["account.move"].create(
        [
            {
                "move_type": "out_invoice",
                "partner_id": partners[i % len(partners)].id,
                "invoice_date": "2026-03-15",
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "quantity": 1 + (i + k) % 5,
                            # 4-decimal prices and percentage discounts, as
                            # French companies write them
                            "price_unit": product.lst_price + 0.0037 * (k + 1),
                            "discount": (i + k) % 3 * 7.5,
                            "tax_ids": [Command.set(tax.ids)],
                        }
                    )
                    for k, product in enumerate(products)
                ],
            }
            for i in range(N)
        ]
    )
    invoices.action_post()
    credit_note = invoices[0]._reverse_moves([{"invoice_date": "2026-03-15"}])
    credit_note.action_post()
    env.cr.commit()
    return invoices, credit_note


def plain_pdfs(env, invoices):
    Report = env["ir.actions.report"].with_context(force_report_rendering=True)
    pdfs = {}
    for start in range(0, len(invoices), BATCH):
        batch = invoices[start : start + BATCH]
        content, report_type = Report._pre_render_qweb_pdf(
            "account.account_invoices", res_ids=batch.ids
        )
        pdfs.update(
            Report._get_splitted_report(
                "account.account_invoices", content, report_type
            )
        )
    return pdfs


def br_fr_rules(report):
    return sorted(f.rule_id for f in report.errors if f.step == "br-fr")


def main(env):
    invoices, credit_note = setup(env)

    started = time.perf_counter()
    pdfs = plain_pdfs(env, invoices)
    plain_s = time.perf_counter() - started

    started = time.perf_counter()
    xmls = [invoice._facturx_xml() for invoice in invoices]
    build_s = time.perf_counter() - started

    started = time.perf_counter()
    reports = facturx_validate.validate_many(xmls)
    validate_s = time.perf_counter() - started
    errors = sum(len(report.errors) for report in reports)

    started = time.perf_counter()
    sizes = []
    for invoice, xml in zip(invoices, xmls, strict=True):
        result = facturx_pdf.make_facturx_pdf(pdfs[invoice.id], xml)
        sizes.append(len(result))
    pdfa_s = time.perf_counter() - started

    Cii = env["account.edi.xml.cii"]
    started = time.perf_counter()
    odoo_xmls = [Cii._export_invoice(invoice)[0] for invoice in invoices]
    odoo_cii_s = time.perf_counter() - started
    odoo_credit_xml = Cii._export_invoice(credit_note)[0]
    anchor_invoice, anchor_credit = facturx_validate.validate_many(
        [odoo_xmls[0], odoo_credit_xml], "en16931"
    )
    ours_credit = facturx_validate.validate(credit_note._facturx_xml())

    # the real send flow with account_edi_ubl_cii installed: only our XML
    sent = invoices[1]
    env["account.move.send"].with_context(
        force_report_rendering=True
    )._generate_and_send_invoices(sent, sending_methods=["manual"])
    issued = sent.invoice_pdf_report_id.raw
    with pikepdf.open(io.BytesIO(issued)) as pdf:
        embedded = sorted(pdf.attachments)
    send_check = facturx_pdf.check_pdf(issued)
    send_report = facturx_validate.validate(send_check.xml)

    facturx_s = build_s + validate_s + pdfa_s
    row = {
        "invoices": len(invoices),
        "wkhtmltopdf_batch": BATCH,
        "plain_pdf_s": round(plain_s, 2),
        "plain_pdf_ms_per_invoice": round(1000 * plain_s / N, 1),
        "xml_build_ms_per_invoice": round(1000 * build_s / N, 2),
        "validation_ms_per_invoice": round(1000 * validate_s / N, 1),
        "pdfa_embed_check_ms_per_invoice": round(1000 * pdfa_s / N, 1),
        "facturx_extra_s": round(facturx_s, 2),
        "facturx_issue_s": round(plain_s + facturx_s, 2),
        "extra_vs_plain": round(facturx_s / plain_s, 2),
        "issue_vs_plain": round((plain_s + facturx_s) / plain_s, 2),
        "our_errors": errors,
        "our_credit_note_errors": len(ours_credit.errors),
        "avg_pdf_kb": round(sum(sizes) / len(sizes) / 1024, 1),
        "odoo_cii_ms_per_invoice": round(1000 * odoo_cii_s / N, 2),
        "odoo_invoice_br_fr_fatal": len(br_fr_rules(anchor_invoice)),
        "odoo_invoice_br_fr_rules": br_fr_rules(anchor_invoice),
        "odoo_credit_note_br_fr_fatal": len(br_fr_rules(anchor_credit)),
        "odoo_credit_note_br_fr_rules": br_fr_rules(anchor_credit),
        "odoo_invoice_other_errors": sorted(
            {f.rule_id for f in anchor_invoice.errors if f.step != "br-fr"}
        ),
        "send_flow_pdf_problems": send_check.problems,
        "send_flow_embedded_files": embedded,
        "send_flow_xml_errors": len(send_report.errors),
        "send_flow_odoo_cii_attached": bool(sent.ubl_cii_xml_id),
        "send_flow_edi_format": sent.partner_id.invoice_edi_format or "",
        "send_flow_archived": len(sent.facturx_archive_ids),
        "peak_rss_mb": round(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
        ),
    }
    print(json.dumps(row), flush=True)


main(env)  # noqa: F821 - the Odoo shell provides env
