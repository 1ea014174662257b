# syntax=docker/dockerfile:1
# The upload API. Build from the repository root:
#   docker build -f docker/api.Dockerfile -t photo-pipeline/api .
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
ARG PNPM_VERSION=10.34.9
ENV CI=true ONNXRUNTIME_NODE_INSTALL=skip
RUN npm install --global --no-audit --no-fund "pnpm@${PNPM_VERSION}"
WORKDIR /repo
COPY . .
RUN pnpm install --frozen-lockfile --filter "@photo-pipeline/api..."
# Builds @photo-pipeline/shared first (its exports' default condition points at dist/), then the API.
RUN pnpm --filter "@photo-pipeline/api..." run build
# The production bundle: the API's files, shared (with its dist) and production dependencies only, at
# the lockfile's versions. Injected workspace packages make deploy use the shared lockfile (the legacy
# deploy would resolve versions again from the registry); the setting applies to this build only.
RUN pnpm --config.inject-workspace-packages=true --filter @photo-pipeline/api deploy --prod /bundle

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
# Huge pages for malloc's large buffers (glibc >= 2.35; README "Memory").
ENV GLIBC_TUNABLES=glibc.malloc.hugetlb=1
WORKDIR /app
# Owned by root and only readable by the runtime user: the service cannot change its own code.
COPY --from=build /bundle /app
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/entry/server.js"]
