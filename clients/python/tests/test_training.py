import math
import unittest

import numpy as np
import torch

from cohort_client import training
from cohort_client.layout import FlatLayout
from cohort_client.tasks import TrainingTask


def task(steps, lr, mu=0.0, batch_size=1):
    return TrainingTask(round=1, client=0, seed=0, steps=steps, batch_size=batch_size, learning_rate=lr,
                        momentum=0.0, weight_decay=0.0, mu=mu)


def softmax_regression(inputs, classes):
    model = torch.nn.Linear(inputs, classes)
    with torch.no_grad():
        model.weight.zero_()
        model.bias.zero_()
    return model


class GradientSpreadTests(unittest.TestCase):
    def setUp(self):
        torch.manual_seed(5)
        self.model = torch.nn.Linear(3, 4)
        self.layout = FlatLayout(self.model)
        self.inputs, self.targets = torch.randn(7, 3), torch.tensor([0, 1, 2, 3, 0, 1, 2])

    def full_gradient(self):
        """∇ of the mean loss over all samples at once, by autograd: the mean of the batches' gradients weighted by size."""
        self.model.zero_grad()
        torch.nn.functional.cross_entropy(self.model(self.inputs), self.targets).backward()
        return self.layout.gradients_of(self.model)

    def test_the_gradient_is_the_full_batch_gradient_whatever_the_batches(self):
        expected = self.full_gradient()
        for batch in (1, 3, 7):
            gradient, sigma2 = training.gradient_spread(self.model, self.layout, task(1, 0.1, batch_size=batch), self.inputs, self.targets)
            np.testing.assert_allclose(gradient, expected, atol=1e-6)
            self.assertGreaterEqual(sigma2, 0.0)

    def test_sigma2_is_zero_for_one_batch_and_the_mean_squared_deviation_of_single_samples(self):
        _, one = training.gradient_spread(self.model, self.layout, task(1, 0.1, batch_size=7), self.inputs, self.targets)
        self.assertAlmostEqual(one, 0.0, places=6)
        # Batches of one: σ² = (1/n) Σᵢ ‖∇fᵢ − ∇f‖², each sample's gradient by autograd.
        mean = self.full_gradient()
        deviations = []
        for i in range(len(self.targets)):
            self.model.zero_grad()
            torch.nn.functional.cross_entropy(self.model(self.inputs[i:i + 1]), self.targets[i:i + 1]).backward()
            deviations.append(float(np.sum((self.layout.gradients_of(self.model).astype(np.float64) - mean) ** 2)))
        _, sigma2 = training.gradient_spread(self.model, self.layout, task(1, 0.1, batch_size=1), self.inputs, self.targets)
        self.assertAlmostEqual(sigma2, float(np.mean(deviations)), places=5)


class TrainSgdTests(unittest.TestCase):
    def test_one_step_from_zero_weights_is_the_hand_computed_softmax_gradient_step(self):
        # x = (1, 2), label 0, W = 0: p = (½, ½), ∂W = (p − e₀)xᵀ = [[−½, −1], [½, 1]], ∂b = (−½, ½), loss ln 2.
        model = softmax_regression(2, 2)
        loss_sum, batches = training.train_sgd(model, task(1, 0.1), torch.tensor([[1.0, 2.0]]), torch.tensor([0]))
        self.assertEqual(batches, 1)
        self.assertAlmostEqual(loss_sum, math.log(2), places=6)
        np.testing.assert_allclose(model.weight.detach().numpy(), [[0.05, 0.1], [-0.05, -0.1]], rtol=1e-6)
        np.testing.assert_allclose(model.bias.detach().numpy(), [0.05, -0.05], rtol=1e-6)

    def test_fedprox_adds_mu_times_the_distance_from_the_broadcast_to_each_gradient(self):
        # Li et al. 2020: y ← y − η(∇f(y) + μ(y − x)); three steps on one sample, against the formula in numpy.
        x, label, lr, mu = np.array([1.0, -2.0, 0.5]), 2, 0.3, 0.7
        model = softmax_regression(3, 3)
        with torch.no_grad():
            model.weight.copy_(torch.tensor([[0.1, 0.2, -0.1], [0.0, -0.3, 0.2], [0.05, 0.1, 0.0]]))
        w0, b0 = model.weight.detach().double().numpy().copy(), model.bias.detach().double().numpy().copy()
        w, b, losses = w0.copy(), b0.copy(), 0.0
        for _ in range(3):
            z = w @ x + b
            p = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
            losses += -math.log(p[label])
            g = p - np.eye(3)[label]
            w, b = w - lr * (np.outer(g, x) + mu * (w - w0)), b - lr * (g + mu * (b - b0))
        loss_sum, _ = training.train_sgd(model, task(3, lr, mu), torch.from_numpy(x[None, :]).float(), torch.tensor([label]))
        self.assertAlmostEqual(loss_sum, losses, places=5)
        np.testing.assert_allclose(model.weight.detach().numpy(), w, atol=1e-6)
        np.testing.assert_allclose(model.bias.detach().numpy(), b, atol=1e-6)

    def test_an_epoch_visits_every_sample_once_in_batches_the_last_short(self):
        seen = []

        class Recorder(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.scale = torch.nn.Parameter(torch.ones(1))

            def forward(self, x):
                seen.append(x[:, 0].long().tolist())
                return torch.cat([x * self.scale, -x * self.scale], dim=1)

        inputs = torch.arange(5, dtype=torch.float32).unsqueeze(1)
        training.train_sgd(Recorder(), task(3, 0.0, batch_size=2), inputs, torch.zeros(5, dtype=torch.long))
        self.assertEqual([len(b) for b in seen], [2, 2, 1])
        self.assertEqual(sorted(sum(seen, [])), [0, 1, 2, 3, 4])


class ScoreTests(unittest.TestCase):
    def test_uniform_logits_score_the_first_class_and_ln_classes_a_sample(self):
        # W = 0: every logit 0, argmax class 0, each sample's cross-entropy ln 3.
        model = softmax_regression(2, 3)
        labels = torch.tensor([0, 1, 2, 0, 2])
        correct, count, loss_sum = training.score(model, torch.randn(5, 2), labels, batch_size=2)
        self.assertEqual((correct, count), (2, 5))
        self.assertAlmostEqual(loss_sum, 5 * math.log(3), places=5)


if __name__ == "__main__":
    unittest.main()
