"""One measurement of a dunning run, run inside an Odoo shell.

Usage (normally through bench/dunning_run.py):
    BENCH_N=1000 BENCH_ENGINE=ours odoo-bin shell -c CONFIG -d DATABASE < this file

Creates N customers with 5 posted invoices each, 1 to 100 days overdue on
15 June 2026 (one invoice is created and posted through the ORM, the others
are copies of its rows made in SQL, so every move stays balanced with its
residual), commits, then runs ENGINE on that date:

- "ours": dunning_levels, a three-level policy (5, 20, 45 days; penalties
  and the 40 € indemnity from level 2), email only, no PDF attached; the
  Preview, then the Run (evaluated again, one email queued per customer,
  actions logged, kanban refreshed);
- "oca": OCA account_credit_control, the same three levels by email; its
  credit-line generation (``generate_credit_lines``).

Prints one JSON line of figures.
"""

import json
import os
import resource
import time
from datetime import date, timedelta

from odoo import sql_db
from odoo.fields import Command
from odoo.tools import SQL

RUN_DATE = date(2026, 6, 15)
INVOICES_PER_CUSTOMER = 5


def queries():
    return sql_db.sql_counter


def columns(cr, table):
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = %s AND column_name != 'id' ORDER BY ordinal_position",
        [table],
    )
    return [row[0] for row in cr.fetchall()]


def create_invoices(env, n):
    """N customers, 5 invoices each; returns the number of invoices."""
    partners = env["res.partner"].create(
        [
            {"name": f"Bench customer {i}", "email": f"customer{i}@example.com"}
            for i in range(n)
        ]
    )
    template = env["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": partners[0].id,
            "invoice_date": RUN_DATE - timedelta(days=40),
            "invoice_date_due": RUN_DATE - timedelta(days=10),
            "invoice_line_ids": [
                Command.create(
                    {
                        "name": "Service",
                        "quantity": 1,
                        "price_unit": 100.0,
                        "tax_ids": [],
                    }
                )
            ],
        }
    )
    template.action_post()
    env.flush_all()
    cr = env.cr
    total = n * INVOICES_PER_CUSTOMER - 1
    cr.execute("CREATE TEMP TABLE bench_partner (k int, partner_id int)")
    cr.execute(
        "INSERT INTO bench_partner SELECT row_number() OVER (ORDER BY id) - 1, id "
        "FROM res_partner WHERE id = ANY(%s)",
        [partners.ids],
    )
    # g = 1..total; customer g % n; 1 to 100 days late.
    overrides = {
        "name": SQL("'BNCH/' || g"),
        "payment_reference": SQL("'BNCH/' || g"),
        "sequence_prefix": SQL("'BNCH/'"),
        "sequence_number": SQL("g"),
        "partner_id": SQL("p.partner_id"),
        "commercial_partner_id": SQL("p.partner_id"),
        "invoice_date_due": SQL("%s::date - ((g * 13) %% 100 + 1)", RUN_DATE),
        "invoice_date": SQL("%s::date - ((g * 13) %% 100 + 31)", RUN_DATE),
        "date": SQL("%s::date - ((g * 13) %% 100 + 31)", RUN_DATE),
        "access_token": SQL("NULL"),
        "inalterable_hash": SQL("NULL"),
        "secure_sequence_number": SQL("NULL"),
    }
    move_columns = columns(cr, "account_move")
    cr.execute(
        SQL(
            "INSERT INTO account_move (%s) SELECT %s FROM account_move m, "
            "generate_series(1, %s) g JOIN bench_partner p ON p.k = g %% %s "
            "WHERE m.id = %s",
            SQL(", ").join(SQL.identifier(c) for c in move_columns),
            SQL(", ").join(
                overrides.get(c, SQL("m.%s", SQL.identifier(c))) for c in move_columns
            ),
            total,
            n,
            template.id,
        )
    )
    line_overrides = {
        "move_id": SQL("m.id"),
        "move_name": SQL("m.name"),
        "partner_id": SQL("m.partner_id"),
        "date": SQL("m.date"),
        "invoice_date": SQL("m.invoice_date"),
        "date_maturity": SQL(
            "CASE WHEN l.date_maturity IS NULL THEN NULL ELSE m.invoice_date_due END"
        ),
    }
    line_columns = columns(cr, "account_move_line")
    cr.execute(
        SQL(
            "INSERT INTO account_move_line (%s) SELECT %s FROM account_move_line l, "
            "account_move m WHERE l.move_id = %s AND m.name LIKE 'BNCH/%%'",
            SQL(", ").join(SQL.identifier(c) for c in line_columns),
            SQL(", ").join(
                line_overrides.get(c, SQL("l.%s", SQL.identifier(c)))
                for c in line_columns
            ),
            template.id,
        )
    )
    env.invalidate_all()
    return total + 1


