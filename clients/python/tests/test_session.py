import math
import unittest

import numpy as np
import torch

from cohort_client.errors import TaskRefused
from cohort_client.layout import FlatLayout
from cohort_client.session import _Session
from cohort_client.wire import messages
from cohort_client.zoo import Mlp

KIND = messages.WorkTask.Kind


class FakeConnection:
    """The server's side of a run, scripted: the given tasks, then FINISHED; it records what the client sends."""

    def __init__(self, layout, tasks):
        self.layout = layout
        self.tasks = list(tasks)
        self.uploads = []
        self.reports = []
        self.gradients = []
        self.downloads = 0
        self.broadcast = np.linspace(-1, 1, layout.parameter_count, dtype=np.float32)

    def reopen(self):
        pass

    def settings(self):
        return messages.ClientSettings(run_id="run", client=1)

    def register(self, train_samples, test_samples, scores_test_split):
        return messages.RegisterReply(run_id="run", client=1)

    def next_task(self, wait_seconds):
        return self.tasks.pop(0) if self.tasks else messages.WorkTask(kind=KIND.FINISHED)

    def download_broadcast(self, task, parameters, buffers):
        self.downloads += 1
        parameters[:] = self.broadcast
        return messages.BroadcastHeader(round=task.round, parameters=len(parameters), buffers=len(buffers))

    def upload(self, header, update=None, message=None, vectors=()):
        self.uploads.append((header, update, message))
        self.vectors = list(vectors)
        return messages.UpdateReply(accepted=True, round=header.round)

    def download_evaluation_model(self, task, parameters, buffers):
        return self.download_broadcast(task, parameters, buffers)

    def report_evaluation(self, report):
        self.reports.append(report)

    def report_gradient(self, header, gradient):
        self.gradients.append((header, gradient))


def train_task(method="fedavg", compression="none", parameters=None):
    task = messages.WorkTask(kind=KIND.TRAIN, task_id="task-1", round=1, seed=3, client=1)
    task.model.name = "mlp"
    task.model.parameters = parameters
    task.settings.update({"algorithm.name": method, "compression.uplink.name": compression, "client.steps": "1"})
    return task


def nudge(model, task):
    """A train function that moves every parameter by +0.5 and reports two batches."""
    with torch.no_grad():
        for p in model.parameters():
            p.add_(0.5)
    return 3.0, 2


def session(connection, model, layout):
    return _Session(connection, model, layout, nudge, None, 25, 0, "mlp", 0, 1.0, lambda line: None)


class SessionTests(unittest.TestCase):
    def setUp(self):
        self.model = Mlp(inputs=4, classes=3)
        self.layout = FlatLayout(self.model)

    def test_the_update_is_the_trained_parameters_minus_the_broadcast(self):
        connection = FakeConnection(self.layout, [train_task(parameters=self.layout.parameter_count)])
        result = session(connection, self.model, self.layout).run()
        self.assertEqual(result.accepted, 1)
        header, update, message = connection.uploads[0]
        self.assertIsNone(message)
        self.assertEqual((header.task_id, header.round, header.samples, header.loss_sum, header.batches), ("task-1", 1, 25, 3.0, 2))
        self.assertEqual((header.length, header.uplink_bytes), (self.layout.parameter_count, 4 * self.layout.parameter_count))
        # Δ = y − x: the broadcast moved by +0.5 everywhere, up to float32 rounding of x + 0.5 − x.
        np.testing.assert_allclose(update, np.full(self.layout.parameter_count, 0.5, dtype=np.float32), atol=1e-6)

    def test_an_fp16_run_sends_the_update_as_its_frame(self):
        connection = FakeConnection(self.layout, [train_task(compression="fp16", parameters=self.layout.parameter_count)])
        session(connection, self.model, self.layout).run()
        header, update, message = connection.uploads[0]
        self.assertIsNone(update)
        self.assertEqual((header.length, header.message_bytes, header.uplink_bytes), (0, len(message), len(message)))
        decoded = np.frombuffer(message[-2 * self.layout.parameter_count:], dtype="<f2").astype(np.float32)
        np.testing.assert_allclose(decoded, 0.5, atol=1e-3)

    def test_a_round_that_measures_drift_gets_the_trained_parameters_and_the_update_norm_beside_the_update(self):
        task = train_task(compression="fp16", parameters=self.layout.parameter_count)
        task.measures_drift = True
        connection = FakeConnection(self.layout, [task])
        session(connection, self.model, self.layout).run()
        header, _, _ = connection.uploads[0]
        self.assertEqual([(v.name, v.length) for v in header.vectors], [("diagnostics.local", self.layout.parameter_count)])
        # y = x + 0.5 everywhere, so ‖Δ‖ = 0.5·√P (up to float32 rounding of x + 0.5 − x).
        self.assertAlmostEqual(header.scalars["diagnostics.update_norm"], 0.5 * math.sqrt(self.layout.parameter_count), places=4)
        np.testing.assert_allclose(connection.vectors[0], connection.broadcast + 0.5, atol=1e-6)

    def test_a_round_without_drift_sends_the_update_alone(self):
        connection = FakeConnection(self.layout, [train_task(parameters=self.layout.parameter_count)])
        session(connection, self.model, self.layout).run()
        header, _, _ = connection.uploads[0]
        self.assertEqual((list(header.vectors), dict(header.scalars), connection.vectors), ([], {}, []))

    def test_an_evaluation_that_skips_the_score_sends_only_the_gradient(self):
        task = messages.WorkTask(kind=KIND.EVALUATE, task_id="eval-1", round=2, seed=3, client=1, measures_gradient=True, skips_score=True)
        task.settings.update({"client.batch_size": "10"})
        connection = FakeConnection(self.layout, [task])
        gradient = np.arange(self.layout.parameter_count, dtype=np.float32)
        seen = []
        _Session(connection, self.model, self.layout, nudge, lambda m, t: (1, 1, 0.0), 25, 1, "mlp", 0, 1.0, lambda line: None,
                 lambda m, t: seen.append(self.layout.parameters_of(m)) or (gradient, 0.25)).run()
        self.assertEqual(connection.reports, [])
        header, sent = connection.gradients[0]
        self.assertEqual((header.task_id, header.round, header.length, header.sigma2), ("eval-1", 2, self.layout.parameter_count, 0.25))
        self.assertIs(sent, gradient)
        # Measured at the downloaded model.
        np.testing.assert_array_equal(seen[0], connection.broadcast)

    def test_a_task_it_cannot_honour_ends_the_session_with_the_reason_and_sends_nothing(self):
        for method, compression, named in (("scaffold", "none", "algorithm.name scaffold"), ("fedavg", "qsgd", "compression.uplink.name qsgd")):
            connection = FakeConnection(self.layout, [train_task(method, compression, self.layout.parameter_count)])
            with self.assertRaises(TaskRefused) as refused:
                session(connection, self.model, self.layout).run()
            self.assertIn(named, str(refused.exception))
            self.assertEqual((connection.downloads, connection.uploads), (0, []))

    def test_a_model_of_another_size_is_refused_naming_both_counts(self):
        connection = FakeConnection(self.layout, [train_task(parameters=199_210)])
        with self.assertRaises(TaskRefused) as refused:
            session(connection, self.model, self.layout).run()
        self.assertIn(f"199210 parameters and 0 buffers on the server, but this client's module has {self.layout.parameter_count} and 0", str(refused.exception))


if __name__ == "__main__":
    unittest.main()
