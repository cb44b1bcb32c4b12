# Anchor as one container: the app on port 8501, the warehouse on the volume /data.
#   docker build -t anchor .
#   docker run -p 8501:8501 -v anchor-data:/data anchor
FROM python:3.11-slim

# Debian's Chromium draws the exports' charts (kaleido); Liberation Sans is the Arial-metric
# font they are laid out for.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
       chromium fonts-liberation \
    && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    ANCHOR_DB=/data/anchor.duckdb \
    ANCHOR_GEO_CACHE=/opt/anchor/geography.duckdb \
    ANCHOR_CHROMIUM=/usr/bin/chromium \
    ANCHOR_DUCKDB_MEMORY_LIMIT=2GB \
    ANCHOR_ROLE=viewer

WORKDIR /app
COPY pyproject.toml README.md LICENSE ./
COPY anchor anchor
RUN pip install --no-cache-dir -e .
COPY app.py ./
COPY pages pages
COPY assets assets
COPY .streamlit/config.toml .streamlit/config.toml

# The geography cache is built once, into the image, from the open data the packages ship;
# `anchor setup` at each start installs it into the warehouse when the warehouse lacks it
# (or holds an older one) and builds the demo into a warehouse with no data at all.
RUN anchor geo build --cache-only --cache /opt/anchor/geography.duckdb

VOLUME /data
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://localhost:8501/_stcore/health')"
CMD ["sh", "-c", "anchor setup && exec streamlit run app.py --server.port 8501 --server.address 0.0.0.0 --server.headless true"]
