"""One measurement of the daily invoicing cron, run inside an Odoo shell.

Usage (normally through bench/recurring_invoicing.py):
    BENCH_N=1000 BENCH_ENGINE=ours odoo-bin shell -c CONFIG -d DATABASE < this file

Creates N contracts of 3 lines over N/3 customers, all due today, commits,
then runs the invoicing cron of ENGINE ("ours": recurring_billing, "oca": OCA
contract 19.0) and posts the invoices. Prints one JSON line of figures.
With BENCH_PROFILE=FILE, our cron runs under cProfile and its stats are
written to FILE (the timings then include the profiler's overhead).
With BENCH_WORKERS=K (engine "consolidated"), K-1 more Odoo processes work
off the bill run beside the daily cron, as the processing crons do with
several cron workers; figures are then wall-clock over all of them.
"""

import cProfile
import json
import os
import resource
import subprocess
import sys
import time

from odoo import fields, sql_db
from odoo.fields import Command
from odoo.tools import config


def queries():
    return sql_db.sql_counter


def setup_common(env, n, customers=None):
    partners = env["res.partner"].create(
        [{"name": f"Bench customer {i}"} for i in range(max(customers or n // 3, 1))]
    )
    products = env["product.product"].create(
        [
            {
                "name": f"Bench service {k}",
                "type": "service",
                "list_price": 10.0 * (k + 1),
            }
            for k in range(3)
        ]
    )
    return partners, products


def setup_ours(env, n, start, customers=None):
    partners, products = setup_common(env, n, customers)
    products.recurring_ok = True
    rule = env["recurring.rule"].create(
        {"name": "Bench monthly", "unit": "month", "billing_mode": "calendar"}
    )
    contracts = env["recurring.contract"].create(
        [
            {
                "partner_id": partners[i % len(partners)].id,
                "date_start": start,
                "rule_id": rule.id,
                "line_ids": [Command.create({"product_id": p.id}) for p in products],
            }
            for i in range(n)
        ]
    )
    contracts.action_activate()
    return contracts


def setup_consolidated(env, n, start):
    """N contracts over 3N/10 customers (1,000 over 300), consolidated monthly
    on the 1st and posted by the bill run."""
    policy = env["consolidation.policy"].create(
        {"name": "Bench monthly", "billing_day": "1", "auto_post": True}
    )
    env.company.consolidation_policy_id = policy
    return setup_ours(env, n, start, customers=n * 3 // 10)


def setup_oca(env, n, start):
    partners, products = setup_common(env, n)
    return env["contract.contract"].create(
        [
            {
                "name": f"Bench {i}",
                "partner_id": partners[i % len(partners)].id,
                "contract_type": "sale",
                "line_recurrence": False,
                "recurring_rule_type": "monthly",
                "recurring_interval": 1,
                "date_start": start,
                "recurring_next_date": start,
                "contract_line_fixed_ids": [
                    Command.create(
                        {
                            "product_id": p.id,
                            "name": p.name,
                            "quantity": 1,
                            "price_unit": p.list_price,
                            "uom_id": p.uom_id.id,
                            "date_start": start,
                            "recurring_next_date": start,
                        }
                    )
                    for p in products
                ],
            }
            for i in range(n)
        ]
    )


# What a second cron worker does: wait for the daily run to be running, then
# work off running bill runs (the processing cron's method). Runs in its own
# ``odoo-bin shell``; prints one JSON line.
HELPER = """
import json, resource, time
from odoo import sql_db
move_class = type(env["account.move"])
posting = {"time": 0.0, "queries": 0}
real_post = move_class.action_post
def action_post(self):
    q0, t0 = sql_db.sql_counter, time.perf_counter()
    try:
        return real_post(self)
    finally:
        posting["time"] += time.perf_counter() - t0
        posting["queries"] += sql_db.sql_counter - q0
move_class.action_post = action_post
deadline = time.monotonic() + 900
while time.monotonic() < deadline:
    env.cr.rollback()
    if env["bill.run"].search_count([("state", "=", "running")]):
        break
    time.sleep(0.05)
q0 = sql_db.sql_counter
env["bill.run"]._cron_process()
print(json.dumps({
    "queries": sql_db.sql_counter - q0,
    "post_queries": posting["queries"],
    "post_s": posting["time"],
    "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
}), flush=True)
"""


def start_helpers(env, count):
    """``count`` more Odoo processes on this database, each waiting for the
    bill run (started before the bench data is made, to be ready in time)."""
    command = [
        sys.executable,
        sys.argv[0],
        "shell",
        "--no-http",
        "-c",
        config.rcfile,
        "-d",
        env.cr.dbname,
    ]
    helpers = []
    for _i in range(count):
        proc = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        proc.stdin.write(HELPER)
        proc.stdin.close()
        helpers.append(proc)
    return helpers


def finish_helpers(helpers):
    results = []
    for proc in helpers:
        out = proc.stdout.read()
        proc.wait(timeout=900)
        lines = [line for line in out.splitlines() if line.startswith("{")]
        if not lines:
            raise SystemExit("bench: a helper worker printed nothing")
        results.append(json.loads(lines[-1]))
    return results


# time and queries spent in account.move.action_post, and in Odoo's own
# account.move.create (outermost calls only)
POSTING = {"time": 0.0, "queries": 0, "depth": 0}
MOVE_CREATE = {"time": 0.0, "queries": 0, "depth": 0}


def measured(method, bucket):
    """Wrap an account.move method to add what its outermost calls cost to
    ``bucket``."""

    def wrapper(self, *args):
        bucket["depth"] += 1
        q0, t0 = queries(), time.perf_counter()
        try:
            return method(self, *args)
        finally:
            bucket["depth"] -= 1
            if not bucket["depth"]:
                bucket["time"] += time.perf_counter() - t0
                bucket["queries"] += queries() - q0

    return wrapper


def run_cron(env, cron_method):
    """A daily cron (invoices created and posted in the same committed
    chunks); posting is measured apart."""
    move_class = type(env["account.move"])
    move_class.action_post = measured(move_class.action_post, POSTING)
    move_class.create = measured(move_class.create, MOVE_CREATE)
    before = {m.id for m in env["account.move"].search([])}
    q0, t0 = queries(), time.perf_counter()
    profile_path = os.environ.get("BENCH_PROFILE")
    if profile_path:
        profiler = cProfile.Profile()
        profiler.runcall(cron_method)
        profiler.dump_stats(profile_path)
    else:
        cron_method()
    total_time, total_queries = time.perf_counter() - t0, queries() - q0
    moves = env["account.move"].search([("id", "not in", list(before))])
    return (
        moves,
        total_time - POSTING["time"],
        total_queries - POSTING["queries"],
    )


def run_ours(env):
    """recurring_billing's cron, one invoice per contract, auto-posted."""
    env.company.recurring_auto_post = True
    env.cr.commit()
    return run_cron(env, env["recurring.invoicing"]._cron_create_invoices)


def run_consolidated(env):
    """consolidated_invoice's daily bill run cron."""
    return run_cron(env, env["bill.run"]._cron_daily)


def run_oca(env):
    before = {m.id for m in env["account.move"].search([])}
    q0, t0 = queries(), time.perf_counter()
    env["contract.contract"].cron_recurring_create_invoice()
    env.cr.commit()
    create_time, create_queries = time.perf_counter() - t0, queries() - q0
    moves = env["account.move"].search([("id", "not in", list(before))])
    return moves, create_time, create_queries


def post(env, moves, batch=200):
    q0, t0 = queries(), time.perf_counter()
    for start in range(0, len(moves), batch):
        moves[start : start + batch].action_post()
        env.cr.commit()
    return time.perf_counter() - t0, queries() - q0


def main(env, n, engine):
    cr = env.cr
    # helpers only for the bill run: OCA's cron is one job, one worker
    workers = int(os.environ.get("BENCH_WORKERS", "1"))
    if engine != "consolidated":
        workers = 1
    helpers = start_helpers(env, workers - 1) if engine == "consolidated" else []
    start = fields.Date.context_today(env["res.users"]).replace(day=1)
    setup = {"ours": setup_ours, "consolidated": setup_consolidated, "oca": setup_oca}[
        engine
    ]
    setup(env, n, start)
    cr.commit()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    run = {"ours": run_ours, "consolidated": run_consolidated, "oca": run_oca}[engine]
    wall0, cpu0 = time.perf_counter(), time.process_time()
    moves, create_time, create_queries = run(env)
    cpu_time = time.process_time() - cpu0
    if engine != "oca":
        post_time, post_queries = POSTING["time"], POSTING["queries"]
    else:
        post_time, post_queries = post(env, moves)
    total = create_time + post_time
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if helpers:
        # wall clock over all workers; queries and memory of each process
        for result in finish_helpers(helpers):
            create_queries += result["queries"] - result["post_queries"]
            post_queries += result["post_queries"]
            peak_rss = max(peak_rss, result["peak_rss_mb"])
        total = time.perf_counter() - wall0
        post_time = POSTING["time"]
        create_time = total - post_time
        cr.rollback()
        moves = env["bill.run.customer"].search([]).invoice_ids
    invoices = len(moves)
    print(
        json.dumps(
            {
                "engine": engine if workers == 1 else f"{engine} x{workers}",
                "workers": workers,
                "contracts": n,
                "invoices": invoices,
                "lines": len(moves.invoice_line_ids),
                "create_s": round(create_time, 2),
                "post_s": round(post_time, 2),
                "odoo_create_s_main_process": round(MOVE_CREATE["time"], 2),
                "contracts_per_s": round(n / total, 1),
                "invoices_per_s": round(invoices / total, 1),
                "queries_per_invoice_before_posting": round(
                    create_queries / max(invoices, 1), 1
                ),
                "queries_per_invoice_total": round(
                    (create_queries + post_queries) / max(invoices, 1), 1
                ),
                "cpu_s_main_process": round(cpu_time, 2),
                "peak_rss_mb": round(peak_rss),
                "rss_before_run_mb": round(rss_before / 1024),
            }
        ),
        flush=True,
    )


main(env, int(os.environ["BENCH_N"]), os.environ["BENCH_ENGINE"])  # noqa: F821
