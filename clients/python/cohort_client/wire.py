"""The protocol's messages and service stub, generated from src/Cohort.Transport/Protos (generate_stubs.py)."""
import os
import sys

# protoc's Python output imports its modules by the .proto package path (cohort.v1.*).
_GENERATED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_generated")
if _GENERATED not in sys.path:
    sys.path.append(_GENERATED)

from cohort.v1 import federated_pb2 as messages  # noqa: E402
from cohort.v1 import service_pb2 as service  # noqa: E402
from cohort.v1 import service_pb2_grpc as service_grpc  # noqa: E402

__all__ = ["messages", "service", "service_grpc"]
