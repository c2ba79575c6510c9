# SupportDesk in a container: the build stage compiles the one executable, the runtime stage holds
# just that file. The build and runtime stages are both Debian bookworm so the glibc the binary is
# linked against at build time is the one it finds at run time.

# ---- build ----
FROM node:20-bookworm-slim AS build
WORKDIR /app
# Lockfile first: the dependency layer stays cached until package.json or the lock changes.
# Bun itself comes from npm (devDependency "bun"); its postinstall puts the native binary in
# node_modules/.bin, which is why install scripts must stay enabled (see "allowScripts").
# patches/ too: npm ci's postinstall applies them (patch-package) to the dependencies before the build.
COPY package.json package-lock.json ./
COPY patches ./patches
RUN npm ci --no-audit --no-fund
COPY tsconfig.json bunfig.toml ./
COPY src ./src
COPY views ./views
COPY public ./public
COPY drizzle ./drizzle
COPY scripts ./scripts
RUN npx bun run build

# ---- runtime ----
FROM debian:bookworm-slim
# curl for HEALTHCHECK: the binary has no self-check subcommand, and a bash /dev/tcp probe can
# neither time out cleanly nor read an HTTP status reliably. ca-certificates also gives TLS clients
# the system trust store for a rediss:// or sslmode PostgreSQL URL.
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl ca-certificates \
 && rm -rf /var/lib/apt/lists/*
# A fixed uid/gid (not the first free one) so host-side chown of a bind-mounted /data is predictable.
RUN groupadd --system --gid 10001 supportdesk \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin supportdesk \
 && mkdir /data && chown supportdesk:supportdesk /data
# Owned by root: the service user can run the binary but not replace it.
COPY --from=build /app/dist/supportdesk /usr/local/bin/supportdesk

# The embedded database and the generated session secret live in DATA_DIR; a named volume mounted
# here inherits the supportdesk ownership set above. Unused when DATABASE_URL and SESSION_SECRET are set.
ENV DATA_DIR=/data HOST=0.0.0.0 PORT=3000
VOLUME /data
EXPOSE 3000
USER supportdesk

# /health, not /ready: a database outage should show in /ready (for load balancers) without Docker
# marking the container unhealthy and an orchestrator restarting it in a loop. Shell form so a
# PORT overridden at run time is the one checked. start-period covers the first embedded start,
# which creates the database (seconds, not milliseconds).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD curl -fsS --max-time 4 -o /dev/null "http://127.0.0.1:${PORT}/health" || exit 1

# The binary handles SIGTERM itself (graceful stop, hard exit within 5 s, under Docker's 10 s
# default) and spawns no children, so it runs as PID 1 without an init such as tini.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/supportdesk"]
