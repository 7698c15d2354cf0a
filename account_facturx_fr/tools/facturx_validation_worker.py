"""Schematron worker: runs XSLT 2.0 schematrons with saxonche, in its own process.

saxonche's GraalVM isolate must never run inside an Odoo worker (it crashed
in crons and forked workers: akretion/factur-x#77), so ``facturx_validate``
starts this file as a script (fork + exec of ``sys.executable``) for each
batch. One ``PySaxonProcessor`` per process; each stylesheet is compiled once,
on first use, then applied to every document that asks for it.

Protocol (UTF-8 JSON, one message each way):

- stdin: ``{"stylesheets": {"<name>": "<absolute path>", …},
  "documents": [{"xml": "<base64 of the XML bytes>",
  "stylesheets": ["<name>", …]}, …]}``
- stdout: ``{"processor": "<Saxon version>",
  "compile_seconds": {"<name>": float},
  "results": [{"<name>": {"findings": [finding, …], "error": str | null}}, …]}``
  in the order of the documents, where a finding is the dict returned by
  ``parse_svrl``; or ``{"fatal": "<message>"}`` (exit status 2) when the
  batch could not run at all.

Native code may print on file descriptor 1, so the JSON answer goes to a
duplicate of it taken at start, and fd 1 is pointed at stderr meanwhile.

Standard library, lxml and saxonche only, and no import of the other tools
modules: it runs as a plain script (``facturx_validate`` also imports
``parse_svrl`` from it).
"""

import base64
import json
import os
import sys
import time

from lxml import etree

SVRL_NS = "http://purl.oclc.org/dsdl/svrl"
_FAILED = f"{{{SVRL_NS}}}failed-assert"
_REPORT = f"{{{SVRL_NS}}}successful-report"
_TEXT = f"{{{SVRL_NS}}}text"


def _safe_parser():
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def parse_svrl(svrl) -> list[dict]:
    """The failed asserts and successful reports of an SVRL output.

    Each is ``{"kind": "failed-assert" | "successful-report", "id", "flag",
    "location", "test", "text"}`` (empty strings when absent; the text with
    its whitespace collapsed).
    """
    if isinstance(svrl, str):
        svrl = svrl.encode("utf-8")
    root = etree.fromstring(svrl, _safe_parser())
    findings = []
    for element in root.iter(_FAILED, _REPORT):
        text = " ".join("".join(t.itertext()) for t in element.iter(_TEXT))
        findings.append(
            {
                "kind": "failed-assert"
                if element.tag == _FAILED
                else "successful-report",
                "id": element.get("id", ""),
                "flag": element.get("flag", ""),
                "location": element.get("location", ""),
                "test": element.get("test", ""),
                "text": " ".join(text.split()),
            }
        )
    return findings


class _Batch:
    """One Saxon processor and the stylesheets compiled so far."""

    def __init__(self, processor, paths: dict):
        self.processor = processor
        self.xslt = processor.new_xslt30_processor()
        self.paths = paths
        self.executables: dict = {}
        self.compile_errors: dict = {}
        self.compile_seconds: dict = {}

    def executable(self, name: str):
        if name in self.executables or name in self.compile_errors:
            return self.executables.get(name)
        path = self.paths.get(name)
        start = time.perf_counter()
        try:
            if not path or not os.path.isfile(path):
                raise FileNotFoundError(f"stylesheet {name!r} not found: {path!r}")
            self.executables[name] = self.xslt.compile_stylesheet(stylesheet_file=path)
        except Exception as err:  # a broken stylesheet fails its documents only
            self.compile_errors[name] = f"{type(err).__name__}: {err}"
        self.compile_seconds[name] = round(time.perf_counter() - start, 3)
        return self.executables.get(name)

    def run(self, document: dict) -> dict:
        names = document.get("stylesheets", [])
        try:
            xml = base64.b64decode(document["xml"])
            tree = etree.fromstring(xml, _safe_parser())
            node = self.processor.parse_xml(xml_text=etree.tostring(tree, encoding=str))
        except Exception as err:
            error = f"XML not readable: {type(err).__name__}: {err}"
            return {name: {"findings": [], "error": error} for name in names}
        results = {}
        for name in names:
            executable = self.executable(name)
            if executable is None:
                results[name] = {"findings": [], "error": self.compile_errors[name]}
                continue
            try:
                svrl = executable.transform_to_string(xdm_node=node)
                results[name] = {"findings": parse_svrl(svrl), "error": None}
            except Exception as err:
                error = f"{type(err).__name__}: {err}"
                results[name] = {"findings": [], "error": error}
        return results


def lift_address_space_limit():
    """Raise the soft RLIMIT_AS to the hard limit.

    GraalVM reserves a large virtual address space for its isolate; a soft
    limit inherited from the parent (Odoo sets it to ``limit_memory_hard``)
    makes ``graal_create_isolate`` fail. Memory use is still bounded by the
    caller's timeout and the hard limit.
    """
    try:
        import resource
    except ImportError:  # not on POSIX
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if soft != hard:
        resource.setrlimit(resource.RLIMIT_AS, (hard, hard))


def run(request: dict) -> dict:
    """Validate every document of ``request`` (see the module docstring)."""
    lift_address_space_limit()
    from saxonche import PySaxonProcessor  # only ever imported in this process

    with PySaxonProcessor(license=False) as processor:
        batch = _Batch(processor, request.get("stylesheets", {}))
        results = [batch.run(document) for document in request.get("documents", [])]
        return {
            "processor": processor.version,
            "compile_seconds": batch.compile_seconds,
            "results": results,
        }


def main() -> int:
    answer_fd = os.dup(1)
    os.dup2(2, 1)  # stray native output goes to stderr, not into the answer
    status = 0
    try:
        request = json.loads(sys.stdin.buffer.read().decode("utf-8"))
        response = run(request)
    except Exception as err:
        response = {"fatal": f"{type(err).__name__}: {err}"}
        status = 2
    with os.fdopen(answer_fd, "wb") as answer:
        answer.write(json.dumps(response).encode("utf-8"))
    return status


if __name__ == "__main__":
    sys.exit(main())
