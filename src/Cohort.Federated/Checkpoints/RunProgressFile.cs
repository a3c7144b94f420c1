using System.Runtime.InteropServices;
using Cohort.Federated.Engine;
using Cohort.Federated.Outputs;

namespace Cohort.Federated.Checkpoints;

/// <summary>
/// The rest of a simulation's state after a round that is not the server's or the clients': the
/// run's totals (bytes both ways, training time) and the clients' view of the model under a
/// compressed broadcast.
/// </summary>
internal static class RunProgressFile
{
    private const string Magic = "cohort-run-progress-1";

    public static void Write(string path, Simulation simulation) => AtomicFile.Write(path, stream =>
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(simulation.Totals.BytesUp);
        writer.Write(simulation.Totals.BytesDown);
        writer.Write(simulation.Totals.TrainingSeconds);
        var view = simulation.Downlink?.View;
        writer.Write(view?.Length ?? -1);
        if (view is not null)
        {
            writer.Write(MemoryMarshal.AsBytes(view.AsSpan()));
        }
    });

    public static void Read(string path, Simulation simulation)
    {
        try
        {
            using var reader = new BinaryReader(File.OpenRead(path));
            if (reader.ReadString() != Magic)
            {
                throw new InvalidDataException($"{path}: not a run-progress file.");
            }
            simulation.Totals.BytesUp = reader.ReadInt64();
            simulation.Totals.BytesDown = reader.ReadInt64();
            simulation.Totals.TrainingSeconds = reader.ReadDouble();
            int length = reader.ReadInt32();
            var view = simulation.Downlink?.View;
            if (length != (view?.Length ?? -1))
            {
                throw new InvalidDataException($"{path}: a broadcast view of {length} values; this run's is {view?.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "absent (dense broadcast)"}.");
            }
            if (view is not null)
            {
                reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(view.AsSpan()));
            }
        }
        catch (Exception e) when (e is EndOfStreamException or FormatException)
        {
            throw new InvalidDataException($"{path}: the run-progress file is cut short or malformed.", e);
        }
    }
}
