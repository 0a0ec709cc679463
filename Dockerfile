# syntax=docker/dockerfile:1
# The Zhihui service: the API, the docs page and the dashboard on one port.
# Build: docker build -t zhihui .      Run several behind a proxy: see docker-compose.yml.

# 1. The service, in release mode, with the versions in Cargo.lock.
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    cargo build --release --locked -p zhihui-server \
 && cp target/release/zhihui /usr/local/bin/zhihui

# 2. The dashboard: the Yew app compiled to wasm32 and bound by wasm-bindgen-cli at the
#    version in Cargo.lock (scripts/build-frontend), into frontend/dist.
FROM rust:1.95-bookworm AS frontend
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    rustup target add wasm32-unknown-unknown \
 && bash scripts/build-frontend

# 3. The CJK font printed documents embed (Noto Sans SC, OFL), from the npm registry.
FROM node:20-bookworm-slim AS fonts
WORKDIR /src
COPY scripts/fetch-fonts scripts/fetch-fonts
RUN bash scripts/fetch-fonts

# 4. A small runtime image, run as an unprivileged user.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /var/lib/zhihui zhihui \
 && mkdir -p /var/lib/zhihui && chown zhihui /var/lib/zhihui
COPY --from=build /usr/local/bin/zhihui /usr/local/bin/zhihui
COPY --from=fonts /src/target/fonts /opt/zhihui/fonts
COPY --from=frontend /src/frontend/dist /opt/zhihui/frontend
ENV ZHIHUI_MODE=production \
    ZHIHUI_BIND=0.0.0.0:8080 \
    ZHIHUI_DATA_DIR=/var/lib/zhihui \
    ZHIHUI_FONT_DIR=/opt/zhihui/fonts \
    ZHIHUI_FRONTEND_DIR=/opt/zhihui/frontend
USER zhihui
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/readyz >/dev/null || exit 1
ENTRYPOINT ["zhihui"]
CMD ["serve"]
