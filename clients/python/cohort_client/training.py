"""Local work for a classifier on tensors in memory: the round's SGD steps as the task sets them, and the score of
a model on a test split as the protocol's evaluation report counts it, and the gradient diagnostics' pass."""
import numpy as np
import torch
import torch.nn.functional as F


def train_sgd(model, task, inputs, targets):
    """Runs task.steps SGD steps (task.learning_rate, momentum, weight decay; FedProx's μ(y − x) added to each
    gradient) on mini-batches of task.batch_size drawn epoch by epoch in a shuffled order (the last batch of an
    epoch short); returns (loss_sum, batches): the sum of each batch's mean cross-entropy, before its step."""
    parameters = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.SGD(parameters, lr=task.learning_rate, momentum=task.momentum, weight_decay=task.weight_decay)
    anchor = [p.detach().clone() for p in parameters] if task.mu > 0 else None
    generator = _batch_order(task)
    count = len(targets)
    order, position = None, count
    loss_sum = 0.0
    model.train()
    for _ in range(task.steps):
        if position >= count:
            order, position = torch.randperm(count, generator=generator), 0
        batch = order[position:position + task.batch_size]
        position += task.batch_size
        optimizer.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(inputs[batch]), targets[batch])
        loss.backward()
        if anchor is not None:
            with torch.no_grad():
                for p, x in zip(parameters, anchor):
                    p.grad.add_(p - x, alpha=task.mu)
        optimizer.step()
        loss_sum += float(loss.detach())
    return loss_sum, task.steps


def gradient_spread(model, layout, task, inputs, targets):
    """The gradient diagnostics' pass (docs/protocol.md, ReportGradient) at the model as loaded: one epoch of mini-batches of
    task.batch_size in a shuffled order; returns (gradient, sigma2): ∇f(x) = Σ_b (|b|/n) ∇f_b(x) of the mean cross-entropy as
    Cohort's flat float32 parameter vector, and σ² = Σ_b (|b|/n) ‖∇f_b(x)‖² − ‖∇f(x)‖²."""
    count = len(targets)
    order = torch.randperm(count, generator=_batch_order(task))
    gradient = np.zeros(layout.parameter_count, dtype=np.float64)
    squared = 0.0
    model.train()
    for start in range(0, count, task.batch_size):
        batch = order[start:start + task.batch_size]
        share = len(batch) / count
        model.zero_grad(set_to_none=True)
        F.cross_entropy(model(inputs[batch]), targets[batch]).backward()
        g = layout.gradients_of(model).astype(np.float64)
        squared += share * float(g @ g)
        gradient += share * g
    model.zero_grad(set_to_none=True)
    return gradient.astype(np.float32), max(0.0, squared - float(gradient @ gradient))


def _batch_order(task):
    """The order of this client's batches in this round, fixed by the run's seed, the round and the client."""
    return torch.Generator().manual_seed((task.seed * 1_000_003 + task.round * 10_007 + task.client) % (2 ** 63))


def score(model, inputs, targets, batch_size=1000):
    """(correct, count, loss_sum): samples classified correctly, samples scored, the sum of their cross-entropy losses."""
    model.eval()
    correct, loss_sum = 0, 0.0
    with torch.no_grad():
        for start in range(0, len(targets), batch_size):
            logits = model(inputs[start:start + batch_size])
            labels = targets[start:start + batch_size]
            correct += int((logits.argmax(dim=1) == labels).sum())
            loss_sum += float(F.cross_entropy(logits, labels, reduction="sum").double())
    return correct, len(targets), loss_sum
