"""Writes optimizer_golden.json: parameter trajectories of torch.optim optimizers and learning
rates of torch.optim.lr_scheduler schedules, the reference for OptimizerGoldenTests and
ScheduleGoldenTests.

Run with PyTorch 1.13:  python3 make_optimizer_golden.py
The initial vector and every gradient are written to the file too, so the C# side replays
exactly the same float32 inputs.
"""
import json
import math
import os

import torch

LENGTH = 37  # 4 full Vector256<float> blocks plus a tail of 5
STEPS = 20
SCHEDULE_STEPS = 25


def initial():
    return [0.8 * math.cos(0.53 * i + 0.2) for i in range(LENGTH)]


def gradient(k):
    # Deterministic formula; some exact zeros exercise sign(0) and empty accumulators.
    return [0.0 if (i % 11 == 0 and k % 4 == 0)
            else math.sin(0.91 * i + 1.7 * k) * (1.0 + 0.25 * math.cos(0.3 * k))
            for i in range(LENGTH)]


def as_f32(values):
    return torch.tensor(values, dtype=torch.float32)


def floats(t):
    return [float(x) for x in t.tolist()]


OPTIMIZER_CASES = [
    ("sgd", "sgd", dict(lr=0.1)),
    ("sgd_momentum", "sgd", dict(lr=0.1, momentum=0.9)),
    ("sgd_dampening", "sgd", dict(lr=0.1, momentum=0.9, dampening=0.5)),
    ("sgd_nesterov", "sgd", dict(lr=0.1, momentum=0.9, nesterov=True)),
    ("sgd_weight_decay", "sgd", dict(lr=0.1, weight_decay=0.05)),
    ("sgd_momentum_weight_decay", "sgd", dict(lr=0.1, momentum=0.8, weight_decay=0.05)),
    ("adam", "adam", dict(lr=0.01)),
    ("adam_betas", "adam", dict(lr=0.05, betas=(0.8, 0.95), eps=1e-6)),
    ("adam_weight_decay", "adam", dict(lr=0.01, weight_decay=0.1)),
    ("adam_amsgrad", "adam", dict(lr=0.01, amsgrad=True)),
    ("adamw", "adamw", dict(lr=0.01)),
    ("adamw_weight_decay", "adamw", dict(lr=0.01, weight_decay=0.2)),
    ("adamw_amsgrad", "adamw", dict(lr=0.01, weight_decay=0.1, amsgrad=True)),
    ("adagrad", "adagrad", dict(lr=0.1)),
    ("adagrad_options", "adagrad", dict(lr=0.1, lr_decay=0.05, weight_decay=0.01,
                                        initial_accumulator_value=0.1, eps=1e-6)),
]

CONSTRUCTORS = {
    "sgd": torch.optim.SGD,
    "adam": torch.optim.Adam,
    "adamw": torch.optim.AdamW,
    "adagrad": torch.optim.Adagrad,
}


def run_optimizer(kind, kwargs, schedule=None):
    p = torch.nn.Parameter(as_f32(initial()))
    opt = CONSTRUCTORS[kind]([p], foreach=False, **kwargs)
    sched = schedule(opt) if schedule else None
    trajectory = []
    for k in range(STEPS):
        p.grad = as_f32(gradient(k))
        opt.step()
        if sched:
            sched.step()
        trajectory.append(floats(p.detach()))
    return trajectory


def json_kwargs(kwargs):
    out = {}
    for key, value in kwargs.items():
        if key == "betas":
            out["beta1"], out["beta2"] = value
        else:
            out[key] = value
    return out


SCHEDULE_CASES = [
    ("step", dict(step_size=3, gamma=0.5),
     lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=3, gamma=0.5)),
    ("cosine", dict(t_max=10, eta_min=0.001),
     lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=10, eta_min=0.001)),
    ("cosine_zero_min", dict(t_max=7, eta_min=0.0),
     lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=7, eta_min=0.0)),
    # LinearLR from 1/w over w-1 steps is the linear warm-up (step+1)/w of a constant rate.
    ("linear_warmup", dict(warmup_steps=5),
     lambda o: torch.optim.lr_scheduler.LinearLR(o, start_factor=1 / 5, end_factor=1.0, total_iters=4)),
    ("inverse_sqrt", dict(warmup_steps=4),
     lambda o: torch.optim.lr_scheduler.LambdaLR(
         o, lambda t: min(1.0, math.sqrt(4 / t)) if t > 0 else 1.0)),
]


def run_schedule(make):
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=0.1)
    sched = make(opt)
    rates = []
    for _ in range(SCHEDULE_STEPS):
        rates.append(opt.param_groups[0]["lr"])
        p.grad = torch.zeros(1)
        opt.step()
        sched.step()
    return rates


def main():
    golden = {
        "torch": torch.__version__,
        "initial": floats(as_f32(initial())),
        "gradients": [floats(as_f32(gradient(k))) for k in range(STEPS)],
        "optimizers": [
            dict(name=name, optimizer=kind, parameters=json_kwargs(kwargs),
                 trajectory=run_optimizer(kind, kwargs))
            for name, kind, kwargs in OPTIMIZER_CASES
        ],
        # An optimizer whose rate changes every step: the rate must be read at each step.
        "scheduled": dict(name="adam_step_lr", optimizer="adam", parameters=dict(lr=0.02),
                          schedule="step", schedule_parameters=dict(step_size=3, gamma=0.5),
                          trajectory=run_optimizer("adam", dict(lr=0.02), lambda o: torch.optim.lr_scheduler.StepLR(o, 3, 0.5))),
        "schedules": [
            dict(name=name, base_lr=0.1, parameters=params, rates=run_schedule(make))
            for name, params, make in SCHEDULE_CASES
        ],
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "optimizer_golden.json")
    with open(path, "w") as f:
        json.dump(golden, f, indent=1)
        f.write("\n")
    print("wrote", path)


if __name__ == "__main__":
    main()
