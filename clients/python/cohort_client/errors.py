"""What a client tells apart when a call fails: a refusal by the server, a server out of reach, a task it cannot do."""


class Refused(Exception):
    """The server refused a call: its protocol code (the `cohort-status` trailer, docs/protocol.md) and reason."""

    def __init__(self, status, reason):
        super().__init__(f"server answered {status}: {reason}")
        self.status = status
        self.reason = reason


class Unreachable(Exception):
    """The server could not be reached, or the call was cut off: worth another try while it may be restarting."""


class Untrusted(Exception):
    """The server's certificate is not trusted (by --ca or the system's authorities): trying again cannot help."""


class TaskRefused(Exception):
    """A task this client cannot honour (a method, compression or setting it does not implement); the message says which."""
