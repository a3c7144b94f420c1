using Cohort.Federated.Algorithms;
using Cohort.Federated.Checkpoints;
using Cohort.Federated.State;
using Cohort.NN.Optimizers;

namespace Cohort.Federated.Tests;

/// <summary>Declared server state: every field of every record through a checkpoint, and the errors on a mismatch or an old file.</summary>
public sealed class ServerStateCheckpointTests : IDisposable
{
    private const int ModelLength = 5;
    private readonly string _folder = Directory.CreateTempSubdirectory("cohort-state").FullName;

    private static readonly StateDeclaration Method = new StateDeclaration("method").Vector("method.m").Vector("method.v");
    private static readonly StateDeclaration Stage = new StateDeclaration("stage").Vector("stage.g", 3).Scalar("stage.count").Scalar("stage.tau");

    private static ServerState NewServer() => new(new float[ModelLength], [0.5f], new Adam(0.1f));

    [Fact]
    public void ACheckpointRoundTripsEveryDeclaredField()
    {
        var saved = NewServer();
        saved.Round = 7;
        var random = new Random(3);
        foreach (var record in new[] { saved.Declare(Method), saved.Declare(Stage) })
        {
            foreach (var vector in record.Vectors)
            {
                for (int i = 0; i < vector.Length; i++)
                {
                    vector[i] = (float)random.NextDouble() - 0.5f;
                }
            }
        }
        saved.Declare(Stage).SetScalar("stage.count", 12);
        saved.Declare(Stage).SetScalar("stage.tau", Math.PI);
        saved.Optimizer.Initialize(ModelLength);
        saved.Optimizer.StepCount = 4;
        string path = Path.Combine(_folder, "server.bin");
        ServerCheckpoint.Write(path, saved);

        // The method declares before the restore; the stage only later, when it first runs.
        var restored = NewServer();
        restored.Declare(Method);
        ServerCheckpoint.Read(path, restored);
        Assert.Equal(7, restored.Round);
        Assert.Equal(4, restored.Optimizer.StepCount);
        Assert.Equal(saved.Declare(Method).Vector("method.m"), restored.Declare(Method).Vector("method.m"));
        Assert.Equal(saved.Declare(Method).Vector("method.v"), restored.Declare(Method).Vector("method.v"));
        var stage = restored.Declare(Stage, _ => Assert.Fail("a restored record is not initialized again"));
        Assert.Equal(saved.Declare(Stage).Vector("stage.g"), stage.Vector("stage.g"));
        Assert.Equal(12, stage.Scalar("stage.count"));
        Assert.Equal(Math.PI, stage.Scalar("stage.tau"));
        Assert.Equal(saved.Vector("stage.g"), restored.Vector("stage.g"));
    }

    [Fact]
    public void ASavedRecordThatDoesNotFitTheRunsDeclarationIsAnErrorNamingBoth()
    {
        var saved = NewServer();
        saved.Declare(new StateDeclaration("stage").Vector("stage.g", 4));
        string path = Path.Combine(_folder, "server.bin");
        ServerCheckpoint.Write(path, saved);
        var restored = NewServer();
        restored.Declare(Stage);
        var e = Assert.Throws<InvalidDataException>(() => ServerCheckpoint.Read(path, restored));
        Assert.Contains(path, e.Message);
        Assert.Contains("stage.g (4)", e.Message);
        Assert.Contains("stage.g (3)", e.Message);
    }

    [Fact]
    public void AnUndeclaredFieldOrAVectorNameTakenTwiceIsAnError()
    {
        var server = NewServer();
        var record = server.Declare(Stage);
        Assert.Contains("declares no vector 'stage.h'", Assert.Throws<KeyNotFoundException>(() => record.Vector("stage.h")).Message);
        Assert.Contains("declares no scalar 'rate'", Assert.Throws<KeyNotFoundException>(() => record.Scalar("rate")).Message);
        Assert.Contains("no component of the server declares a vector 'x'", Assert.Throws<KeyNotFoundException>(() => server.Vector("x")).Message, StringComparison.OrdinalIgnoreCase);
        var e = Assert.Throws<InvalidOperationException>(() => server.Declare(new StateDeclaration("other").Vector("stage.g")));
        Assert.Contains("'stage.g'", e.Message);
        Assert.Throws<InvalidOperationException>(() => server.Declare(new StateDeclaration("stage").Vector("stage.g")));
    }

    [Fact]
    public void AFormatOneCheckpointIsRefusedWithWhatToDo()
    {
        string path = Path.Combine(_folder, "old.bin");
        using (var writer = new BinaryWriter(File.Create(path)))
        {
            writer.Write("cohort-server-state-1");
            writer.Write(3);
        }
        var e = Assert.Throws<InvalidDataException>(() => ServerCheckpoint.Read(path, NewServer()));
        Assert.Contains("format 1", e.Message);
        Assert.Contains(path, e.Message);
    }

    public void Dispose() => Directory.Delete(_folder, true);
}
