"""README screenshots of the main screens, on the French demo.

Usage: ``python bin/screenshots.py`` writes ``docs/screenshots/*.png``.

The server is the ``docker compose up`` one, started locally as
``bin/compose_check.py`` does (throwaway database, dropped at the end). The
browser is the one the tours use, Debian's ``chromium``, headless, driven
through its DevTools protocol (the admin's session cookie set, then each
page opened and captured at 1280 px). The invoice is Odoo's PDF report
turned into PNG with ``pdftoppm``. Every PNG is reduced to a 256-colour
palette with Pillow to stay small.
"""

import base64
import datetime
import io
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
import compose_check
import layer2

OUT = layer2.ROOT / "docs" / "screenshots"
WIDTH, HEIGHT = 1280, 800


def say(message):
    layer2.say(f"screenshots: {message}")


class DevTools:
    """The few DevTools calls needed, over a minimal WebSocket client (the
    standard library has none; frames from the browser are not masked)."""

    def __init__(self, ws_url):
        host_port, _sep, path = ws_url.removeprefix("ws://").partition("/")
        host, port = host_port.split(":")
        self.sock = socket.create_connection((host, int(port)), timeout=120)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            (
                f"GET /{path} HTTP/1.1\r\nHost: {host_port}\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                "Sec-WebSocket-Version: 13\r\n\r\n"
            ).encode()
        )
        response = b""
        while b"\r\n\r\n" not in response:
            response += self.sock.recv(4096)
        if b" 101 " not in response.split(b"\r\n")[0]:
            raise SystemExit(f"screenshots: no DevTools WebSocket: {response[:200]}")
        self.buffer = response.split(b"\r\n\r\n", 1)[1]
        self.next_id = 0

    def _recv_exact(self, size):
        while len(self.buffer) < size:
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                raise SystemExit("screenshots: the browser closed the connection")
            self.buffer += chunk
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    def _recv_message(self):
        payload = b""
        while True:
            first, second = self._recv_exact(2)
            length = second & 0x7F
            if length == 126:
                length = struct.unpack(">H", self._recv_exact(2))[0]
            elif length == 127:
                length = struct.unpack(">Q", self._recv_exact(8))[0]
            payload += self._recv_exact(length)
            if first & 0x80:  # final fragment
                return json.loads(payload)

    def _send(self, text):
        data = text.encode()
        header = bytes([0x81])
        if len(data) < 126:
            header += bytes([0x80 | len(data)])
        elif len(data) < 1 << 16:
            header += bytes([0x80 | 126]) + struct.pack(">H", len(data))
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", len(data))
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
        self.sock.sendall(header + mask + masked)

    def call(self, method, **params):
        self.next_id += 1
        self._send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = self._recv_message()
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise SystemExit(f"screenshots: {method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.call(
            "Runtime.evaluate", expression=expression, returnByValue=True
        )
        return result.get("result", {}).get("value")


class Browser:
    def __init__(self):
        chromium = shutil.which("chromium")
        if not chromium:
            raise SystemExit("screenshots: Debian's chromium is not installed")
        self.profile = tempfile.mkdtemp(prefix="facturo-chromium-")
        port = layer2.free_port()
        self.proc = subprocess.Popen(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--lang=fr-FR",
                f"--window-size={WIDTH},{HEIGHT}",
                f"--remote-debugging-port={port}",
                f"--user-data-dir={self.profile}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        targets = None
        for _attempt in range(120):
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/json/list", timeout=2
                ) as response:
                    targets = [t for t in json.load(response) if t["type"] == "page"]
                if targets:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        if not targets:
            raise SystemExit("screenshots: chromium did not open its DevTools port")
        self.tools = DevTools(targets[0]["webSocketDebuggerUrl"])
        self.tools.call("Page.enable")
        self.tools.call(
            "Emulation.setDeviceMetricsOverride",
            width=WIDTH,
            height=HEIGHT,
            deviceScaleFactor=1,
            mobile=False,
        )

    def set_cookie(self, url, name, value):
        self.tools.call("Network.setCookie", name=name, value=value, url=url)

    def capture(self, url, path, ready, settle=1.5, timeout=90):
        """Open ``url``, wait until the ``ready`` selector is shown and the
        web client has no request pending, then capture the viewport."""
        self.tools.call("Page.navigate", url=url)
        check = (
            f"!!document.querySelector({json.dumps(ready)}) && "
            "!document.querySelector('.o_loading_indicator, .o_blockUI')"
        )
        deadline = time.monotonic() + timeout
        while not self.tools.evaluate(check):
            if time.monotonic() > deadline:
                raise SystemExit(f"screenshots: {url} never showed {ready}")
            time.sleep(0.5)
        time.sleep(settle)
        shot = self.tools.call("Page.captureScreenshot", format="png")
        save_png(base64.b64decode(shot["data"]), path)

    def close(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)
        shutil.rmtree(self.profile, ignore_errors=True)


