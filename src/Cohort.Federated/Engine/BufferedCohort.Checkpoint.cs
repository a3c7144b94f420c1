using System.Runtime.InteropServices;
using Cohort.Federated.Algorithms;

namespace Cohort.Federated.Engine;

/// <summary>
/// The simulated asynchronous clients' state between rounds, saved with a checkpoint: the clients in flight
/// (who, from which version, when they arrive, their update and report, trained when dispatched), the
/// version each client last ran from, the dispatch counters and the dropped count.
/// </summary>
internal sealed partial class BufferedCohort : ICheckpointedCohort
{
    private const string Magic = "cohort-buffered-cohort-1";

    public void Save(Stream destination)
    {
        if (_toTrain.Count > 0)
        {
            throw new InvalidOperationException("Clients dispatched in a round are trained in it: save only between rounds.");
        }
        using var writer = new BinaryWriter(destination, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(clients);
        foreach (int version in _lastVersion)
        {
            writer.Write(version);
        }
        writer.Write(_pending);
        writer.Write(_pendingTime);
        writer.Write(_drawVersion);
        writer.Write(_draws);
        writer.Write(Dropped);
        var inFlight = _queue.UnorderedItems.Select(item => item.Element).OrderBy(a => a.Client).ToList();
        writer.Write(inFlight.Count);
        foreach (var arrival in inFlight)
        {
            writer.Write(arrival.Client);
            writer.Write(arrival.Version);
            writer.Write(arrival.Time);
            var result = arrival.Report.Result;
            writer.Write(result.Samples);
            writer.Write(result.LossSum);
            writer.Write(result.Batches);
            writer.Write(result.MessageBytes ?? -1);
            writer.Write(arrival.Report.UplinkBytes);
            WriteVector(writer, arrival.Update);
            WriteVector(writer, arrival.Report.Buffers.Span);
        }
    }

    public void Restore(Stream source, string origin)
    {
        try
        {
            using var reader = new BinaryReader(source, System.Text.Encoding.UTF8, leaveOpen: true);
            if (reader.ReadString() != Magic)
            {
                throw new InvalidDataException($"{origin}: not a file of asynchronous clients in flight.");
            }
            int saved = reader.ReadInt32();
            if (saved != clients)
            {
                throw new InvalidDataException($"{origin}: saved for {saved} clients; this run has {clients}.");
            }
            for (int c = 0; c < clients; c++)
            {
                _lastVersion[c] = reader.ReadInt32();
            }
            _pending = reader.ReadInt32();
            _pendingTime = reader.ReadDouble();
            _drawVersion = reader.ReadInt32();
            _draws = reader.ReadInt32();
            Dropped = reader.ReadInt32();
            _queue.Clear();
            Array.Clear(_inFlight);
            int count = reader.ReadInt32();
            for (int i = 0; i < count; i++)
            {
                int client = reader.ReadInt32();
                if (client < 0 || client >= clients || _inFlight[client])
                {
                    throw new InvalidDataException($"{origin}: client {client} in flight is not one of the run's {clients} clients, or is in flight twice.");
                }
                var arrival = new Arrival(client, reader.ReadInt32(), reader.ReadDouble());
                var result = new ClientResult(reader.ReadInt32(), reader.ReadDouble(), reader.ReadInt32());
                long messageBytes = reader.ReadInt64();
                result = messageBytes < 0 ? result : result with { MessageBytes = messageBytes };
                long uplink = reader.ReadInt64();
                arrival.Update = ReadVector(reader);
                arrival.Report = new ClientReport(result, uplink) { Buffers = ReadVector(reader), Version = arrival.Version };
                _inFlight[client] = true;
                _queue.Enqueue(arrival, (arrival.Time, client));
            }
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"{origin}: the file of clients in flight is cut short.", e);
        }
    }

    private static void WriteVector(BinaryWriter writer, ReadOnlySpan<float> values)
    {
        writer.Write(values.Length);
        writer.Write(MemoryMarshal.AsBytes(values));
    }

    private static float[] ReadVector(BinaryReader reader)
    {
        int length = reader.ReadInt32();
        var values = new float[length];
        reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }
}
