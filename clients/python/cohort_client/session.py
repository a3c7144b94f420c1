"""A client's life in a served run (docs/protocol.md, "A client's loop"): settings, register, then pull tasks (train,
evaluate, wait) until the server says the run is finished. A server out of reach is retried within a window, so a
restarting server does not lose its clients; a task the client cannot honour ends the session with its reason."""
import sys
import time
from dataclasses import dataclass

import numpy as np

from . import frames, tasks
from .connection import Connection
from .errors import Refused, TaskRefused, Unreachable
from .layout import FlatLayout
from .wire import messages

_KIND = messages.WorkTask.Kind
# The uplink vector and scalar a TRAIN task with measures_drift asks for (docs/protocol.md).
DRIFT_LOCAL = "diagnostics.local"
DRIFT_UPDATE_NORM = "diagnostics.update_norm"


@dataclass
class JoinResult:
    run_id: str
    client: int
    # Rounds this client trained whose update the server accepted.
    accepted: int


def join(url, *, token, ca=None, model, train, evaluate=None, gradient=None, train_samples, test_samples=0, layout=None,
         zoo_model=None, poll_seconds=20, retry_window=120.0, log=None):
    """Takes part in the run served at url until it finishes; returns what it did.

    model: the torch.nn.Module trained (the run's zoo model, written in PyTorch); layout: its FlatLayout (default:
    the module's own order). train(model, task) runs the round's local work from the broadcast model on the
    client's train_samples samples (task: tasks.TrainingTask) and returns (loss_sum, batches): the sum of each
    step's mean mini-batch loss, measured before its step, and the steps taken. evaluate(model, task), when
    given with test_samples > 0, scores the model on the client's test split and returns (correct, count,
    loss_sum), count being test_samples and loss_sum the sum of the samples' losses. gradient(model, task), when
    given, makes the gradient diagnostics' pass over the client's training samples at the model as loaded and
    returns (gradient, sigma2): the flat float32 gradient of the parameters and σ² (training.gradient_spread);
    without it a sampled client sends none and is left out of zeta2 and sigma2. At the rounds the drift
    diagnostics measure, the client sends its trained parameters and its update's norm beside the update.
    zoo_model: the zoo name the model stands for, checked against each task's. Raises TaskRefused for a task it
    cannot honour.
    """
    log = log or (lambda line: print(line, file=sys.stderr, flush=True))
    if train_samples < 1:
        raise ValueError("train_samples: a client needs at least one training sample to take part.")
    session = _Session(Connection(url, token, ca), model, layout or FlatLayout(model), train, evaluate if test_samples > 0 else None,
                       train_samples, test_samples, zoo_model, poll_seconds, retry_window, log, gradient)
    try:
        return session.run()
    finally:
        session.connection.close()


