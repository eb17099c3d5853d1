# The cascade worker. Used by docker-compose.yml (`build: .`); runs TypeScript directly through tsx.
FROM node:24-slim

ENV NODE_ENV=production
WORKDIR /app

COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

COPY . .

USER node
CMD ["node", "bin/cascade.js", "worker"]
