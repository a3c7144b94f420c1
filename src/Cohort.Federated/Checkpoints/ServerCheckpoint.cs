using System.Runtime.InteropServices;
using Cohort.Federated.Algorithms;
using Cohort.Federated.Outputs;
using Cohort.Federated.State;

namespace Cohort.Federated.Checkpoints;

/// <summary>
/// The server's state after a completed round, in one file: the round, the global model and buffers,
/// the server optimizer's step count and state vectors, every declared state record (its owner, its
/// named vectors and its named scalars) and, after them, an optional section of the caller's (the
/// deployed server's per-client vectors; absent from files that have none). Shared by the deployed
/// server's journal and the checkpoints of a simulated run. Format 2; format 1 (named vectors without
/// owners or scalars) is refused with what to do.
/// </summary>
internal static class ServerCheckpoint
{
    private const string Magic = "cohort-server-state-2";
    private const string FormerMagic = "cohort-server-state-1";

    public static void Write(string path, ServerState server, Action<BinaryWriter>? writeExtra = null) => AtomicFile.Write(path, stream =>
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(server.Round);
        WriteVector(writer, server.Global);
        WriteVector(writer, server.Buffers);
        writer.Write(server.Optimizer.StepCount);
        writer.Write(server.Optimizer.State.Count);
        foreach (var state in server.Optimizer.State)
        {
            WriteVector(writer, state);
        }
        var records = server.Records.ToList();
        writer.Write(records.Count);
        foreach (var record in records)
        {
            WriteRecord(writer, record);
        }
        writeExtra?.Invoke(writer);
    });

    /// <summary>Restores a checkpoint into a server built for the same experiment; a mismatch or a damaged file names the file and what is wrong.</summary>
    public static void Read(string path, ServerState server, Action<BinaryReader>? readExtra = null)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var reader = new BinaryReader(stream);
            ReadFrom(reader, path, server);
            if (readExtra is not null && stream.Position < stream.Length)
            {
                readExtra(reader);
            }
        }
        catch (Exception e) when (e is EndOfStreamException or FormatException)
        {
            throw new InvalidDataException($"{path}: the server checkpoint is cut short or malformed.", e);
        }
    }

    private static void ReadFrom(BinaryReader reader, string path, ServerState server)
    {
        string magic = reader.ReadString();
        if (magic == FormerMagic)
        {
            throw new InvalidDataException($"{path}: a server checkpoint of format 1, written by an earlier version; this version reads format 2 (state records with their scalars). Finish the run with the version that wrote it, or start it again.");
        }
        if (magic != Magic)
        {
            throw new InvalidDataException($"{path}: not a Cohort server checkpoint.");
        }
        server.Round = reader.ReadInt32();
        ReadVector(reader, server.Global, path, "global model");
        ReadVector(reader, server.Buffers, path, "buffers");
        int steps = reader.ReadInt32();
        int states = reader.ReadInt32();
        if (states > 0)
        {
            server.Optimizer.Initialize(server.Global.Length);
        }
        if (states != server.Optimizer.State.Count)
        {
            throw new InvalidDataException($"{path}: {states} optimizer state vectors; this server's optimizer has {server.Optimizer.State.Count}.");
        }
        foreach (var state in server.Optimizer.State)
        {
            ReadVector(reader, state, path, "optimizer state");
        }
        server.Optimizer.StepCount = steps;
        int records = reader.ReadInt32();
        for (int i = 0; i < records; i++)
        {
            var record = ReadRecord(reader, path);
            try
            {
                server.Restore(record);
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"{path}: {e.Message}", e);
            }
        }
    }

    private static void WriteRecord(BinaryWriter writer, StateRecord record)
    {
        var declaration = record.Declaration;
        writer.Write(declaration.Owner);
        writer.Write(record.Vectors.Count);
        for (int i = 0; i < record.Vectors.Count; i++)
        {
            writer.Write(declaration.Vectors[i].Name);
            WriteVector(writer, record.Vectors[i]);
        }
        writer.Write(record.Scalars.Count);
        for (int i = 0; i < record.Scalars.Count; i++)
        {
            writer.Write(declaration.Scalars[i]);
            writer.Write(record.Scalars[i]);
        }
    }

    /// <summary>A saved record, its vectors of the lengths the file gives.</summary>
    private static StateRecord ReadRecord(BinaryReader reader, string path)
    {
        var declaration = new StateDeclaration(reader.ReadString());
        int vectors = reader.ReadInt32();
        var values = new List<float[]>();
        for (int i = 0; i < vectors; i++)
        {
            string name = reader.ReadString();
            int length = reader.ReadInt32();
            if (length < 0 || 4L * length > reader.BaseStream.Length - reader.BaseStream.Position)
            {
                throw new InvalidDataException($"{path}: server vector '{name}' of {declaration.Owner} with {length} values.");
            }
            var vector = new float[length];
            reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(vector.AsSpan()));
            declaration = declaration.Vector(name, length);
            values.Add(vector);
        }
        int scalars = reader.ReadInt32();
        var numbers = new List<double>();
        for (int i = 0; i < scalars; i++)
        {
            declaration = declaration.Scalar(reader.ReadString());
            numbers.Add(reader.ReadDouble());
        }
        var record = new StateRecord(declaration, 0);
        for (int i = 0; i < vectors; i++)
        {
            values[i].CopyTo(record.Vectors[i], 0);
        }
        for (int i = 0; i < scalars; i++)
        {
            record.SetScalar(declaration.Scalars[i], numbers[i]);
        }
        return record;
    }

    private static void WriteVector(BinaryWriter writer, float[] vector)
    {
        writer.Write(vector.Length);
        writer.Write(MemoryMarshal.AsBytes(vector.AsSpan()));
    }

    private static void ReadVector(BinaryReader reader, float[] destination, string path, string what)
    {
        int length = reader.ReadInt32();
        if (length != destination.Length)
        {
            throw new InvalidDataException($"{path}: {what} of {length} values; this experiment's has {destination.Length}.");
        }
        reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(destination.AsSpan()));
    }
}
