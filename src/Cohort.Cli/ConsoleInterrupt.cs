using System.Runtime.InteropServices;

namespace Cohort.Cli;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM as a cancellation token while it lives: the command stops cleanly at its next check
/// instead of being killed, so a service manager's stop leaves a served run as resumable as Ctrl-C does.
/// </summary>
internal sealed class ConsoleInterrupt : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly ConsoleCancelEventHandler _handler;
    private readonly PosixSignalRegistration _terminate;

    public ConsoleInterrupt()
    {
        _handler = (_, e) =>
        {
            e.Cancel = true;
            _source.Cancel();
        };
        Console.CancelKeyPress += _handler;
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
        {
            // The process is not ended by the signal: the command's cancellation ends it.
            signal.Cancel = true;
            _source.Cancel();
        });
    }

    public CancellationToken Token => _source.Token;

    public void Dispose()
    {
        Console.CancelKeyPress -= _handler;
        _terminate.Dispose();
        _source.Dispose();
    }
}
