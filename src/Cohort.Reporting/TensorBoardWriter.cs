using System.Buffers.Binary;
using Cohort.Federated.Metrics;
using Cohort.Federated.Outputs;

namespace Cohort.Reporting;

/// <summary>
/// A TensorBoard event file of scalars: one event per evaluated round (step = round) with a value per
/// metric field, tagged with the field's name. Rounds are flushed as they are written.
/// </summary>
internal sealed class TensorBoardWriter : IRunFileWriter
{
    private readonly TimeProvider _time;
    private FileStream? _stream;

    /// <summary>Writes into <paramref name="folder"/>, under TensorBoard's file name events.out.tfevents.&lt;unix time&gt;.&lt;host&gt;.</summary>
    public TensorBoardWriter(string folder, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        Path = System.IO.Path.Combine(folder, FileName(_time.GetUtcNow(), Environment.MachineName));
    }

    public string Path { get; }

    public static string FileName(DateTimeOffset time, string host) => $"events.out.tfevents.{time.ToUnixTimeSeconds()}.{host}";

    public void OnStart(RunInfo info) => Open();

    public void OnRound(RoundMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var scalars = metrics.Fields()
            // The round is the step already; a NaN (a statistic not measured) would only draw an empty chart.
            .Where(f => f.Name != "round" && double.IsFinite(f.Value))
            .Select(f => (f.Name, (float)f.Value));
        Write(TensorBoardEvent.Scalars(WallTime(), metrics.Round, scalars));
    }

    public void OnEnd(RunSummary summary) => Dispose();

    /// <summary>A TFRecord: length, masked CRC of the length, data, masked CRC of the data (all little-endian).</summary>
    public static byte[] Record(ReadOnlySpan<byte> data)
    {
        var record = new byte[8 + 4 + data.Length + 4];
        BinaryPrimitives.WriteUInt64LittleEndian(record, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(8), MaskedCrc(record.AsSpan(0, 8)));
        data.CopyTo(record.AsSpan(12));
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(12 + data.Length), MaskedCrc(data));
        return record;
    }

    /// <summary>The masked CRC-32C TFRecord stores, so that a CRC of data that itself holds CRCs stays well spread.</summary>
    private static uint MaskedCrc(ReadOnlySpan<byte> data)
    {
        uint crc = Crc32C.Compute(data);
        return unchecked(((crc >> 15) | (crc << 17)) + 0xa282ead8u);
    }

    public void Dispose()
    {
        _stream?.Dispose();
        _stream = null;
    }

    private FileStream Open()
    {
        if (_stream is null)
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path) ?? ".");
            bool fresh = !File.Exists(Path) || new FileInfo(Path).Length == 0;
            _stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read);
            if (fresh)
            {
                Write(_stream, TensorBoardEvent.Header(WallTime()));
            }
        }
        return _stream;
    }

    private void Write(byte[] eventBytes) => Write(Open(), eventBytes);

    private static void Write(FileStream stream, byte[] eventBytes)
    {
        stream.Write(Record(eventBytes));
        stream.Flush(flushToDisk: true);
    }

    private double WallTime() => _time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
}
