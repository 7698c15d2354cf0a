"""One measurement of the SEPA direct debit collection, run in an Odoo shell.

Usage (normally through bench/collection_sepa.py):
    BENCH_N=1000 odoo-bin shell -c CONFIG -d DATABASE < this file

Sets the company up for SEPA direct debit (euros, creditor identifier, bank
journal, payment mode; pre-notification lead time 0 so that the debits are
due today), creates N customers, each with a bank account, a valid mandate
and one posted invoice carrying it (posting schedules its debit), commits,
then measures: the cron putting the due debits on one payment order; the
order confirmed (N payments); its pain.008 generated and validated against
the XSD by OCA; the order marked uploaded (payments posted and reconciled),
unless BENCH_UPLOAD=0.
Prints one JSON line of figures.
"""

import base64
import json
import os
import resource
import time
from datetime import date

from odoo import sql_db
from odoo.fields import Command

DAY = date.today()
N = int(os.environ.get("BENCH_N", "1000"))
# BENCH_UPLOAD=0: stop after the file (times the pain.008 of a large order)
UPLOAD = os.environ.get("BENCH_UPLOAD", "1") != "0"
CHUNK = 500


def queries():
    return sql_db.sql_counter


def iban_fr(number):
    """A valid French IBAN for the account number ``number``."""
    bban = f"3000600001{number:011d}00"
    digits = "".join(str(int(c, 36)) for c in bban + "FR00")
    return f"FR{98 - int(digits) % 97:02d}{bban}"


def timed(step):
    q0, t0 = queries(), time.monotonic()
    result = step()
    env.cr.commit()
    env.invalidate_all()
    return result, round(time.monotonic() - t0, 2), queries() - q0


env = env  # noqa: F821 (given by odoo-bin shell)
company = env.company
eur = env.ref("base.EUR")
eur.active = True
company.write(
    {
        "currency_id": eur.id,
        "sepa_creditor_identifier": "FR78ZZZ424242",
        "recurring_payment_notice_days": 0,
    }
)
bank = env["res.bank"].create({"name": "Banque", "bic": "AGRIFRPPXXX"})
sdd = env.ref("account_banking_sepa_direct_debit.sepa_direct_debit")
journal = env["account.journal"].search(
    [("type", "=", "bank"), ("company_id", "=", company.id)], limit=1
)
journal.write(
    {
        "bank_account_id": env["res.partner.bank"]
        .create(
            {
                "acc_number": iban_fr(99999999999),
                "bank_id": bank.id,
                "partner_id": company.partner_id.id,
                "company_id": company.id,
            }
        )
        .id,
        "inbound_payment_method_line_ids": [
            Command.create({"payment_method_id": sdd.id})
        ],
    }
)
mode = env["account.payment.mode"].create(
    {
        "name": "SEPA direct debit",
        "company_id": company.id,
        "payment_method_id": sdd.id,
        "bank_account_link": "fixed",
        "fixed_journal_id": journal.id,
    }
)
env.cr.commit()

started = time.monotonic()
moves = env["account.move"]
for start in range(0, N, CHUNK):
    size = min(CHUNK, N - start)
    partners = env["res.partner"].create(
        [{"name": f"Payer {start + i}"} for i in range(size)]
    )
    accounts = env["res.partner.bank"].create(
        [
            {
                "acc_number": iban_fr(start + i),
                "bank_id": bank.id,
                "partner_id": partner.id,
                "company_id": company.id,
            }
            for i, partner in enumerate(partners)
        ]
    )
    mandates = env["account.banking.mandate"].create(
        [
            {
                "format": "sepa",
                "type": "recurrent",
                "recurrent_sequence_type": "recurring",
                "signature_date": DAY,
                "partner_bank_id": account.id,
                "company_id": company.id,
                "state": "valid",
                "unique_mandate_reference": f"UMR-BENCH-{start + i}",
            }
            for i, account in enumerate(accounts)
        ]
    )
    chunk = env["account.move"].create(
        [
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": DAY,
                "currency_id": eur.id,
                "payment_mode_id": mode.id,
                "mandate_id": mandate.id,
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Subscription", "quantity": 1, "price_unit": 120.0}
                    )
                ],
            }
            for partner, mandate in zip(partners, mandates, strict=True)
        ]
    )
    chunk.action_post()
    env.cr.commit()
    moves |= chunk
    env.invalidate_all()
setup_seconds = time.monotonic() - started
Attempt = env["recurring.payment.attempt"]
assert Attempt.search_count([("move_id", "in", moves.ids)]) == N
env.cr.commit()
env.invalidate_all()

_, order_s, order_q = timed(lambda: Attempt._cron_sepa_collect())
order = Attempt.search([("move_id", "in", moves.ids)]).payment_order_id
assert len(order) == 1 and len(order.payment_line_ids) == N, order
_, confirm_s, confirm_q = timed(order.draft2open)
action, file_s, file_q = timed(order.open2generated)
size = len(base64.b64decode(env["ir.attachment"].browse(action["res_id"]).datas))
upload_s, upload_q = 0.0, 0
if UPLOAD:
    _, upload_s, upload_q = timed(order.generated2uploaded)

spent = order_q + confirm_q + file_q + upload_q
paid = env["account.move"].search_count(
    [("id", "in", moves.ids), ("collection_state", "=", "paid")]
)
print(
    json.dumps(
        {
            "invoices": N,
            "setup_s": round(setup_seconds, 1),
            "order_s": order_s,
            "order_queries": order_q,
            "confirm_s": confirm_s,
            "confirm_queries": confirm_q,
            "file_s": file_s,
            "file_queries": file_q,
            "upload_s": upload_s,
            "upload_queries": upload_q,
            "seconds": round(order_s + confirm_s + file_s + upload_s, 2),
            "queries_per_invoice": round(spent / N, 1),
            "file_kb": size // 1024,
            "paid": paid,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        }
    )
)
