# Odoo 19 with the suite's Python dependencies and Ghostscript (PDF/A-3).
# The addons themselves are mounted by docker-compose.yml at /mnt/extra-addons.
FROM odoo:19

USER root
COPY requirements.txt /tmp/facturo-requirements.txt
# lxml, psycopg2 and python-dateutil come with the image (Debian packages);
# only the packages Odoo does not ship are installed from PyPI.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ghostscript qpdf \
    && rm -rf /var/lib/apt/lists/* \
    && grep -v -E '^(lxml|psycopg2|python-dateutil)' /tmp/facturo-requirements.txt \
        > /tmp/facturo-extra.txt \
    && pip3 install --no-cache-dir --break-system-packages -r /tmp/facturo-extra.txt
USER odoo
