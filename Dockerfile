# Kelu 客路 — the production image: `node dist/main.js` as PID 1's only child-free process, as a non-root user.
# It mirrors what .ci/run tests on every change: `npm ci` (whose `prepare` runs `npm run build`: tsc to
# dist/, the PGlite template, the dashboard bundle) and then the built server (test/main.test.ts starts
# `node dist/main.js`, checks /readyz and a clean SIGTERM). It cannot be built on the development machine
# (no image registry there); keep it in step with .ci/run and package.json's scripts.

# ---- build: every dependency (tsc is a dev dependency), then the build ------------------------------
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# No lifecycle scripts yet: `prepare` would build before the sources are here.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
COPY views ./views
COPY seed ./seed
COPY drizzle ./drizzle
RUN npm run build

# ---- runtime: production dependencies and the built server only -------------------------------------
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 KELU_DATA_DIR=/data
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` (npm run build) needs tsc, a dev dependency; dist/ comes from the build stage.
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY drizzle ./drizzle
COPY views ./views
COPY seed ./seed
COPY bin ./bin
# The embedded database, generated master key and admin token live in /data (unused with DATABASE_URL).
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
# Readiness answers 503 while draining after SIGTERM, so an orchestrator stops routing here first.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# The server itself receives SIGTERM (no npm, no shell in between): it drains keep-alive connections
# (KELU_DRAIN_MS), finishes claimed queue rows and exits 0. Give it more than KELU_DRAIN_MS + 10 s to stop.
STOPSIGNAL SIGTERM
CMD ["node", "dist/main.js"]
