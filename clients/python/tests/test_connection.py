import unittest

import grpc
import numpy as np

from cohort_client.connection import Connection, translate
from cohort_client.errors import Refused, Unreachable, Untrusted
from cohort_client.wire import messages, service


class FakeRpcError(grpc.RpcError):
    def __init__(self, code, details, trailers=()):
        self._code, self._details, self._trailers = code, details, trailers

    def code(self):
        return self._code

    def details(self):
        return self._details

    def trailing_metadata(self):
        return self._trailers


class FakeStream(list):
    cancelled = False

    def cancel(self):
        self.cancelled = True


def chunk(offset, *values):
    return service.DownloadPart(tensor=messages.TensorChunk(offset=offset, values=np.array(values, dtype="<f4").tobytes()))


class TranslateTests(unittest.TestCase):
    def test_a_status_with_the_cohort_status_trailer_is_a_refusal_with_its_code(self):
        error = translate(FakeRpcError(grpc.StatusCode.FAILED_PRECONDITION, "update: round 3 is not open.", (("cohort-status", "409"),)))
        self.assertIsInstance(error, Refused)
        self.assertEqual((error.status, error.reason), (409, "update: round 3 is not open."))

    def test_unavailable_without_the_trailer_is_a_server_out_of_reach(self):
        self.assertIsInstance(translate(FakeRpcError(grpc.StatusCode.UNAVAILABLE, "failed to connect to all addresses")), Unreachable)
        self.assertIsInstance(translate(FakeRpcError(grpc.StatusCode.DEADLINE_EXCEEDED, "Deadline Exceeded")), Unreachable)

    def test_a_certificate_that_does_not_verify_is_untrusted(self):
        detail = "failed to connect to all addresses; last error: UNKNOWN: ipv4:127.0.0.1:1: Ssl handshake failed: SSL_ERROR_SSL: CERTIFICATE_VERIFY_FAILED"
        self.assertIsInstance(translate(FakeRpcError(grpc.StatusCode.UNAVAILABLE, detail)), Untrusted)


class DownloadTests(unittest.TestCase):
    def setUp(self):
        self.connection = Connection("http://127.0.0.1:1", "token")

    def tearDown(self):
        self.connection.close()

    def header(self, parameters, buffers, *downlink):
        return service.DownloadPart(header=messages.BroadcastHeader(round=1, parameters=parameters, buffers=buffers,
                                                                    downlink=[messages.VectorSpec(name=n, length=k) for n, k in downlink]))

    def test_chunks_fill_the_parameters_then_the_buffers_as_one_run_of_offsets(self):
        parameters, buffers = np.zeros(3, dtype=np.float32), np.zeros(2, dtype=np.float32)
        parts = FakeStream([self.header(3, 2), chunk(0, 1, 2), chunk(2, 3, 4), chunk(4, 5)])
        self.connection._download(lambda: parts, "broadcast", parameters, buffers)
        np.testing.assert_array_equal(parameters, [1, 2, 3])
        np.testing.assert_array_equal(buffers, [4, 5])

    def test_a_gap_or_a_short_stream_is_a_broken_download(self):
        parameters, buffers = np.zeros(3, dtype=np.float32), np.zeros(0, dtype=np.float32)
        for parts in ([self.header(3, 0), chunk(0, 1), chunk(2, 3)], [self.header(3, 0), chunk(0, 1, 2)], [chunk(0, 1, 2, 3)]):
            with self.assertRaises(Unreachable):
                self.connection._download(lambda: FakeStream(parts), "broadcast", parameters, buffers)

    def test_a_header_of_another_model_is_returned_unread_for_the_caller_to_refuse(self):
        parts = FakeStream([self.header(7, 0), chunk(0, 1, 2)])
        header = self.connection._download(lambda: parts, "broadcast", np.zeros(3, dtype=np.float32), np.zeros(0, dtype=np.float32))
        self.assertEqual(header.parameters, 7)
        self.assertTrue(parts.cancelled)


if __name__ == "__main__":
    unittest.main()
