# syntax=docker/dockerfile:1
# One image for both apps; the command names the app: `order-service` (default) or `gateway`.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY apps ./apps
COPY libs ./libs
COPY scripts ./scripts
RUN npm run build

# Installed apart from the build so that the dev toolchain (TypeScript, swc, jest) never
# reaches the runtime image.
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
# tini as PID 1, in the image itself so that `docker run`, compose and Kubernetes (which has no
# init option) all get it: node as PID 1 ignores a SIGTERM that arrives before the app has
# installed its shutdown hooks, and the stop would end in SIGKILL.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production
WORKDIR /app
# Owned by root and only readable by the app user, so the app cannot rewrite its own code.
COPY package.json ./
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY scripts/run-app.js ./scripts/run-app.js
# The base image's `node` user, given by number: Kubernetes' runAsNonRoot can only verify a
# numeric UID.
USER 1000:1000
# gateway HTTP, order-service HTTP, order-service TCP (the defaults of the config schemas).
EXPOSE 3000 3101 4101
ENTRYPOINT ["/usr/bin/tini", "--", "node", "scripts/run-app.js"]
CMD ["order-service"]
