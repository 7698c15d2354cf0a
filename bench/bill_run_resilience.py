"""Bill runs against real concurrency and a killed worker (not a timed bench).

Usage: python bench/bill_run_resilience.py [CONTRACTS]   (default 600)

On a fresh copy of the consolidated bench database (see recurring_invoicing.py),
with CONTRACTS contracts over 3N/10 customers all due today:

1. parallel: two Odoo processes run a bill run for the same date at the same
   time, each committing its chunks;
2. killed: one process runs a bill run and is killed (SIGKILL) in the middle;
   a second process resumes the run.

After each, the ledger and the invoices are checked: every due period billed
exactly once, one invoice per customer, no invoice without its ledger rows.
Prints one JSON line per scenario and exits 1 if any check fails.
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "bin"))
sys.path.insert(0, str(HERE))

import common  # noqa: E402
import layer2  # noqa: E402
import recurring_invoicing as bench  # noqa: E402

SETUP = """
from odoo.fields import Command
n = int(os.environ["N"])
today = fields.Date.context_today(env["res.users"])
policy = env["consolidation.policy"].create(
    {"name": "Resilience", "billing_day": "1", "auto_post": True}
)
env.company.consolidation_policy_id = policy
partners = env["res.partner"].create(
    [{"name": f"Resilience customer {i}"} for i in range(n * 3 // 10)]
)
products = env["product.product"].create(
    [{"name": f"Resilience service {k}", "type": "service",
      "list_price": 10.0 * (k + 1)} for k in range(3)]
)
rule = env["recurring.rule"].create({"name": "Resilience monthly"})
contracts = env["recurring.contract"].create([
    {"partner_id": partners[i % len(partners)].id, "date_start": today.replace(day=1),
     "rule_id": rule.id,
     "line_ids": [Command.create({"product_id": p.id}) for p in products]}
    for i in range(n)
])
contracts.action_activate()
env.cr.commit()
"""

RUN = """
import os
today = fields.Date.context_today(env["res.users"])
run_id = int(os.environ.get("RUN_ID") or 0)
run = env["bill.run"].browse(run_id) if run_id else env["bill.run"].create(
    {"date": today}
)
if run.state == "draft":
    run._start()
    env.cr.commit()
print("RUN", run.id, flush=True)
run._process(batch_size=int(os.environ.get("BATCH", "10")))
env.cr.commit()
"""

CHECK = """
import json
env.cr.execute('''
    SELECT count(*) FROM (
        SELECT contract_line_id, period_start FROM recurring_period
        WHERE state != 'cancelled' GROUP BY 1, 2 HAVING count(*) > 1) d''')
duplicates = env.cr.fetchone()[0]
env.cr.execute('''
    SELECT count(*) FROM recurring_contract_line l
    JOIN recurring_contract c ON c.id = l.contract_id
    WHERE c.state = 'active' AND NOT EXISTS (
        SELECT 1 FROM recurring_period p
        WHERE p.contract_line_id = l.id AND p.state != 'cancelled')''')
unbilled = env.cr.fetchone()[0]
env.cr.execute('''
    SELECT count(*), count(DISTINCT partner_id) FROM account_move
    WHERE move_type = 'out_invoice' ''')
invoices, customers = env.cr.fetchone()
env.cr.execute('''
    SELECT count(*) FROM account_move m WHERE m.move_type = 'out_invoice'
    AND NOT EXISTS (SELECT 1 FROM recurring_period p WHERE p.move_id = m.id)''')
orphans = env.cr.fetchone()[0]
print("CHECK " + json.dumps({
    "duplicate_periods": duplicates, "unbilled_lines": unbilled,
    "invoices": invoices, "invoiced_customers": customers,
    "invoices_without_ledger": orphans,
}), flush=True)
"""


def shell(odoo_path, odoo_python, conf, database, code, env=None, wait=True):
    command = [str(odoo_python), str(odoo_path / "odoo-bin"), "shell", "--no-http"]
    proc = subprocess.Popen(
        [*command, "-c", conf, "-d", database],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )
    proc.stdin.write("import os\nfrom odoo import fields\n" + code)
    proc.stdin.close()
    if wait:
        out = proc.stdout.read()
        err = proc.stderr.read()
        proc.wait()
        if proc.returncode:
            raise SystemExit(f"bench: Odoo shell failed\n{err[-3000:]}")
        return out
    return proc


def check(ctx, database, customers):
    out = shell(*ctx, database, CHECK)
    result = json.loads(out.split("CHECK ", 1)[1].splitlines()[0])
    result["ok"] = (
        result["duplicate_periods"] == 0
        and result["unbilled_lines"] == 0
        and result["invoices"] == customers
        and result["invoiced_customers"] == customers
        and result["invoices_without_ledger"] == 0
    )
    return result


def fresh(conn, ctx, role, name, n):
    odoo_path, odoo_python, conf = ctx
    base = bench.ensure_base(conn, odoo_path, odoo_python, "consolidated")
    layer2.copy_database(conn, base, name, role)
    shell(*ctx, name, SETUP, env={"N": str(n)})


def parallel(conn, ctx, role, n):
    name = "facturo_resilience_parallel"
    fresh(conn, ctx, role, name, n)
    try:
        procs = [shell(*ctx, name, RUN, wait=False) for _ in range(2)]
        for proc in procs:
            proc.stdout.read()
            proc.wait()
        return {"scenario": "two workers at once", **check(ctx, name, n * 3 // 10)}
    finally:
        layer2.drop_database(conn, name)


def killed(conn, ctx, role, n):
    name = "facturo_resilience_killed"
    fresh(conn, ctx, role, name, n)
    try:
        proc = shell(*ctx, name, RUN, env={"BATCH": "5"}, wait=False)
        run_id = proc.stdout.readline().split()[1]
        time.sleep(8)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        before = shell(
            *ctx,
            name,
            "print('DONE', env['bill.run.customer'].search_count("
            "[('state', '!=', 'pending')]), flush=True)\n",
        )
        done_before = int(before.split("DONE ", 1)[1].split()[0])
        shell(*ctx, name, RUN, env={"RUN_ID": run_id})
        result = check(ctx, name, n * 3 // 10)
        return {
            "scenario": "worker killed, run resumed",
            "customers_done_before_kill": done_before,
            **result,
        }
    finally:
        layer2.drop_database(conn, name)


def main(n):
    odoo_path, odoo_python = layer2.odoo_tree()
    layer2.ensure_postgres()
    conn = layer2.admin_connection()
    role = "odoo"
    layer2.ensure_role(conn, role)
    ctx = (odoo_path, odoo_python, common.config_file(odoo_path, role))
    results = [parallel(conn, ctx, role, n), killed(conn, ctx, role, n)]
    for result in results:
        print(json.dumps(result), flush=True)
    sys.exit(0 if all(r["ok"] for r in results) else 1)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 600)
