# The connectordiff command in a small image, for CI systems without Go:
#
#   docker build -t connectordiff --build-arg VERSION=v1.0.0 .
#   docker run --rm -v "$PWD:/repo" connectordiff compare --base origin/main
#
# The binary is static (CGO_ENABLED=0); git is there for --base, REV:PATH and
# --staged, which read the mounted repository's objects.
FROM golang:1.26-alpine AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=devel
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X github.com/connectordiff/connectordiff.stampedVersion=${VERSION}" -o /out/connectordiff ./cmd/connectordiff

FROM alpine:3.22
# The mounted repository belongs to another user than the container's, which
# git refuses unless told. That check guards against a repository's
# configuration running programs; connectordiff runs only plumbing commands
# that run none (no hook, filter, textconv, monitor or pager, and no git diff),
# a test arms every one of them to show it (README, Security).
RUN apk add --no-cache git && git config --system --add safe.directory '*'
COPY --from=build /out/connectordiff /usr/local/bin/connectordiff
COPY integrations/gate.sh /usr/local/share/connectordiff/gate.sh
WORKDIR /repo
ENTRYPOINT ["connectordiff"]
CMD ["--help"]
