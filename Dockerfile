# graphsvc API server. Used by docker-compose.yml (with Neo4j); also runs alone on SQLite.
#   docker build -t graphsvc . && docker run -p 8000:8000 graphsvc
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN groupadd --system --gid 10001 graphsvc \
 && useradd --system --uid 10001 --gid graphsvc --create-home --home-dir /home/graphsvc \
            --shell /usr/sbin/nologin graphsvc

WORKDIR /app
# graphsvc reaches frontend/, queries/, schema/ and seeds/ through symlinks inside its
# package folder (a wheel copies them in); here the source tree stays in /app and is
# installed in place (-e). The [neo4j] extra brings the Neo4j Python driver.
# setup.py compiles the analysis with mypyc when a C compiler is there; this slim image has
# none, so the analysis runs from its Python sources (docs/SCALING.md has both speeds).
COPY pyproject.toml setup.py README.md ./
COPY graphsvc ./graphsvc
COPY frontend ./frontend
COPY queries ./queries
COPY schema ./schema
COPY seeds ./seeds
RUN pip install -e ".[neo4j]" \
 && chown -R root:root /app && chmod -R a+rX /app

USER graphsvc
# The embedded SQLite store (when GRAPHSVC_STORE is not neo4j) lives under the user's home.
ENV XDG_DATA_HOME=/home/graphsvc/.local/share
EXPOSE 8000
CMD ["graphsvc", "serve", "--host", "0.0.0.0", "--port", "8000"]
