# The cascade worker, as a user installs it: the package is built and packed in one stage and installed,
# without development dependencies, in the next. Used by docker-compose.yml (`build: .`).
FROM node:24-slim AS package
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY . .
# `npm pack` builds dist/ first (prepack).
RUN npm pack --pack-destination /tmp && mv /tmp/temporal-cascade-*.tgz /tmp/temporal-cascade.tgz

FROM node:24-slim
ENV NODE_ENV=production
COPY --from=package /tmp/temporal-cascade.tgz /tmp/temporal-cascade.tgz
RUN npm install --global --omit=dev --no-audit --no-fund /tmp/temporal-cascade.tgz \
  && rm /tmp/temporal-cascade.tgz && npm cache clean --force
WORKDIR /app
USER node
CMD ["cascade", "worker"]
