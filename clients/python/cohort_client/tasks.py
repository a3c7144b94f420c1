"""What a TRAIN task asks of this client, and the check that it asks only what the client does.

The client sends the update Δ = y − x (its locally trained parameters minus the broadcast ones) and nothing
else, dense or as an fp16 frame: the methods whose client half is local SGD and whose server needs only that
update (FedAvg, FedProx, the FedOpt server steps) and the stages that leave the update to the server.
"""
from dataclasses import dataclass, field

from .errors import TaskRefused

# Methods whose client half is local SGD (FedProx: with its proximal term) and whose server step needs only the update.
METHODS = ("fedavg", "fedprox", "fedavgm", "fedadam", "fedadagrad", "fedyogi")
UPLINK_COMPRESSION = ("none", "fp16")

# Settings the client's work depends on, each with the values this client honours (absent: the default, honoured).
_HONOURED = {
    "client.optimizer": ("sgd",),
    "client.tau.distribution": ("fixed",),
    "client.adversarial": ("none",),
    "compression.uplink.error_feedback": ("none",),
    # Central DP is the server's (it clips and noises what it receives); local DP and DP-SGD are the client's.
    "privacy.mechanism": ("none", "central"),
    "robust.worker_momentum": ("0",),
    "eval.finetune.steps": ("0",),
    "eval.finetune.epochs": ("0",),
}


@dataclass
class TrainingTask:
    """One round's local work as the server set it (client.* keys, FedProx's μ), for a train function to honour."""

    round: int
    client: int
    seed: int
    steps: int
    batch_size: int
    learning_rate: float
    momentum: float
    weight_decay: float
    # FedProx's proximal weight μ (0 for the other methods): each step's gradient gains μ(y − x).
    mu: float
    # The experiment's keys as the task carries them (dataset.scale, algorithm.*, client.*, ...).
    settings: dict = field(default_factory=dict)


def check(task):
    """Raises TaskRefused naming the setting when the task asks for work this client does not do."""
    settings = dict(task.settings)
    method = settings.get("algorithm.name", "fedavg")
    if method not in METHODS:
        raise TaskRefused(f"algorithm.name {method}: this client sends only the update, so it takes part in {', '.join(METHODS)}; "
                          f"join this run with `cohort join` instead.")
    compression = settings.get("compression.uplink.name", "none")
    if compression not in UPLINK_COMPRESSION:
        raise TaskRefused(f"compression.uplink.name {compression}: this client sends its update dense or as fp16 ({', '.join(UPLINK_COMPRESSION)}).")
    for key, honoured in _HONOURED.items():
        value = settings.get(key)
        if value is not None and not _same(value, honoured):
            raise TaskRefused(f"{key} {value}: this client honours only {' or '.join(honoured)}.")
    if task.exchange != 0:
        raise TaskRefused(f"exchange {task.exchange} of round {task.round}: this client's methods have one exchange a round.")


def check_new_client(task):
    """Raises TaskRefused for a held-out client's last EVALUATE task (task.new_client) where personalizing would change its score.

    A new client personalizes from the final model with the method's own procedure before scoring. This client
    has none: it takes the task only for the methods it trains with, whose new clients score the final model itself.
    """
    try:
        check(task)
    except TaskRefused as e:
        raise TaskRefused(f"round {task.round}: as a client held out of training, this client would personalize from the final model "
                          f"with the method's procedure, which it does not do ({e})") from e


def _same(value, honoured):
    """Equal as text, or as numbers (0 and 0.0)."""
    if value in honoured:
        return True
    try:
        return any(float(value) == float(h) for h in honoured)
    except ValueError:
        return False


def training_task(task, train_samples):
    """The local work of a checked TRAIN task for a client with train_samples samples (as Cohort's LocalWork counts it)."""
    settings = dict(task.settings)
    batch = int(settings.get("client.batch_size", "10"))
    if "client.steps" in settings:
        steps = int(settings["client.steps"])
    else:
        # An epoch is ⌈n/B⌉ steps, the last batch short.
        steps = int(settings.get("client.epochs", "1")) * ((train_samples + batch - 1) // batch)
    method = settings.get("algorithm.name", "fedavg")
    return TrainingTask(
        round=task.round,
        client=task.client,
        seed=task.seed,
        steps=steps,
        batch_size=batch,
        learning_rate=float(settings.get("client.lr", "0.05")),
        momentum=float(settings.get("client.momentum", "0")),
        weight_decay=float(settings.get("client.weight_decay", "0")),
        mu=float(settings.get("algorithm.mu", "0.01")) if method == "fedprox" else 0.0,
        settings=settings,
    )
