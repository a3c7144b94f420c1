using System.Text.Json;
using Cohort.Transport.Server;

namespace Cohort.Transport.Dashboard;

/// <summary>The dashboard's view of a server, as JSON: the run, the open round's progress, the clients, uploads and each round's metrics.</summary>
internal static class StatusJson
{
    /// <summary>A client heard from within this long counts as connected (a poll waits at most 30 s).</summary>
    private static readonly TimeSpan Connected = TimeSpan.FromSeconds(45);

    public static void Write(Utf8JsonWriter json, ServerView view)
    {
        var now = DateTimeOffset.UtcNow;
        var cohort = view.Cohort;
        var progress = cohort.Progress();
        json.WriteStartObject();
        json.WriteString("run_id", view.RunId);
        json.WriteString("model", cohort.Template.Model.Name);
        json.WriteNumber("parameters", cohort.Template.Model.Parameters);
        json.WriteNumber("rounds", view.Rounds);
        json.WriteNumber("completed_round", view.CompletedRound());
        json.WriteNumber("open_round", progress.Round);
        json.WriteNumber("round_reported", progress.Reported);
        json.WriteNumber("round_cohort", progress.CohortSize);
        json.WriteBoolean("finished", cohort.Finished);
        json.WriteNumber("accepted", cohort.Counters.Accepted);
        json.WriteNumber("rejected", cohort.Counters.Rejected);
        json.WriteNumber("bytes_accepted", cohort.Counters.BytesAccepted);
        json.WriteString("last_rejection", cohort.Counters.LastRejection);
        json.WriteStartArray("clients");
        foreach (var client in view.Registry.All())
        {
            json.WriteStartObject();
            json.WriteNumber("id", client.Client);
            json.WriteNumber("train_samples", client.TrainSamples);
            json.WriteNumber("test_samples", client.TestSamples);
            json.WriteNumber("seen_seconds_ago", Math.Round((now - client.LastSeen).TotalSeconds, 1));
            json.WriteBoolean("connected", now - client.LastSeen < Connected);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("metrics");
        foreach (var round in view.Metrics.Snapshot())
        {
            json.WriteStartObject();
            foreach (var (name, value) in round.Fields())
            {
                if (double.IsFinite(value))
                {
                    json.WriteNumber(name, value);
                }
                else
                {
                    json.WriteNull(name);
                }
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }
}

/// <summary>What the dashboard reads from a running server.</summary>
internal sealed record ServerView(string RunId, int Rounds, RemoteCohort Cohort, ClientRegistry Registry, MetricsFeed Metrics, Func<int> CompletedRound);
