# Odoo 19 with the suite's Python dependencies and Ghostscript (PDF/A-3).
# The addons themselves are mounted by docker-compose.yml at /mnt/extra-addons.
FROM odoo:19

USER root
COPY requirements.txt /tmp/facturo-requirements.txt
COPY oca-requirements.txt /tmp/facturo-oca-requirements.txt
# lxml, psycopg2 and python-dateutil come with the image (Debian packages);
# only the packages Odoo does not ship are installed from PyPI. The OCA addons
# (oca-requirements.txt) are installed with --no-deps, as OCA's CI does: their
# wheels require "odoo", which is the image's own; they land in
# dist-packages/odoo/addons, where Odoo finds them.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ghostscript qpdf \
    && rm -rf /var/lib/apt/lists/* \
    && grep -v -E '^(lxml|psycopg2|python-dateutil)' /tmp/facturo-requirements.txt \
        > /tmp/facturo-extra.txt \
    && pip3 install --no-cache-dir --break-system-packages -r /tmp/facturo-extra.txt \
    && pip3 install --no-cache-dir --break-system-packages --no-deps \
        -r /tmp/facturo-oca-requirements.txt
USER odoo
