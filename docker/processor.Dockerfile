# syntax=docker/dockerfile:1
# The processor on CPU (onnxruntime-node's CPU build ships inside the npm package). Build from the root:
#   docker build -f docker/processor.Dockerfile -t photo-pipeline/processor .
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
ARG PNPM_VERSION=10.34.9
ENV CI=true ONNXRUNTIME_NODE_INSTALL=skip
RUN npm install --global --no-audit --no-fund "pnpm@${PNPM_VERSION}"
WORKDIR /repo
COPY . .
RUN pnpm install --frozen-lockfile --filter "@photo-pipeline/processor..."
RUN pnpm --filter "@photo-pipeline/processor..." run build
# The default model is built from code by the repository's script when it is not checked in.
RUN test -f services/processor/model/inverse-area.onnx -a -f services/processor/model/inverse-area-cuda.onnx || pnpm --filter @photo-pipeline/processor run model:build
RUN pnpm --config.inject-workspace-packages=true --filter @photo-pipeline/processor deploy --prod /bundle
# onnxruntime-node, koffi and @julusian/jpeg-turbo ship binaries for every platform (~280 MB we never
# load); keep linux-x64 only (the production-bundle test runs the same script, then starts the bundle).
RUN sh services/processor/scripts/trim-bundle.sh /bundle

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production EXECUTION_PROVIDER=cpu
# Huge pages for malloc's large buffers (glibc >= 2.35; README "Memory").
ENV GLIBC_TUNABLES=glibc.malloc.hugetlb=1
WORKDIR /app
COPY --from=build /bundle /app
USER node
# Drains the queue and exits when idle; ECS (initProcessEnabled) or compose (init: true) forward SIGTERM.
CMD ["node", "dist/entry/main.js"]
