# A virtual HT813 in a container. Build: docker build -t ht813 .
# Run:   docker run -p 8080:8080 -v ht813-data:/unit ht813
FROM node:20-slim AS build
WORKDIR /app
# better-sqlite3 is compiled from source.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-slim
WORKDIR /app
ENV NODE_ENV=production HT813_DIST=1
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
COPY --from=build /app/package.json ./
VOLUME /unit
EXPOSE 8080 8443 22 5060/udp 5062/udp 7547
# In a container the unit listens on every interface of its own network namespace.
CMD ["npm", "start", "--", "--data", "/unit", "--bind", "0.0.0.0", "--web-port", "8080", "--https-port", "8443"]
