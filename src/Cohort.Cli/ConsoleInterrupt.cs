namespace Cohort.Cli;

/// <summary>Ctrl-C as a cancellation token while it lives: the command stops cleanly at its next check instead of being killed.</summary>
internal sealed class ConsoleInterrupt : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly ConsoleCancelEventHandler _handler;

    public ConsoleInterrupt()
    {
        _handler = (_, e) =>
        {
            e.Cancel = true;
            _source.Cancel();
        };
        Console.CancelKeyPress += _handler;
    }

    public CancellationToken Token => _source.Token;

    public void Dispose()
    {
        Console.CancelKeyPress -= _handler;
        _source.Dispose();
    }
}
