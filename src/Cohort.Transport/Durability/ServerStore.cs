using System.Globalization;
using Cohort.Federated.Metrics;
using Cohort.Transport.Server;
using Microsoft.Data.Sqlite;

namespace Cohort.Transport.Durability;

/// <summary>
/// The server's records in SQLite (state.db under --state): the experiment it belongs to, the last
/// completed round and its checkpoint file, the registered clients, every accepted update (one row
/// per round and client, so none can count twice) and the aggregate file that holds the open round's.
/// </summary>
internal sealed class ServerStore : IDisposable
{
    public const string FileName = "state.db";
    private readonly SqliteConnection _db;
    private readonly object _gate = new();
    private SqliteTransaction? _transaction;

    private ServerStore(SqliteConnection db) => _db = db;

    public static ServerStore Open(string folder)
    {
        Directory.CreateDirectory(folder);
        var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder, FileName), Pooling = false }.ToString());
        db.Open();
        var store = new ServerStore(db);
        store.Execute("""
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = FULL;
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS clients (client INTEGER PRIMARY KEY, train INTEGER NOT NULL, test INTEGER NOT NULL, scores INTEGER NOT NULL DEFAULT 0);
            CREATE TABLE IF NOT EXISTS accepted (
                round INTEGER NOT NULL, client INTEGER NOT NULL, task TEXT NOT NULL,
                samples INTEGER NOT NULL, loss_sum REAL NOT NULL, batches INTEGER NOT NULL, uplink INTEGER NOT NULL,
                PRIMARY KEY (round, client));
            """);
        store.AddScoresColumn();
        return store;
    }

    /// <summary>Records made before the clients' evaluation was recorded lack its column: added, as "does not score".</summary>
    private void AddScoresColumn()
    {
        lock (_gate)
        {
            using var command = Command("SELECT COUNT(*) FROM pragma_table_info('clients') WHERE name = 'scores'");
            if (Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) == 0)
            {
                Execute("ALTER TABLE clients ADD COLUMN scores INTEGER NOT NULL DEFAULT 0");
            }
        }
    }

    /// <summary>Whether a state folder records a finished run.</summary>
    public static bool IsFinished(string folder)
    {
        if (!File.Exists(Path.Combine(folder, FileName)))
        {
            return false;
        }
        using var store = Open(folder);
        return store.Get("finished") == "true";
    }

    /// <summary>Binds the folder to one experiment; a folder of another experiment is refused.</summary>
    public void Claim(string experimentId)
    {
        string? existing = Get("experiment");
        if (existing is null)
        {
            Set("experiment", experimentId);
        }
        else if (existing != experimentId)
        {
            throw new InvalidOperationException($"--state holds a run of a different experiment (id {existing}, this one {experimentId}); use another folder.");
        }
    }

    public int CompletedRound => int.Parse(Get("completed_round") ?? "0", CultureInfo.InvariantCulture);

    public string? ModelCheckpoint => Get("model_file");

    public bool Finished => Get("finished") == "true";

    /// <summary>Sets <paramref name="totals"/> to those recorded with the last completed round (zero before the first).</summary>
    public void RestoreTotals(RunTotals totals)
    {
        totals.BytesUp = long.Parse(Get("bytes_up_total") ?? "0", CultureInfo.InvariantCulture);
        totals.BytesDown = long.Parse(Get("bytes_down_total") ?? "0", CultureInfo.InvariantCulture);
        totals.TrainingSeconds = double.Parse(Get("training_seconds") ?? "0", CultureInfo.InvariantCulture);
    }

    public void SaveClient(ClientRegistry.Registration registration) =>
        Execute("INSERT INTO clients (client, train, test, scores) VALUES ($c, $t, $s, $e) ON CONFLICT (client) DO UPDATE SET train = $t, test = $s, scores = $e",
            ("$c", registration.Client), ("$t", registration.TrainSamples), ("$s", registration.TestSamples), ("$e", registration.ScoresTestSplit ? 1 : 0));

    public IReadOnlyList<ClientRegistry.Registration> Clients()
    {
        lock (_gate)
        {
            using var command = Command("SELECT client, train, test, scores FROM clients ORDER BY client");
            using var reader = command.ExecuteReader();
            var result = new List<ClientRegistry.Registration>();
            while (reader.Read())
            {
                result.Add(new ClientRegistry.Registration(reader.GetInt32(0), reader.GetInt64(1), reader.GetInt64(2), DateTimeOffset.UtcNow, reader.GetInt64(3) != 0));
            }
            return result;
        }
    }

    /// <summary>Records a completed round's checkpoint file and the run's totals through it, in one transaction.</summary>
    public void CompleteRound(int round, string modelFile, bool finished, RunTotals totals) => InTransaction(() =>
    {
        Set("completed_round", round.ToString(CultureInfo.InvariantCulture));
        Set("model_file", modelFile);
        Set("bytes_up_total", totals.BytesUp.ToString(CultureInfo.InvariantCulture));
        Set("bytes_down_total", totals.BytesDown.ToString(CultureInfo.InvariantCulture));
        Set("training_seconds", totals.TrainingSeconds.ToString("R", CultureInfo.InvariantCulture));
        if (finished)
        {
            Set("finished", "true");
        }
    });

    /// <summary>Records accepted updates together with the aggregate file that now holds them, in one transaction.</summary>
    public void CommitUpdates(int round, IReadOnlyList<AcceptedUpdate> updates, string aggregateFile) => InTransaction(() =>
    {
        foreach (var u in updates)
        {
            Execute("INSERT INTO accepted (round, client, task, samples, loss_sum, batches, uplink) VALUES ($r, $c, $t, $s, $l, $b, $u)",
                ("$r", u.Round), ("$c", u.Client), ("$t", u.TaskId), ("$s", u.Samples), ("$l", u.LossSum), ("$b", u.Batches), ("$u", u.UplinkBytes));
        }
        Set("aggregate_round", round.ToString(CultureInfo.InvariantCulture));
        Set("aggregate_file", aggregateFile);
    });

    private void InTransaction(Action body)
    {
        lock (_gate)
        {
            _transaction = _db.BeginTransaction();
            try
            {
                body();
                _transaction.Commit();
            }
            finally
            {
                _transaction.Dispose();
                _transaction = null;
            }
        }
    }

    /// <summary>The aggregate file of a round, when one was committed for it.</summary>
    public string? AggregateFile(int round) =>
        Get("aggregate_round") == round.ToString(CultureInfo.InvariantCulture) ? Get("aggregate_file") : null;

    /// <summary>The last aggregate file committed, whatever its round (to remove when a newer one replaces it).</summary>
    public string? LastAggregateFile => Get("aggregate_file");

    /// <summary>Accepted updates, of one round or all.</summary>
    public IReadOnlyList<AcceptedUpdate> Accepted(int? round = null)
    {
        lock (_gate)
        {
            using var command = Command("SELECT round, client, task, samples, loss_sum, batches, uplink FROM accepted WHERE $r IS NULL OR round = $r ORDER BY round, client",
                ("$r", round is null ? DBNull.Value : round.Value));
            using var reader = command.ExecuteReader();
            var result = new List<AcceptedUpdate>();
            while (reader.Read())
            {
                result.Add(new AcceptedUpdate(reader.GetInt32(0), reader.GetInt32(1), reader.GetString(2), reader.GetInt64(3), reader.GetDouble(4), reader.GetInt64(5), reader.GetInt64(6)));
            }
            return result;
        }
    }

    private string? Get(string key)
    {
        lock (_gate)
        {
            using var command = Command("SELECT value FROM meta WHERE key = $k", ("$k", key));
            return command.ExecuteScalar() as string;
        }
    }

    private void Set(string key, string value) =>
        Execute("INSERT INTO meta (key, value) VALUES ($k, $v) ON CONFLICT (key) DO UPDATE SET value = $v", ("$k", key), ("$v", value));

    private void Execute(string sql, params (string Name, object Value)[] parameters)
    {
        lock (_gate)
        {
            using var command = Command(sql, parameters);
            command.ExecuteNonQuery();
        }
    }

    private SqliteCommand Command(string sql, params (string Name, object Value)[] parameters)
    {
        var command = _db.CreateCommand();
        command.CommandText = sql;
        command.Transaction = _transaction;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        return command;
    }

    public void Dispose() => _db.Dispose();
}
