using System.Security.Cryptography;
using Cohort.Federated.Evaluation;
using Cohort.Transport.Wire;

namespace Cohort.Transport.Server;

/// <summary>
/// The clients' evaluation of the model after an evaluated round: a copy of that model, a one-time
/// task per registered client with a test split, and the score each sends, taken once.
/// </summary>
internal sealed class OpenEvaluation
{
    private readonly Dictionary<int, string> _tasks;
    private readonly Dictionary<int, ClientScore> _scores = [];

    private readonly int _newClientsFrom;

    /// <summary>An evaluation asking <paramref name="clients"/>; those from <paramref name="newClientsFrom"/> on personalize first, as new clients (int.MaxValue: none).</summary>
    public OpenEvaluation(int round, float[] parameters, float[] buffers, IEnumerable<int> clients, int newClientsFrom = int.MaxValue)
    {
        _newClientsFrom = newClientsFrom;
        Round = round;
        Parameters = parameters;
        Buffers = buffers;
        _tasks = clients.ToDictionary(c => c, _ => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)));
    }

    public int Round { get; }

    public float[] Parameters { get; }

    public float[] Buffers { get; }

    public bool Closed { get; set; }

    /// <summary>Every client asked has sent its score.</summary>
    public bool Complete => _scores.Count == _tasks.Count;

    public ManualResetEventSlim Progress { get; } = new();

    public IReadOnlyDictionary<int, ClientScore> Scores => _scores;

    /// <summary>Whether the client still owes its score.</summary>
    public bool Owes(int client) => _tasks.ContainsKey(client) && !_scores.ContainsKey(client);

    /// <summary>The EVALUATE task a client is given: the round and the model's description, as a training task carries them, and whether it is a new client.</summary>
    public WorkTask Describe(int client, TaskTemplate template)
    {
        var task = new WorkTask
        {
            Kind = WorkTask.Types.Kind.Evaluate, TaskId = _tasks[client], Round = Round, Seed = template.Seed, Client = client, Model = template.Model,
            NewClient = client >= _newClientsFrom,
        };
        task.Settings.Add(template.Settings);
        return task;
    }

    /// <summary>Refuses a client this evaluation did not ask (403) or a task id it did not issue (403).</summary>
    public void CheckTask(int client, string taskId, string what)
    {
        if (!_tasks.TryGetValue(client, out string? issued))
        {
            throw new ProtocolException(403, $"{what}: client {client} was not asked to evaluate round {Round}'s model.");
        }
        if (issued != taskId)
        {
            throw new ProtocolException(403, $"{what}: task '{taskId}' was not issued to client {client} for round {Round}'s evaluation.");
        }
    }

    /// <summary>Takes a client's score once; a second one is refused (403) and changes nothing.</summary>
    public void Take(int client, ClientScore score)
    {
        if (!_scores.TryAdd(client, score))
        {
            throw new ProtocolException(403, $"evaluation: client {client} already sent its score of round {Round}'s model; a replay changes nothing.");
        }
        Progress.Set();
    }
}
