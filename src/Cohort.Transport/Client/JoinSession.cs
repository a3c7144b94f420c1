using System.Globalization;
using System.Net.Sockets;
using System.Security.Authentication;
using Cohort.Transport.Wire;

namespace Cohort.Transport.Client;

/// <summary>
/// A client's life in a run: fetch settings, load its data, register, then pull tasks (wait, download
/// the broadcast, train, upload) until the server says the run is finished. Network failures are
/// retried within a window, so a restarting server does not lose its clients.
/// </summary>
internal sealed class JoinSession(JoinOptions options, TextWriter log)
{
    /// <summary>Rounds this client trained and had accepted.</summary>
    public int Accepted { get; private set; }

    public async Task RunAsync(CancellationToken cancel)
    {
        using var client = new ProtocolClient(options.Server, options.Token, options.CaPath);
        var settings = await Retry(() => client.SettingsAsync(cancel), cancel).ConfigureAwait(false);
        var data = ClientData.Load(options.DataPath, settings.Data, settings.Client, options.TestPath);
        // The client's state lives with the client, in a folder of this run's, so a restarted client goes on from it.
        string stateFolder = options.StateFolder ?? Path.Combine("runs", string.Create(CultureInfo.InvariantCulture, $"join-{settings.RunId}-client{settings.Client}"));
        using var trainer = new ClientTrainer(data, settings.Client, new ClientStateFolder(stateFolder, settings.Client));
        var registration = new RegisterRequest { TrainSamples = trainer.TrainSamples, TestSamples = trainer.TestSamples, ScoresTestSplit = true };
        await Retry(() => client.RegisterAsync(registration, cancel), cancel, registering: true).ConfigureAwait(false);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"client {settings.Client}: registered {trainer.TrainSamples} training and {trainer.TestSamples} test samples with run {settings.RunId}"));
        while (true)
        {
            // Registration is repeated after every poll failure: a restarted server may have lost it.
            var task = await Retry(() => client.NextTaskAsync(options.PollSeconds, cancel), cancel, () => client.RegisterAsync(registration, cancel)).ConfigureAwait(false);
            switch (task.Kind)
            {
                case WorkTask.Types.Kind.Finished:
                    log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"client {settings.Client}: run finished; {Accepted} updates accepted"));
                    return;
                case WorkTask.Types.Kind.Train:
                    await TrainOnce(client, trainer, task, cancel).ConfigureAwait(false);
                    break;
                case WorkTask.Types.Kind.Evaluate:
                    await EvaluateOnce(client, trainer, task, cancel).ConfigureAwait(false);
                    break;
                default:
                    await Task.Delay(Math.Clamp(task.RetryAfterMs, 50, 10_000), cancel).ConfigureAwait(false);
                    break;
            }
        }
    }

    private async Task TrainOnce(ProtocolClient client, ClientTrainer trainer, WorkTask task, CancellationToken cancel)
    {
        try
        {
            var broadcast = trainer.Broadcast(task);
            await client.DownloadAsync(task, broadcast, cancel).ConfigureAwait(false);
            var upload = trainer.Train(task, broadcast);
            try
            {
                await client.UploadAsync(upload, cancel).ConfigureAwait(false);
            }
            catch (ServerRejectedException)
            {
                // Refused, so not in the round: the state its training moved goes back. (A lost reply keeps it:
                // the server asks for the exchange again if it did not take the update.)
                trainer.Refused(task);
                throw;
            }
            Accepted++;
        }
        catch (Exception e) when (e is ServerRejectedException or ProtocolException or HttpRequestException or IOException)
        {
            // The round may have closed, or the server restarted: the next poll says what to do.
            log.WriteLine($"client {task.Client}: round {task.Round}: {e.Message}");
        }
    }

    private async Task EvaluateOnce(ProtocolClient client, ClientTrainer trainer, WorkTask task, CancellationToken cancel)
    {
        try
        {
            var (parameters, buffers) = trainer.EvaluationModel(task);
            await client.DownloadEvaluationModelAsync(task, parameters, buffers, cancel).ConfigureAwait(false);
            if (!task.SkipsScore)
            {
                await client.SendEvaluationAsync(trainer.Evaluate(task), cancel).ConfigureAwait(false);
            }
            if (task.MeasuresGradient)
            {
                var gradient = trainer.Gradient(task);
                await client.SendGradientAsync(new GradientHeader { TaskId = task.TaskId, Round = task.Round, Length = gradient.Gradient.Length, Sigma2 = gradient.Sigma2 }, gradient.Gradient, cancel).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is ServerRejectedException or ProtocolException or HttpRequestException or IOException)
        {
            // The evaluation may have closed, or the server restarted: the next poll says what to do.
            log.WriteLine($"client {task.Client}: evaluation of round {task.Round}: {e.Message}");
        }
    }

    private async Task<T> Retry<T>(Func<Task<T>> call, CancellationToken cancel, Func<Task>? recover = null, bool registering = false)
    {
        var until = DateTimeOffset.UtcNow + options.RetryWindow;
        var delay = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            try
            {
                return await call().ConfigureAwait(false);
            }
            catch (Exception e) when (IsTransient(e, registering) && DateTimeOffset.UtcNow < until)
            {
                log.WriteLine($"server not answering ({e.Message}); trying again");
                await Task.Delay(delay, cancel).ConfigureAwait(false);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5000));
                if (recover is not null)
                {
                    try
                    {
                        await recover().ConfigureAwait(false);
                    }
                    catch (Exception again) when (IsTransient(again, registering: true))
                    {
                        // Still unreachable; the next try waits longer.
                    }
                }
            }
        }
    }

    /// <summary>
    /// Unreachable, reset, or the server's own trouble (5xx) or a state it will leave (409): worth another try.
    /// Not so a server whose certificate is not trusted, or a registration's conflict (the training count differs from the one on
    /// record): trying again cannot change them, so they end the session with their reason.
    /// </summary>
    internal static bool IsTransient(Exception e, bool registering) => e switch
    {
        HttpRequestException { InnerException: AuthenticationException } => false,
        HttpRequestException or IOException or SocketException => true,
        ServerRejectedException r => r.Status >= 500 || (r.Status == 409 && !registering),
        _ => false,
    };
}
