using System.Security.Cryptography;
using Cohort.Federated.Diagnostics;
using Cohort.Federated.Evaluation;
using Cohort.Transport.Wire;

namespace Cohort.Transport.Server;

/// <summary>
/// The clients' evaluation of the model after an evaluated round: a copy of that model, a one-time
/// task per client asked (a score of its test split, the gradient diagnostics' sample a gradient, or both),
/// and what each sends, taken once.
/// </summary>
internal sealed class OpenEvaluation
{
    private readonly Dictionary<int, string> _tasks;
    private readonly HashSet<int> _scorers;
    private readonly HashSet<int> _sampled;
    private readonly Dictionary<int, ClientScore> _scores = [];
    private readonly Dictionary<int, ClientGradient> _gradients = [];

    private readonly int _newClientsFrom;

    /// <summary>
    /// An evaluation that asks <paramref name="scorers"/> for their scores and <paramref name="sampled"/> for their gradients; those
    /// from <paramref name="newClientsFrom"/> on personalize first, as new clients (int.MaxValue: none).
    /// </summary>
    public OpenEvaluation(int round, float[] parameters, float[] buffers, IEnumerable<int> scorers, IEnumerable<int> sampled, int newClientsFrom = int.MaxValue)
    {
        _newClientsFrom = newClientsFrom;
        Round = round;
        Parameters = parameters;
        Buffers = buffers;
        _scorers = [.. scorers];
        _sampled = [.. sampled];
        _tasks = _scorers.Union(_sampled).ToDictionary(c => c, _ => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)));
    }

    public int Round { get; }

    public float[] Parameters { get; }

    public float[] Buffers { get; }

    public bool Closed { get; set; }

    /// <summary>Every client asked has sent what it was asked for.</summary>
    public bool Complete => _scores.Count == _scorers.Count && _gradients.Count == _sampled.Count;

    public ManualResetEventSlim Progress { get; } = new();

    public IReadOnlyDictionary<int, ClientScore> Scores => _scores;

    public IReadOnlyDictionary<int, ClientGradient> Gradients => _gradients;

    /// <summary>The clients asked for something.</summary>
    public IEnumerable<int> Asked => _tasks.Keys;

    /// <summary>Whether the client still owes its score or its gradient.</summary>
    public bool Owes(int client) => (_scorers.Contains(client) && !_scores.ContainsKey(client)) || (_sampled.Contains(client) && !_gradients.ContainsKey(client));

    /// <summary>The EVALUATE task a client is given: the round and the model's description, as a training task carries them, what it is asked for, and whether it is a new client.</summary>
    public WorkTask Describe(int client, TaskTemplate template)
    {
        var task = new WorkTask
        {
            Kind = WorkTask.Types.Kind.Evaluate,
            TaskId = _tasks[client],
            Round = Round,
            Seed = template.Seed,
            Client = client,
            Model = template.Model,
            MeasuresGradient = _sampled.Contains(client),
            SkipsScore = !_scorers.Contains(client),
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

    /// <summary>Refuses a gradient this evaluation did not ask of the client (403), or a second one (403).</summary>
    public void CheckGradient(int client)
    {
        if (!_sampled.Contains(client))
        {
            throw new ProtocolException(403, $"gradient: client {client} is not in round {Round}'s gradient sample.");
        }
        if (_gradients.ContainsKey(client))
        {
            throw new ProtocolException(403, $"gradient: client {client} already sent its gradient at round {Round}'s model; a replay changes nothing.");
        }
    }

    /// <summary>Takes a client's score once; one not asked for, or a second one, is refused (403) and changes nothing.</summary>
    public void Take(int client, ClientScore score)
    {
        if (!_scorers.Contains(client))
        {
            throw new ProtocolException(403, $"evaluation: no score of round {Round}'s model was asked of client {client} (its task skips the score).");
        }
        if (!_scores.TryAdd(client, score))
        {
            throw new ProtocolException(403, $"evaluation: client {client} already sent its score of round {Round}'s model; a replay changes nothing.");
        }
        Progress.Set();
    }

    /// <summary>Takes a sampled client's gradient once (checked with <see cref="CheckGradient"/>).</summary>
    public void TakeGradient(int client, ClientGradient gradient)
    {
        CheckGradient(client);
        _gradients.Add(client, gradient);
        Progress.Set();
    }
}
