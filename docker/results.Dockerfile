# syntax=docker/dockerfile:1
# The results CLI as a one-off task: arguments after the image name are the CLI's arguments, e.g.
#   docker run --rm photo-pipeline/results get 01J...
# Build from the repository root:
#   docker build -f docker/results.Dockerfile -t photo-pipeline/results .
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
ARG PNPM_VERSION=10.34.9
ENV CI=true ONNXRUNTIME_NODE_INSTALL=skip
RUN npm install --global --no-audit --no-fund "pnpm@${PNPM_VERSION}"
WORKDIR /repo
COPY . .
RUN pnpm install --frozen-lockfile --filter "@photo-pipeline/results..."
RUN pnpm --filter "@photo-pipeline/results..." run build
RUN pnpm --config.inject-workspace-packages=true --filter @photo-pipeline/results deploy --prod /bundle

FROM ${NODE_IMAGE} AS runtime
# Reports go to S3 (REPORTS_PREFIX in the processed bucket); a local copy would be lost with the container.
ENV NODE_ENV=production REPORT_OUTPUT_DIR=none
WORKDIR /app
COPY --from=build /bundle /app
USER node
ENTRYPOINT ["node", "dist/entry/cli.js"]
CMD ["--help"]
