# syntax=docker/dockerfile:1
# Atelier's image: one image for every role (`start`, `api`, `worker`, `migrate`, `init`), chosen by
# the command. Three stages: the web app is built with the dev dependencies, the runtime gets the
# production dependencies only, and the final image runs as the unprivileged `node` user.
# TypeScript runs as it is (Node 24 strips types, decision 001): there is no compile step for src/.
ARG NODE_VERSION=24.9.0

FROM node:${NODE_VERSION}-bookworm-slim AS web
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY web ./web
COPY clients/typescript/src ./clients/typescript/src
RUN npm run build:web

FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# The models of the offline image pipeline ship inside these packages; nothing is downloaded at run time.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:${NODE_VERSION}-bookworm-slim
# DejaVu: the fonts the local provider renders ad text with (Latin and Persian).
RUN apt-get update \
  && apt-get install -y --no-install-recommends fonts-dejavu-core \
  && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    ATELIER_DATA_DIR=/data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY src ./src
COPY drizzle ./drizzle
COPY --from=web /app/web/dist ./web/dist
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 8080
# Ready means the database, the queue and the storage answer (GET /readyz); a worker has no HTTP
# port, so its service definition turns this check off.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "src/main.ts"]
CMD ["start"]
