"""Generates cohort_client/_generated from the protocol's .proto files in src/Cohort.Transport/Protos.

Uses Debian's protoc (protobuf-compiler 3.21) for the messages and its gRPC plugin (protobuf-compiler-grpc 1.51,
grpc_python_plugin) for the service stub. Run after changing a .proto file (python3 generate_stubs.py);
tests/test_stubs.py regenerates them and compares, so the committed stubs are always protoc's own output for
the committed .proto files.
"""
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PROTOS = os.path.normpath(os.path.join(HERE, "..", "..", "src", "Cohort.Transport", "Protos"))
FILES = ["cohort/v1/federated.proto", "cohort/v1/service.proto"]
OUT = os.path.join(HERE, "cohort_client", "_generated")


def generate(out):
    """Writes the messages (*_pb2.py) and the service stub (service_pb2_grpc.py) under out/cohort/v1."""
    protoc = shutil.which("protoc")
    plugin = shutil.which("grpc_python_plugin")
    if protoc is None or plugin is None:
        raise RuntimeError("generating the stubs needs protoc and grpc_python_plugin (Debian: protobuf-compiler protobuf-compiler-grpc; scripts/python-client-deps.sh).")
    os.makedirs(out, exist_ok=True)
    subprocess.run([protoc, "-I" + PROTOS, "--plugin=protoc-gen-grpc_python=" + plugin,
                    "--python_out=" + out, "--grpc_python_out=" + out] + FILES, check=True)


if __name__ == "__main__":
    generate(sys.argv[1] if len(sys.argv) > 1 else OUT)
