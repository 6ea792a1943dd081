# syntax=docker/dockerfile:1
# One Dockerfile for every app of the workspace: the five services, the load generator and
# the journey page (apps/demo). `APP` picks the app, e.g.
#   docker build --build-arg APP=order-api -t mqtrace/order-api .
# The image holds the compiled JavaScript of the app and of the workspace's libraries (all
# of them: together they are smaller than one dependency, and copying all keeps one
# rule for every app), and the production dependencies only; it runs as the non-root user `node`, with OpenTelemetry
# loaded before the app (`node --import @mqtrace/telemetry/register`), as natively.
# NODE_VERSION matches infra/versions.env; on machines without a registry the base image
# is built locally from a Debian root filesystem (infra/scripts/container-images.sh).
ARG NODE_VERSION=24.21.0

# Only the manifests: the dependency layers below are rebuilt when a package.json or the
# lockfile changes, not when a source file does, and are shared by every app's image.
FROM node:${NODE_VERSION}-bookworm-slim AS manifests
COPY . /src
RUN mkdir /manifests && cd /src \
 && find . -name package.json -not -path '*/node_modules/*' -exec cp --parents {} /manifests \; \
 && cp package-lock.json /manifests/

# Every dependency (TypeScript included), then every app and library compiled by tsc, once
# for all the images (the layer is shared); APP picks what goes into this one.
FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /workspace
COPY --from=manifests /manifests ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npx tsc --build apps/*/tsconfig.app.json libs/*/tsconfig.lib.json
ARG APP
RUN test -n "$APP" && test -f "apps/$APP/tsconfig.app.json" || { echo "build with --build-arg APP=<an app of apps/>" >&2; exit 1; }
RUN mkdir /out \
 && find libs "apps/$APP" -path '*/dist/*' -not -name '*.tsbuildinfo' -not -name '*.d.ts' -not -name '*.d.ts.map' -exec cp --parents {} /out \; \
 && cp -r --parents libs/journey-page/assets /out

# Production dependencies only, the same for every app.
FROM node:${NODE_VERSION}-bookworm-slim AS production-dependencies
WORKDIR /app
COPY --from=manifests /manifests ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

FROM node:${NODE_VERSION}-bookworm-slim
ARG APP
ENV NODE_ENV=production APP=${APP} OTEL_SERVICE_NAME=${APP} HOST=0.0.0.0 KAFKAJS_NO_PARTITIONER_WARNING=1
WORKDIR /app
COPY --from=production-dependencies /app ./
COPY --from=build /out ./
COPY infra/docker/wait-ready.mjs infra/docker/healthcheck.mjs infra/docker/
USER node
CMD ["sh", "-c", "exec node --import @mqtrace/telemetry/register apps/$APP/dist/main.js"]
