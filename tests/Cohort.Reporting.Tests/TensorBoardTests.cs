using System.Buffers.Binary;
using System.Text;
using Cohort.Federated.Metrics;
using Cohort.Federated.Outputs;
using Cohort.Federated.Tests.Outputs;
using Cohort.Federated.Wire;

namespace Cohort.Reporting.Tests;

public class TensorBoardTests
{
    [Fact]
    public void EventFileDecodesToAHeaderThenAScalarEventPerRound()
    {
        using var temp = new TempFolder();
        var time = new FixedTime(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        var rounds = new[] { SampleRun.Round(1, 0.5, 0.25), SampleRun.Round(2, 0.75) };
        rounds[1].Extra["drift"] = 0.125;
        string path;
        using (var writer = new TensorBoardWriter(temp.Combine("tensorboard"), time))
        {
            path = writer.Path;
            writer.OnStart(new RunInfo("federated", "mlp", 2, 4, 2, 100, 1));
            foreach (var r in rounds)
            {
                writer.OnRound(r);
            }
        }
        Assert.Equal($"events.out.tfevents.1700000000.{Environment.MachineName}", Path.GetFileName(path));

        var records = ReadRecords(File.ReadAllBytes(path));
        Assert.Equal(3, records.Count);

        var header = Fields(records[0]);
        Assert.Equal(1_700_000_000.0, BitConverter.UInt64BitsToDouble(Single(header, 1).Number));
        Assert.Equal("brain.Event:2", Encoding.UTF8.GetString(Single(header, 3).Bytes!));

        for (int i = 0; i < rounds.Length; i++)
        {
            var e = Fields(records[i + 1]);
            Assert.Equal((ulong)rounds[i].Round, Single(e, 2).Number);
            var values = Fields(Single(e, 5).Bytes!).Where(f => f.Field == 1).Select(f => Fields(f.Bytes!))
                .ToDictionary(v => Encoding.UTF8.GetString(Single(v, 1).Bytes!), v => BitConverter.Int32BitsToSingle((int)Single(v, 2).Number));
            var expected = rounds[i].Fields().Where(f => f.Name != "round" && double.IsFinite(f.Value)).ToList();
            Assert.Equal(expected.Select(f => f.Name), values.Keys);
            foreach (var (name, value) in expected)
            {
                Assert.Equal((float)value, values[name]);
            }
        }
        Assert.Contains("client_accuracy_p10", Names(records[1]));
        Assert.DoesNotContain("client_accuracy_p10", Names(records[2]));
        Assert.Contains("drift", Names(records[2]));
        Assert.Contains("test_accuracy", Names(records[2]));
    }

    private static IEnumerable<string> Names(byte[] record) =>
        Fields(Single(Fields(record), 5).Bytes!).Select(f => Encoding.UTF8.GetString(Single(Fields(f.Bytes!), 1).Bytes!));

    /// <summary>TFRecord framing, checking both masked CRCs of every record.</summary>
    private static List<byte[]> ReadRecords(byte[] file)
    {
        var records = new List<byte[]>();
        int pos = 0;
        while (pos < file.Length)
        {
            var length = file.AsSpan(pos, 8);
            int n = (int)BinaryPrimitives.ReadUInt64LittleEndian(length);
            Assert.Equal(Mask(Crc32C.Compute(length)), BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(pos + 8)));
            var data = file.AsSpan(pos + 12, n);
            Assert.Equal(Mask(Crc32C.Compute(data)), BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(pos + 12 + n)));
            records.Add(data.ToArray());
            pos += 12 + n + 4;
        }
        Assert.Equal(file.Length, pos);
        return records;
    }

    /// <summary>Protobuf fields: varint and fixed values as numbers (fixed as raw bits), length-delimited as bytes.</summary>
    private static List<(int Field, ulong Number, byte[]? Bytes)> Fields(byte[] message)
    {
        var fields = new List<(int, ulong, byte[]?)>();
        int pos = 0;
        while (pos < message.Length)
        {
            ulong tag = ReadVarint(message, ref pos);
            int field = (int)(tag >> 3);
            switch ((int)(tag & 7))
            {
                case 0:
                    fields.Add((field, ReadVarint(message, ref pos), null));
                    break;
                case 1:
                    fields.Add((field, BinaryPrimitives.ReadUInt64LittleEndian(message.AsSpan(pos)), null));
                    pos += 8;
                    break;
                case 2:
                    int n = (int)ReadVarint(message, ref pos);
                    fields.Add((field, 0, message.AsSpan(pos, n).ToArray()));
                    pos += n;
                    break;
                case 5:
                    fields.Add((field, BinaryPrimitives.ReadUInt32LittleEndian(message.AsSpan(pos)), null));
                    pos += 4;
                    break;
                default:
                    Assert.Fail($"unexpected wire type in tag {tag}");
                    break;
            }
        }
        Assert.Equal(message.Length, pos);
        return fields;
    }

    private static (int Field, ulong Number, byte[]? Bytes) Single(List<(int Field, ulong Number, byte[]? Bytes)> fields, int field) =>
        Assert.Single(fields, f => f.Field == field);

    private static ulong ReadVarint(byte[] b, ref int pos)
    {
        Assert.Equal(VarintRead.Done, Varint.TryRead(b, ref pos, out ulong value));
        return value;
    }

    private static uint Mask(uint crc) => unchecked(((crc >> 15) | (crc << 17)) + 0xa282ead8u);

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
