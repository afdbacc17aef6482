# Build: assets from npm, then a static Go binary; run it on a small image.
FROM node:20-bookworm-slim AS assets
WORKDIR /src
COPY package.json package-lock.json ./
COPY scripts/assets.sh scripts/
RUN npm ci --no-audit --no-fund && mkdir -p static && ./scripts/assets.sh

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
COPY --from=assets /src/static/vendor static/vendor
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/idcard ./backend/cmd/idcard

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/idcard /idcard
ENV IDCARD_ADDR=:8080 IDCARD_DATA_DIR=/data
EXPOSE 8080
USER nonroot
ENTRYPOINT ["/idcard"]
CMD ["serve"]
