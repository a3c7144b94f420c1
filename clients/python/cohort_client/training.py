"""Local work for a classifier on tensors in memory: the round's SGD steps as the task sets them, and the score of
a model on a test split as the protocol's evaluation report counts it."""
import torch
import torch.nn.functional as F


def train_sgd(model, task, inputs, targets):
    """Runs task.steps SGD steps (task.learning_rate, momentum, weight decay; FedProx's μ(y − x) added to each
    gradient) on mini-batches of task.batch_size drawn epoch by epoch in a shuffled order (the last batch of an
    epoch short); returns (loss_sum, batches): the sum of each batch's mean cross-entropy, before its step."""
    parameters = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.SGD(parameters, lr=task.learning_rate, momentum=task.momentum, weight_decay=task.weight_decay)
    anchor = [p.detach().clone() for p in parameters] if task.mu > 0 else None
    # The order of this client's batches in this round, fixed by the run's seed, the round and the client.
    generator = torch.Generator().manual_seed((task.seed * 1_000_003 + task.round * 10_007 + task.client) % (2 ** 63))
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
