"""One measurement of the automatic collection, run inside an Odoo shell.

Usage (normally through bench/collection.py):
    BENCH_N=1000 odoo-bin shell -c CONFIG -d DATABASE < this file

Creates N customers, each with a demo payment token that pays ("done"), and
one posted invoice each carrying the token (posting schedules attempt 1),
commits, then runs the collection cron once: N transactions charged with the
demo provider, N payments created, posted and reconciled, committed in
batches. Prints one JSON line of figures.
"""

import json
import os
import resource
import time
from datetime import date

from odoo import sql_db
from odoo.fields import Command

DAY = date.today()
N = int(os.environ.get("BENCH_N", "1000"))
CHUNK = 500


def queries():
    return sql_db.sql_counter


env = env  # noqa: F821 (given by odoo-bin shell)
company = env.company
pm_demo = env.ref("payment_demo.payment_method_demo")
journal = env["account.journal"].search(
    [("type", "=", "bank"), ("company_id", "=", company.id)], limit=1
)
provider = env["payment.provider"].create(
    {
        "name": "Bench demo",
        "code": "demo",
        "state": "test",
        "company_id": company.id,
        "payment_method_ids": [Command.set(pm_demo.ids)],
        "journal_id": journal.id,
    }
)
started = time.monotonic()
moves = env["account.move"]
for start in range(0, N, CHUNK):
    size = min(CHUNK, N - start)
    partners = env["res.partner"].create(
        [{"name": f"Payer {start + i}"} for i in range(size)]
    )
    tokens = env["payment.token"].create(
        [
            {
                "provider_id": provider.id,
                "payment_method_id": pm_demo.id,
                "partner_id": partner.id,
                "provider_ref": f"bench-{partner.id}",
                "payment_details": "4242",
                "demo_simulated_state": "done",
            }
            for partner in partners
        ]
    )
    chunk = env["account.move"].create(
        [
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": DAY,
                "payment_token_id": token.id,
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Subscription", "quantity": 1, "price_unit": 120.0}
                    )
                ],
            }
            for partner, token in zip(partners, tokens, strict=True)
        ]
    )
    chunk.action_post()
    env.cr.commit()
    moves |= chunk
    env.invalidate_all()
setup_seconds = time.monotonic() - started
attempts = env["recurring.payment.attempt"].search([("move_id", "in", moves.ids)])
assert len(attempts) == N, len(attempts)
env.cr.commit()
env.invalidate_all()

q0 = queries()
t0 = time.monotonic()
env["recurring.payment.attempt"]._cron_collect()
seconds = time.monotonic() - t0
spent = queries() - q0
env.cr.commit()
env.invalidate_all()
paid = env["account.move"].search_count(
    [("id", "in", moves.ids), ("payment_state", "in", ("paid", "in_payment"))]
)
done = env["recurring.payment.attempt"].search_count(
    [("move_id", "in", moves.ids), ("state", "=", "done")]
)
print(
    json.dumps(
        {
            "invoices": N,
            "setup_s": round(setup_seconds, 1),
            "seconds": round(seconds, 2),
            "invoices_per_s": round(N / seconds, 1),
            "queries": spent,
            "queries_per_invoice": round(spent / N, 1),
            "paid": paid,
            "attempts_done": done,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        }
    )
)
