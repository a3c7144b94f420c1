"""Join Cohort's served runs from PyTorch: the gRPC service cohort.v1.Federation, a torch.nn.Module's state_dict mapped
onto Cohort's flat vectors, and the client's loop (join)."""
from .errors import Refused, TaskRefused, Unreachable, Untrusted
from .layout import FlatLayout, load_model_file, safetensors_names
from .session import JoinResult, join
from .tasks import METHODS, TrainingTask

__all__ = ["join", "JoinResult", "TrainingTask", "METHODS", "FlatLayout", "load_model_file", "safetensors_names",
           "Refused", "TaskRefused", "Unreachable", "Untrusted"]
