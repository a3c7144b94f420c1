using Cohort.Federated.Engine;
using Cohort.Federated.Outputs;

namespace Cohort.Federated.Checkpoints;

/// <summary>
/// The rest of a run's state after a round that is not the server's or the clients': the
/// run's totals (bytes both ways, training time). The clients' view of the model under a compressed
/// broadcast is a server vector, saved with the server's state.
/// </summary>
internal static class RunProgressFile
{
    private const string Magic = "cohort-run-progress-2";

    public static void Write(string path, FederatedRun run) => AtomicFile.Write(path, stream =>
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(run.Totals.BytesUp);
        writer.Write(run.Totals.BytesDown);
        writer.Write(run.Totals.TrainingSeconds);
    });

    public static void Read(string path, FederatedRun run)
    {
        try
        {
            using var reader = new BinaryReader(File.OpenRead(path));
            if (reader.ReadString() != Magic)
            {
                throw new InvalidDataException($"{path}: not a run-progress file.");
            }
            run.Totals.BytesUp = reader.ReadInt64();
            run.Totals.BytesDown = reader.ReadInt64();
            run.Totals.TrainingSeconds = reader.ReadDouble();
        }
        catch (Exception e) when (e is EndOfStreamException or FormatException)
        {
            throw new InvalidDataException($"{path}: the run-progress file is cut short or malformed.", e);
        }
    }
}
