"""account_facturx_fr/tools: the schematron worker under Odoo's memory limit.

Odoo sets a soft RLIMIT_AS (``limit_memory_hard``, 2.5 GiB by default) in its
server process; children inherit it, and saxonche's GraalVM isolate cannot
reserve its address space under it (``graal_create_isolate error``). The
worker raises its soft limit back to the hard one before loading saxonche.
"""

import base64
import json
import resource
import subprocess
import sys

import facturx_scenarios as sc
import pytest
from account_facturx_fr_tools import facturx_builder, facturx_validate

ODOO_DEFAULT_LIMIT = 2_684_354_560  # limit_memory_hard

_soft, _hard = resource.getrlimit(resource.RLIMIT_AS)


@pytest.mark.skipif(
    _hard != resource.RLIM_INFINITY and _hard <= ODOO_DEFAULT_LIMIT,
    reason="the hard address-space limit is already below Odoo's soft one",
)
def test_worker_runs_under_odoo_soft_address_space_limit():
    def odoo_like_limit():
        resource.setrlimit(resource.RLIMIT_AS, (ODOO_DEFAULT_LIMIT, _hard))

    xml = facturx_builder.build_xml(sc.services_s1())
    base = facturx_validate.schematron_dir()
    step = facturx_validate.STEP_BR_FR
    request = {
        "stylesheets": {step: str(base / facturx_validate.STYLESHEETS[step])},
        "documents": [
            {"xml": base64.b64encode(xml).decode("ascii"), "stylesheets": [step]}
        ],
    }
    completed = subprocess.run(
        [sys.executable, str(facturx_validate.WORKER_SCRIPT)],
        input=json.dumps(request).encode("utf-8"),
        capture_output=True,
        timeout=300,
        check=False,
        preexec_fn=odoo_like_limit,
    )
    answer = json.loads(completed.stdout)
    assert "fatal" not in answer, answer
    (result,) = answer["results"]
    assert result[step]["error"] is None
    assert [f for f in result[step]["findings"] if f["kind"] == "failed-assert"] == []