def save_png(data, path):
    """At most 1280 px wide, 256-colour palette, optimised."""
    image = Image.open(io.BytesIO(data)).convert("RGB")
    if image.width > WIDTH:
        image = image.resize((WIDTH, round(image.height * WIDTH / image.width)))
    image = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    image.save(path, optimize=True)
    say(f"{path.relative_to(layer2.ROOT)} ({path.stat().st_size // 1024} kB)")


def call(server, model, method, args, **kwargs):
    return server.rpc(
        f"/web/dataset/call_kw/{model}/{method}",
        {
            "model": model,
            "method": method,
            "args": args,
            "kwargs": {"context": server.session.get("user_context", {}), **kwargs},
        },
        timeout=600,
    )


def invoice_png(server, invoice_id, path):
    """Page one of the invoice PDF, as the customer receives it."""
    request = urllib.request.Request(
        f"{server.url}/report/pdf/account.report_invoice/{invoice_id}"
    )
    with server.opener.open(request, timeout=600) as response:
        pdf = response.read()
    with tempfile.TemporaryDirectory() as tmp:
        pdf_path = Path(tmp) / "invoice.pdf"
        pdf_path.write_bytes(pdf)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-f",
                "1",
                "-l",
                "1",
                "-scale-to-x",
                str(WIDTH),
                "-scale-to-y",
                "-1",
                str(pdf_path),
                str(Path(tmp) / "page"),
            ],
            check=True,
        )
        page = next(Path(tmp).glob("page*.png"))
        save_png(page.read_bytes(), path)


def take(server, browser):
    web = f"{server.url}/odoo"
    runs = server.search_read(
        "bill.run", [("state", "=", "done")], ["id"], order="date desc"
    )
    done_run = runs[0]["id"]
    # the last cycle invoice of a French customer: a month's fee, a one-off
    # setup fee and last month's metered API calls on one invoice
    invoices = server.search_read(
        "account.move",
        [
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("partner_id.name", "=", "Atelier Lumière SARL"),
        ],
        ["id", "partner_id"],
        order="invoice_date desc, id desc",
        limit=1,
    )
    next_month = (
        datetime.date.today().replace(day=1) + datetime.timedelta(days=32)
    ).replace(day=1)
    preview_run = call(server, "bill.run", "create", [{"date": next_month.isoformat()}])
    call(server, "bill.run", "action_preview", [[preview_run]])
    wizard = call(
        server,
        "ledger.export.wizard",
        "create",
        [
            {
                "period_mode": "range",
                "date_from": datetime.date.today().replace(month=1, day=1).isoformat(),
                "date_to": datetime.date.today().isoformat(),
            }
        ],
    )
    export = call(server, "ledger.export.wizard", "action_export", [[wizard]])["res_id"]
    contracts = "recurring_billing.recurring_contract_action"
    bill_runs = "consolidated_invoice.bill_run_action"
    form_lines = ".o_form_view .o_field_one2many"
    shots = [
        (
            "contracts.png",
            f"{web}/action-{contracts}?view_type=list",
            ".o_list_renderer .o_data_row",
        ),
        ("bill-run-preview.png", f"{web}/action-{bill_runs}/{preview_run}", form_lines),
        ("bill-run-result.png", f"{web}/action-{bill_runs}/{done_run}", form_lines),
        (
            "dunning-kanban.png",
            f"{web}/action-dunning_levels.dunning_customer_action",
            ".o_kanban_view .o_kanban_record",
        ),
        (
            "fec-result.png",
            f"{web}/action-ledger_export.ledger_export_action/{export}",
            ".o_form_view",
        ),
    ]
    OUT.mkdir(parents=True, exist_ok=True)
    browser.set_cookie(server.url, "session_id", server.session_cookie())
    for name, url, ready in shots:
        browser.capture(url, OUT / name, ready)
    invoice_png(server, invoices[0]["id"], OUT / "invoice.png")


def main():
    server = compose_check.ComposeServer("screenshots.log")
    browser = None
    try:
        server.start()
        server.wait_healthy()
        server.login()
        browser = Browser()
        take(server, browser)
    finally:
        if browser:
            browser.close()
        server.stop()
    problems = server.problems()
    if problems:
        for line in problems:
            say(f"  server log: {line}")
        raise SystemExit("screenshots: the server logged errors")


if __name__ == "__main__":
    main()
