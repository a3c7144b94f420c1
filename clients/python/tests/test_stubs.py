import filecmp
import os
import tempfile
import unittest

import generate_stubs


class StubTests(unittest.TestCase):
    def test_the_committed_stubs_are_what_protoc_generates_from_the_proto_files(self):
        with tempfile.TemporaryDirectory() as out:
            generate_stubs.generate(out)
            generated = os.path.join(out, "cohort", "v1")
            committed = os.path.join(generate_stubs.OUT, "cohort", "v1")
            names = sorted(os.listdir(generated))
            self.assertEqual(names, ["federated_pb2.py", "federated_pb2_grpc.py", "service_pb2.py", "service_pb2_grpc.py"])
            self.assertEqual(sorted(n for n in os.listdir(committed) if n.endswith(".py")), names)
            for name in names:
                self.assertTrue(filecmp.cmp(os.path.join(generated, name), os.path.join(committed, name), shallow=False),
                                f"{name} differs from protoc's output: run python3 clients/python/generate_stubs.py")


if __name__ == "__main__":
    unittest.main()
