"""The client's side of the gRPC service cohort.v1.Federation (docs/protocol.md): one method per call, each with a
deadline, the token in every call's metadata, vectors moved in chunks of little-endian float32."""
import urllib.parse

import grpc
import numpy as np

from .errors import Refused, Unreachable, Untrusted
from .wire import messages, service, service_grpc

# Deadlines (seconds) as Cohort's own client gives them: a small call, and a download or upload on a slow link.
SHORT_CALL = 30
TRANSFER_CALL = 600
# Values (float32) and bytes in one chunk: 1 MiB, as Cohort sends; one gRPC message is at most 4 MiB.
CHUNK_VALUES = 1 << 18
CHUNK_BYTES = 1 << 20
MAX_MESSAGE_BYTES = 4 << 20

_CHANNEL_OPTIONS = [
    ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
    ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
    # Pings keep a long poll's connection open through middleboxes and find a dead server.
    ("grpc.keepalive_time_ms", 30_000),
    ("grpc.keepalive_timeout_ms", 20_000),
    # A server that was down is tried again within seconds, not after gRPC's default backoff of up to two minutes.
    ("grpc.initial_reconnect_backoff_ms", 200),
    ("grpc.min_reconnect_backoff_ms", 200),
    ("grpc.max_reconnect_backoff_ms", 5_000),
    # The session's own loop knows which refusals are worth another try.
    ("grpc.enable_retries", 0),
    # A channel of its own: a reopened channel (Connection.reopen) does not take over the old one's connection attempts.
    ("grpc.use_local_subchannel_pool", 1),
]


def open_channel(url, ca=None):
    """A channel to `https://HOST:PORT` (TLS, checked against the PEM authority `ca` or the system's) or a loopback `http://` one."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname or parts.port is None:
        raise ValueError(f"server URL {url!r}: expected https://HOST:PORT (or http://127.0.0.1:PORT for a loopback test server).")
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    target = f"{host}:{parts.port}"
    if parts.scheme == "http":
        return grpc.insecure_channel(target, options=_CHANNEL_OPTIONS)
    root = None
    if ca is not None:
        with open(ca, "rb") as f:
            root = f.read()
    return grpc.secure_channel(target, grpc.ssl_channel_credentials(root_certificates=root), options=_CHANNEL_OPTIONS)


class Connection:
    """The protocol's calls for one client; failures are raised as Refused, Unreachable or Untrusted."""

    def __init__(self, url, token, ca=None):
        self._url, self._ca = url, ca
        self._metadata = (("authorization", f"Bearer {token}"),) if token else ()
        self._channel = None
        self.reopen()

    def reopen(self):
        """Starts over on a new channel. grpcio 1.51's channel that first met a server not yet listening can go on failing
        its TLS handshakes ("Handshake read failed") after the server is up; a new channel connects."""
        if self._channel is not None:
            self._channel.close()
        self._channel = open_channel(self._url, self._ca)
        self._calls = service_grpc.FederationStub(self._channel)

    def close(self):
        self._channel.close()

    def settings(self):
        return self._call(lambda: self._calls.GetSettings(service.SettingsRequest(), metadata=self._metadata, timeout=SHORT_CALL))

    def register(self, train_samples, test_samples, scores_test_split):
        request = messages.RegisterRequest(train_samples=train_samples, test_samples=test_samples, scores_test_split=scores_test_split)
        return self._call(lambda: self._calls.Register(request, metadata=self._metadata, timeout=SHORT_CALL))

    def next_task(self, wait_seconds):
        """The next task, waiting up to wait_seconds on the server for one to appear."""
        def call():
            for task in self._calls.NextTask(service.TaskRequest(wait_seconds=wait_seconds), metadata=self._metadata, timeout=SHORT_CALL + wait_seconds):
                return task
            raise Unreachable("task: the server ended the call without a task.")
        return self._call(call)

    def download_broadcast(self, task, parameters, buffers):
        """The broadcast of a task's exchange into the float32 arrays parameters and buffers; returns its header.

        The client never says which model view it holds, so the model always comes dense (docs/protocol.md)."""
        request = service.BroadcastRequest(round=task.round, exchange=task.exchange, with_model=task.exchange > 0)
        return self._download(lambda: self._calls.DownloadBroadcast(request, metadata=self._metadata, timeout=TRANSFER_CALL), "broadcast", parameters, buffers)

    def download_evaluation_model(self, task, parameters, buffers):
        """The model an EVALUATE task scores (after task.round) into parameters and buffers; returns its header."""
        request = service.EvaluationModelRequest(round=task.round)
        return self._download(lambda: self._calls.DownloadEvaluationModel(request, metadata=self._metadata, timeout=TRANSFER_CALL), "evaluation", parameters, buffers)

    def upload(self, header, update=None, message=None, vectors=()):
        """Sends an update: the header, then the compressed frame (bytes), then the dense update (float32) and the
        header's vectors (float32, in its order) as one run of offsets, in chunks."""
        def parts():
            yield service.UploadPart(header=header)
            if message is not None:
                for offset in range(0, len(message), CHUNK_BYTES):
                    yield service.UploadPart(message=messages.MessageChunk(offset=offset, data=bytes(message[offset:offset + CHUNK_BYTES])))
            values = [update] if update is not None else []
            yield from _tensor_chunks(service.UploadPart, values + list(vectors))
        return self._call(lambda: self._calls.Upload(parts(), metadata=self._metadata, timeout=TRANSFER_CALL))

    def report_evaluation(self, report):
        return self._call(lambda: self._calls.ReportEvaluation(report, metadata=self._metadata, timeout=SHORT_CALL))

    def report_gradient(self, header, gradient):
        """Sends a sampled client's gradient (float32) and σ² (in the header) at an evaluated round's model, in chunks."""
        def parts():
            yield service.GradientPart(header=header)
            yield from _tensor_chunks(service.GradientPart, [gradient])
        return self._call(lambda: self._calls.ReportGradient(parts(), metadata=self._metadata, timeout=TRANSFER_CALL))

    def _download(self, start, what, parameters, buffers):
        def call():
            stream = start()
            header = None
            filled = 0
            targets = [parameters, buffers]
            total = len(parameters) + len(buffers)
            for part in stream:
                kind = part.WhichOneof("part")
                if header is None:
                    if kind != "header":
                        raise Unreachable(f"{what}: the server's stream does not start with a header.")
                    header = part.header
                    if header.parameters != len(parameters) or header.buffers != len(buffers) or header.model_message_bytes != 0:
                        # Checked by the caller against the task; nothing is read past a header that does not fit.
                        stream.cancel()
                        return header
                    total += sum(v.length for v in header.downlink)
                    continue
                if kind != "tensor" or part.tensor.offset != filled:
                    raise Unreachable(f"{what}: expected values from offset {filled}, got a {kind} part.")
                values = np.frombuffer(part.tensor.values, dtype="<f4")
                if filled + len(values) > total:
                    raise Unreachable(f"{what}: values past the {total} announced.")
                _scatter(targets, filled, values)
                filled += len(values)
            if header is None or filled != total:
                raise Unreachable(f"{what}: the stream ended after {filled} of {total} values.")
            return header
        return self._call(call)

    @staticmethod
    def _call(call):
        try:
            return call()
        except grpc.RpcError as e:
            raise translate(e) from e


