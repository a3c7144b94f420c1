#!/usr/bin/env bash
# Installs what the Python client (clients/python) needs from Debian where it is missing and we may (root, apt-get):
# python3-grpcio, python3-protobuf, python3-torch, and protoc with its gRPC plugin for the stubs (protobuf-compiler,
# protobuf-compiler-grpc: python3-grpc-tools bundles protoc 3.5, which cannot read proto3 `optional`). Prints the
# interpreter that has them. Debian's packages go to /usr/bin/python3's path, so that is the interpreter used
# unless PYTHON names another.
set -euo pipefail
python="${PYTHON:-}"
if [ -z "$python" ]; then
  if [ -x /usr/bin/python3 ]; then python=/usr/bin/python3; else python="$(command -v python3)"; fi
fi
check='import grpc, google.protobuf, torch, numpy'
present() { "$python" -c "$check" >/dev/null 2>&1 && command -v protoc >/dev/null && command -v grpc_python_plugin >/dev/null; }
if ! present; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "python-client-deps: installing python3-grpcio, python3-protobuf, python3-torch, protobuf-compiler, protobuf-compiler-grpc..." >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      python3-grpcio python3-protobuf python3-torch protobuf-compiler protobuf-compiler-grpc >/dev/null
  fi
  if ! present; then
    echo "python-client-deps: $python lacks grpcio, protobuf, torch or numpy, or protoc or grpc_python_plugin is missing; install Debian's python3-grpcio python3-protobuf python3-torch protobuf-compiler protobuf-compiler-grpc (as root)." >&2
    exit 1
  fi
fi
echo "$python"