def setup_ours(env):
    policy = env["dunning.policy"].create(
        {
            "name": "Bench",
            "min_interval_days": 7,
            "level_ids": [
                Command.create(
                    {
                        "sequence": 1,
                        "name": "Reminder",
                        "delay_days": 5,
                        "attach_statement": False,
                        "requires_previous": False,
                    }
                ),
                Command.create(
                    {
                        "sequence": 2,
                        "name": "Second reminder",
                        "delay_days": 20,
                        "claim_penalties": True,
                        "claim_indemnity": True,
                        "attach_statement": False,
                        "requires_previous": False,
                    }
                ),
                Command.create(
                    {
                        "sequence": 3,
                        "name": "Formal notice",
                        "delay_days": 45,
                        "claim_penalties": True,
                        "claim_indemnity": True,
                        "formal_notice": True,
                        "attach_statement": False,
                        "requires_previous": False,
                    }
                ),
            ],
        }
    )
    env.company.dunning_policy_id = policy


def setup_oca(env):
    receivable = env["account.account"].search(
        [
            ("account_type", "=", "asset_receivable"),
            ("company_ids", "in", env.company.ids),
        ]
    )
    template = env.ref("account_credit_control.email_template_credit_control_base")
    policy = env["credit.control.policy"].create(
        {
            "name": "Bench",
            "account_ids": [Command.set(receivable.ids)],
            "level_ids": [
                Command.create(
                    {
                        "name": name,
                        "level": level,
                        "computation_mode": "net_days",
                        "delay_days": days,
                        "channel": "email",
                        "email_template_id": template.id,
                        "custom_text": name,
                        "custom_mail_text": f"<p>{name}</p>",
                    }
                )
                for level, name, days in (
                    (1, "Reminder", 5),
                    (2, "Second reminder", 20),
                    (3, "Formal notice", 45),
                )
            ],
        }
    )
    env.company.credit_policy_id = policy
    return policy


def step(name, n, seconds, query_count, output):
    return {
        "step": name,
        "seconds": round(seconds, 2),
        "customers_per_s": round(n / seconds, 1),
        "queries_per_customer": round(query_count / n, 1),
        "output": output,
    }


def run_ours(env, n):
    setup_ours(env)
    env.cr.commit()
    run = env["dunning.run"].create({"date": RUN_DATE})
    env.cr.commit()
    q0, t0 = queries(), time.perf_counter()
    run.action_preview()
    env.cr.commit()
    preview = step(
        "preview",
        n,
        time.perf_counter() - t0,
        queries() - q0,
        f"{run.preview_count} reminders to send",
    )
    q0, t0 = queries(), time.perf_counter()
    run.action_run()
    env.cr.commit()
    sent = run.sent_count
    actions = env["dunning.action"].search_count([])
    return [
        preview,
        step(
            "run",
            n,
            time.perf_counter() - t0,
            queries() - q0,
            f"{sent} emails, {actions} actions",
        ),
    ]


def run_oca(env, n):
    policy = setup_oca(env)
    env.cr.commit()
    run = env["credit.control.run"].create(
        {"date": RUN_DATE, "policy_ids": [Command.set(policy.ids)]}
    )
    env.cr.commit()
    q0, t0 = queries(), time.perf_counter()
    run.generate_credit_lines()
    env.cr.commit()
    lines = env["credit.control.line"].search_count([])
    return [
        step(
            "credit-line generation",
            n,
            time.perf_counter() - t0,
            queries() - q0,
            f"{lines} credit lines",
        )
    ]


def main(env, n, engine):
    invoices = create_invoices(env, n)
    env.cr.commit()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    steps = {"ours": run_ours, "oca": run_oca}[engine](env, n)
    print(
        json.dumps(
            {
                "engine": engine,
                "customers": n,
                "invoices": invoices,
                "steps": steps,
                "peak_rss_mb": round(
                    resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                ),
                "rss_before_run_mb": round(rss_before / 1024),
            }
        ),
        flush=True,
    )


main(env, int(os.environ["BENCH_N"]), os.environ["BENCH_ENGINE"])  # noqa: F821