def _tensor_chunks(part, vectors):
    """TensorChunk parts covering the vectors laid end to end, offsets counted across them."""
    start = 0
    for vector in vectors:
        values = np.ascontiguousarray(vector, dtype="<f4")
        for offset in range(0, len(values), CHUNK_VALUES):
            yield part(tensor=messages.TensorChunk(offset=start + offset, values=values[offset:offset + CHUNK_VALUES].tobytes()))
        start += len(values)


def _scatter(targets, offset, values):
    """Copies a chunk that starts at `offset` of the run of targets laid end to end (values past them are downlink vectors, not kept)."""
    start = 0
    for target in targets:
        end = start + len(target)
        lo, hi = max(offset, start), min(offset + len(values), end)
        if lo < hi:
            target[lo - start:hi - start] = values[lo - offset:hi - offset]
        start = end


def translate(error):
    """A refusal (the `cohort-status` trailer present) from a server out of reach or a TLS failure."""
    trailers = dict(error.trailing_metadata() or ())
    detail = error.details() or ""
    if "cohort-status" in trailers:
        return Refused(int(trailers["cohort-status"]), detail)
    if any(word in detail for word in ("CERTIFICATE_VERIFY_FAILED", "Ssl handshake failed", "certificate verify failed")):
        return Untrusted(f"the server's certificate is not trusted ({detail}).")
    if error.code() in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED, grpc.StatusCode.CANCELLED,
                        grpc.StatusCode.INTERNAL, grpc.StatusCode.UNKNOWN):
        return Unreachable(f"the call ended with {error.code().name}: {detail}")
    return Refused(error.code().name, detail)