class _Session:
    def __init__(self, connection, model, layout, train, evaluate, train_samples, test_samples, zoo_model, poll_seconds, retry_window, log, gradient=None):
        self.connection = connection
        self.gradient = gradient
        self.model = model
        self.layout = layout
        self.train = train
        self.evaluate = evaluate
        self.train_samples = train_samples
        self.test_samples = test_samples
        self.zoo_model = zoo_model
        self.poll_seconds = poll_seconds
        self.retry_window = retry_window
        self.log = log
        self.accepted = 0

    def run(self):
        settings = self._retry(self.connection.settings)
        register = lambda: self.connection.register(self.train_samples, self.test_samples, self.evaluate is not None)  # noqa: E731
        self._retry(register, registering=True)
        self.log(f"client {settings.client}: registered {self.train_samples} training and {self.test_samples} test samples with run {settings.run_id}")
        while True:
            # Registration is repeated after every poll failure: a restarted server may have lost it.
            task = self._retry(lambda: self.connection.next_task(self.poll_seconds), recover=register)
            if task.kind == _KIND.FINISHED:
                self.log(f"client {settings.client}: run finished; {self.accepted} updates accepted")
                return JoinResult(settings.run_id, settings.client, self.accepted)
            if task.kind == _KIND.TRAIN:
                self._train_once(task)
            elif task.kind == _KIND.EVALUATE:
                self._evaluate_once(task)
            else:
                time.sleep(min(max(task.retry_after_ms, 50), 10_000) / 1000)

    def _check_model(self, task):
        spec = task.model
        if self.zoo_model is not None and spec.name != self.zoo_model:
            raise TaskRefused(f"model {spec.name}: this client trains the zoo's {self.zoo_model}.")
        if spec.parameters != self.layout.parameter_count or spec.buffers != self.layout.buffer_count:
            raise TaskRefused(f"model {spec.name} has {spec.parameters} parameters and {spec.buffers} buffers on the server, "
                              f"but this client's module has {self.layout.parameter_count} and {self.layout.buffer_count}.")

    def _download(self, task, fetch):
        parameters = np.empty(self.layout.parameter_count, dtype=np.float32)
        buffers = np.empty(self.layout.buffer_count, dtype=np.float32)
        header = fetch(task, parameters, buffers)
        if header.round != task.round or header.parameters != len(parameters) or header.buffers != len(buffers) or header.model_message_bytes != 0:
            raise Unreachable(f"round {header.round}'s model with {header.parameters} parameters and {header.buffers} buffers; "
                              f"expected round {task.round}'s, {len(parameters)} and {len(buffers)}, dense.")
        if len(header.downlink) > 0:
            raise TaskRefused(f"the broadcast carries server vectors ({', '.join(v.name for v in header.downlink)}), which this client's methods do not use.")
        return parameters, buffers

    def _train_once(self, task):
        tasks.check(task)
        self._check_model(task)
        work = tasks.training_task(task, self.train_samples)
        try:
            parameters, buffers = self._download(task, self.connection.download_broadcast)
            self.layout.load(self.model, parameters, buffers)
            loss_sum, batches = self.train(self.model, work)
            # The update Δ = y − x: the trained parameters minus the broadcast ones.
            update = self.layout.parameters_of(self.model) - parameters
            if not np.all(np.isfinite(update)):
                raise TaskRefused(f"round {task.round}: training left values that are not finite; nothing was sent.")
            header = messages.UpdateHeader(task_id=task.task_id, round=task.round, exchange=task.exchange,
                                           samples=self.train_samples, loss_sum=float(loss_sum), batches=int(batches))
            vectors = []
            if task.measures_drift:
                # The round's drift diagnostics: the local model y and the update's norm ‖Δ‖, before compression.
                local = self.layout.parameters_of(self.model)
                header.vectors.append(messages.VectorSpec(name=DRIFT_LOCAL, length=len(local)))
                header.scalars[DRIFT_UPDATE_NORM] = float(np.sqrt(np.dot(update.astype(np.float64), update.astype(np.float64))))
                vectors.append(local)
            if work.settings.get("compression.uplink.name", "none") == "fp16":
                frame = frames.fp16_frame(update)
                header.message_bytes = header.uplink_bytes = len(frame)
                self.connection.upload(header, message=frame, vectors=vectors)
            else:
                header.length = len(update)
                header.uplink_bytes = 4 * len(update)
                self.connection.upload(header, update=update, vectors=vectors)
            self.accepted += 1
        except (Refused, Unreachable) as e:
            # The round may have closed, or the server restarted: the next poll says what to do.
            self.log(f"client {task.client}: round {task.round}: {e}")

    def _evaluate_once(self, task):
        if task.new_client:
            tasks.check_new_client(task)
        try:
            parameters, buffers = self._download(task, self.connection.download_evaluation_model)
            self.layout.load(self.model, parameters, buffers)
            work = tasks.training_task(task, self.train_samples)
            if not task.skips_score and self.evaluate is not None:
                correct, count, loss_sum = self.evaluate(self.model, work)
                report = messages.EvaluationReport(task_id=task.task_id, round=task.round, correct=int(correct), count=int(count), loss_sum=float(loss_sum))
                self.connection.report_evaluation(report)
            if task.measures_gradient and self.gradient is not None:
                gradient, sigma2 = self.gradient(self.model, work)
                header = messages.GradientHeader(task_id=task.task_id, round=task.round, length=len(gradient), sigma2=float(sigma2))
                self.connection.report_gradient(header, gradient)
        except (Refused, Unreachable) as e:
            self.log(f"client {task.client}: evaluation of round {task.round}: {e}")

    def _retry(self, call, recover=None, registering=False):
        until = time.monotonic() + self.retry_window
        delay = 0.2
        while True:
            try:
                return call()
            except (Refused, Unreachable) as e:
                if not _transient(e, registering) or time.monotonic() >= until:
                    raise
                self.log(f"server not answering ({e}); trying again")
                if isinstance(e, Unreachable):
                    self.connection.reopen()
                time.sleep(delay)
                delay = min(delay * 2, 5.0)
                if recover is not None:
                    try:
                        recover()
                    except (Refused, Unreachable) as again:
                        if not _transient(again, registering=True):
                            raise


def _transient(error, registering):
    """Unreachable, or the server's own trouble (5xx) or a state it will leave (409, except a registration's conflict).
    An untrusted certificate (Untrusted) is never caught: trying again cannot change it."""
    if isinstance(error, Unreachable):
        return True
    status = error.status if isinstance(error.status, int) else 0
    return status >= 500 or (status == 409 and not registering)
