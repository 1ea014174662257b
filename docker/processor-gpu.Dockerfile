# syntax=docker/dockerfile:1
# The processor on NVIDIA GPUs: CUDA 12 + cuDNN 9 runtime, with onnxruntime-node's CUDA execution
# provider installed at build time. Build from the repository root:
#   docker build -f docker/processor-gpu.Dockerfile -t photo-pipeline/processor-gpu .
ARG NODE_IMAGE=node:24-bookworm-slim
ARG CUDA_IMAGE=nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04

FROM ${NODE_IMAGE} AS node

FROM node AS build
ARG PNPM_VERSION=10.34.9
ENV CI=true ONNXRUNTIME_NODE_INSTALL=skip
RUN npm install --global --no-audit --no-fund "pnpm@${PNPM_VERSION}"
WORKDIR /repo
COPY . .
RUN pnpm install --frozen-lockfile --filter "@photo-pipeline/processor..."
RUN pnpm --filter "@photo-pipeline/processor..." run build
RUN test -f services/processor/model/inverse-area.onnx -a -f services/processor/model/inverse-area-cuda.onnx || pnpm --filter @photo-pipeline/processor run model:build
RUN pnpm --config.inject-workspace-packages=true --filter @photo-pipeline/processor deploy --prod /bundle
# onnxruntime-node, koffi and @julusian/jpeg-turbo ship binaries for every platform (~280 MB we never
# load); keep linux-x64 only (the production-bundle test runs the same script, then starts the bundle).
RUN sh services/processor/scripts/trim-bundle.sh /bundle
# pnpm-workspace.yaml blocks onnxruntime-node's install script (it only downloads CUDA libraries);
# run it here, explicitly, for CUDA 12. It adds the CUDA provider next to the bundled CPU build.
WORKDIR /bundle
RUN ONNXRUNTIME_NODE_INSTALL=cuda12 node node_modules/onnxruntime-node/script/install.js \
  && ls node_modules/onnxruntime-node/bin/napi-v6/linux/x64/ | grep -q providers_cuda

FROM ${CUDA_IMAGE} AS runtime
COPY --from=node /usr/local/bin/node /usr/local/bin/node
RUN groupadd --system --gid 10001 app \
  && useradd --system --uid 10001 --gid app --no-create-home --shell /usr/sbin/nologin app
ENV NODE_ENV=production EXECUTION_PROVIDER=cuda NVIDIA_VISIBLE_DEVICES=all NVIDIA_DRIVER_CAPABILITIES=compute,utility
# Huge pages for malloc's large buffers (glibc >= 2.35; README "Memory").
ENV GLIBC_TUNABLES=glibc.malloc.hugetlb=1
WORKDIR /app
COPY --from=build /bundle /app
USER app
CMD ["node", "dist/entry/main.js"]
