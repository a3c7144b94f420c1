import unittest

from cohort_client import tasks
from cohort_client.errors import TaskRefused
from cohort_client.wire import messages


def train_task(round=1, exchange=0, **settings):
    task = messages.WorkTask(kind=messages.WorkTask.Kind.TRAIN, task_id="t", round=round, exchange=exchange, seed=3, client=1)
    task.settings.update({"algorithm.name": "fedavg", "compression.uplink.name": "none", **settings})
    return task


class TaskCheckTests(unittest.TestCase):
    def test_methods_that_need_only_the_update_are_taken(self):
        for method in ("fedavg", "fedprox", "fedavgm", "fedadam", "fedadagrad", "fedyogi"):
            for compression in ("none", "fp16"):
                tasks.check(train_task(**{"algorithm.name": method, "compression.uplink.name": compression,
                                          "privacy.mechanism": "central", "robust.worker_momentum": "0.0"}))

    def test_a_method_that_sends_more_than_the_update_is_refused_naming_it(self):
        with self.assertRaises(TaskRefused) as refused:
            tasks.check(train_task(**{"algorithm.name": "scaffold"}))
        self.assertIn("algorithm.name scaffold", str(refused.exception))
        self.assertIn("fedavg, fedprox", str(refused.exception))

    def test_an_uplink_compression_other_than_fp16_is_refused_naming_it(self):
        with self.assertRaises(TaskRefused) as refused:
            tasks.check(train_task(**{"compression.uplink.name": "topk"}))
        self.assertIn("compression.uplink.name topk", str(refused.exception))

    def test_client_settings_it_does_not_implement_are_refused(self):
        for key, value in (("client.optimizer", "adam"), ("compression.uplink.error_feedback", "ef"), ("privacy.mechanism", "dp-sgd"),
                           ("client.tau.distribution", "uniform"), ("client.adversarial", "pgd"), ("robust.worker_momentum", "0.9")):
            with self.assertRaises(TaskRefused) as refused:
                tasks.check(train_task(**{key: value}))
            self.assertIn(f"{key} {value}", str(refused.exception))

    def test_a_new_client_is_taken_without_a_personal_model_and_refused_with_one(self):
        task = train_task(round=5, **{"algorithm.name": "fedavg"})
        task.new_client = True
        tasks.check_new_client(task)
        task.settings["algorithm.name"] = "ditto"
        with self.assertRaises(TaskRefused) as refused:
            tasks.check_new_client(task)
        self.assertIn("held out of training", str(refused.exception))
        self.assertIn("algorithm.name ditto", str(refused.exception))

    def test_a_second_exchange_is_refused(self):
        with self.assertRaises(TaskRefused):
            tasks.check(train_task(exchange=1))


class TrainingTaskTests(unittest.TestCase):
    def test_epochs_are_steps_of_whole_and_short_batches(self):
        # 25 samples in batches of 10: 3 steps an epoch (10, 10, 5), so 2 epochs are 6 steps.
        work = tasks.training_task(train_task(**{"client.epochs": "2", "client.batch_size": "10"}), 25)
        self.assertEqual(work.steps, 6)
        self.assertEqual(tasks.training_task(train_task(**{"client.batch_size": "10"}), 25).steps, 3)

    def test_steps_mu_and_the_optimizer_settings_come_from_the_task(self):
        work = tasks.training_task(train_task(**{"algorithm.name": "fedprox", "algorithm.mu": "0.5", "client.steps": "7",
                                                 "client.lr": "0.1", "client.momentum": "0.9", "client.weight_decay": "0.001"}), 25)
        self.assertEqual((work.steps, work.mu, work.learning_rate, work.momentum, work.weight_decay), (7, 0.5, 0.1, 0.9, 0.001))
        self.assertEqual(tasks.training_task(train_task(**{"algorithm.mu": "0.5"}), 25).mu, 0.0)


if __name__ == "__main__":
    unittest.main()
