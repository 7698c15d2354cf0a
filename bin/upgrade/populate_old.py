"""Run in an ``odoo-bin shell`` of the layout before the split (fa67c21).

Sets the company up as a French Factur-X seller with its late-payment terms,
issues and archives invoices and a credit note, then prints one JSON line of
what an upgrade must keep (read by bin/upgrade_check.py).
"""

import json
import os

from odoo.fields import Command


def setup(env):
    company = env.company
    eur = env.ref("base.EUR")
    eur.active = True
    france = env.ref("base.fr")
    env["dunning.rate"].create(
        {
            "date_start": "2026-07-01",
            "ecb_rate": 2.0,
            "legal_rate": 2.9,
            "source": "entered by the upgrade check",
        }
    )
    company.write(
        {
            "currency_id": eur.id,
            "country_id": france.id,
            "account_fiscal_country_id": france.id,
            "name": "Facturo Upgrade SAS",
            "street": "12 rue de la Paix",
            "zip": "75002",
            "city": "Paris",
            "vat": "FR11123456782",
            "company_registry": "12345678200010",
            "email": "factures@upgrade.example",
            "tax_calculation_rounding_method": "round_globally",
            "facturx_enabled": True,
            "facturx_vat_on_debits": True,
            "late_payment_rate_type": "contract",
            "late_payment_rate": 9.0,
            "late_payment_indemnity": 40.0,
            "early_payment_discount_terms": "1 % pour paiement sous 8 jours",
        }
    )
    params = env["ir.config_parameter"].sudo()
    params.set_param("report.url", os.environ["UPGRADE_REPORT_URL"])
    # one invoice per wkhtmltopdf call (Debian's wkhtmltopdf cannot do more)
    params.set_param("account.pdf_generation_batch", "0")
    base_tax = env["account.tax"].search(
        [("company_id", "=", company.id), ("type_tax_use", "=", "sale")], limit=1
    )
    group = base_tax.tax_group_id.copy({"country_id": france.id})
    tax = base_tax.copy(
        {
            "name": "TVA 20 % (upgrade)",
            "amount": 20.0,
            "country_id": france.id,
            "tax_group_id": group.id,
        }
    )
    product = env["product.product"].create(
        {
            "name": "Abonnement",
            "type": "service",
            "list_price": 100.0,
            "taxes_id": [Command.set(tax.ids)],
        }
    )
    customer = env["res.partner"].create(
        {
            "name": "Client Exemple SARL",
            "is_company": True,
            "street": "5 avenue Jean Jaurès",
            "zip": "69007",
            "city": "Lyon",
            "country_id": france.id,
            "vat": "FR03552081317",
            "company_registry": "55208131700018",
            "email": "compta@client.example",
        }
    )
    return tax, product, customer


def issue(env, tax, product, customer):
    invoices = env["account.move"].create(
        [
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "invoice_date": f"2026-0{month}-28",
                "buyer_reference": f"SERVICE-{month}",
                "purchase_order_ref": f"PO-2026-{month}",
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "quantity": month,
                            "price_unit": 100.0,
                            "tax_ids": [Command.set(tax.ids)],
                            "service_start_date": f"2026-0{month}-01",
                            "service_end_date": f"2026-0{month}-28",
                        }
                    )
                ],
            }
            for month in (1, 2, 3)
        ]
    )
    invoices.action_post()
    credit_note = invoices[0]._reverse_moves([{"invoice_date": "2026-03-30"}])
    credit_note.action_post()
    moves = invoices + credit_note
    # the server that serves wkhtmltopdf its assets must see the data
    env.cr.commit()
    env["account.move.send"].with_context(
        force_report_rendering=True
    )._generate_and_send_invoices(moves, sending_methods=["manual"])
    return moves


def preview_dunning(env):
    """A dunning run left previewed: its state is renamed by the upgrade."""
    run = env["dunning.run"].create({"date": "2026-04-01"})
    run.action_preview()
    return run


def snapshot(env, moves, dunning_run):
    company = env.company
    archive = env["facturx.archive"].sudo().search([], order="id")
    integrity = archive._check_integrity()
    return {
        "company_id": company.id,
        "settings": {
            "late_payment_rate_type": company.late_payment_rate_type,
            "late_payment_rate": company.late_payment_rate,
            "late_payment_indemnity": company.late_payment_indemnity,
            "early_payment_discount_terms": company.early_payment_discount_terms,
            "vat_on_debits": company.facturx_vat_on_debits,
            "facturx_enabled": company.facturx_enabled,
        },
        "rates": [
            [str(r.date_start), r.ecb_rate, r.legal_rate, r.source or ""]
            for r in env["dunning.rate"].search([], order="date_start")
        ],
        "moves": [
            {
                "id": move.id,
                "name": move.name,
                "buyer_reference": move.buyer_reference or "",
                "purchase_order_reference": move.purchase_order_ref or "",
                "lines": [
                    [line.id, str(line.service_start_date), str(line.service_end_date)]
                    for line in move.invoice_line_ids
                    if line.service_start_date
                ],
            }
            for move in moves
        ],
        "archive": [
            {
                "id": entry.id,
                "move_id": entry.move_id.id,
                "sequence": entry.sequence,
                "entry_hash": entry.entry_hash,
                "pdf_sha256": entry.pdf_sha256,
                "xml_sha256": entry.xml_sha256,
            }
            for entry in archive
        ],
        "chains": [
            [result["chain"], result["entries"], bool(result["break"])]
            for result in integrity
        ],
        "cron_id": env.ref("consolidated_invoice.ir_cron_facturx_archive_integrity").id,
        "dunning_run": [dunning_run.id, dunning_run.state],
    }


def main(env):
    tax, product, customer = setup(env)
    moves = issue(env, tax, product, customer)
    dunning_run = preview_dunning(env)
    env.cr.commit()
    print(json.dumps(snapshot(env, moves, dunning_run)), flush=True)


main(env)  # noqa: F821 - the Odoo shell provides env
