# Build and run on Node 24 LTS, the same major as development and CI (package.json engines).
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
COPY migrations ./migrations
# The console and the phone app are built with the server (npm run build → build:web).
COPY web ./web
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim
ENV NODE_ENV=production
# The photos' 水印 (derived copies) is Chinese text: a CJK font for sharp's SVG renderer.
RUN apt-get update && apt-get install -y --no-install-recommends fonts-wqy-microhei \
  && rm -rf /var/lib/apt/lists/*
# A heap cap keeps RSS under 300 MB under load (measured in bench/); streaming exports stay flat.
# The young generation is capped too: under the 192 MB cap V8 otherwise grows it to 128 MB, which
# counts against the limit and turns every few hundred requests into a full mark-compact.
ENV NODE_OPTIONS="--max-old-space-size=192 --max-semi-space-size=16"
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY config ./config
RUN mkdir -p /app/storage && chown node:node /app/storage
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s CMD node -e "fetch('http://127.0.0.1:3000/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node", "dist/src/main.js"]
