using System.Buffers;
using Cohort.Transport.Wire;
using Google.Protobuf;

namespace Cohort.Transport.Tests;

/// <summary>The server's pooled reading of upload parts gives what the generated parser gives, for the bytes any protobuf library writes.</summary>
public class PooledUploadPartsTests
{
    private static readonly byte[] Values = [.. Enumerable.Range(0, 4 * 1000).Select(i => (byte)(i * 7))];

    public static TheoryData<string> Parts() => ["tensor", "message", "header", "empty tensor", "offset after values", "negative offset", "unknown field"];

    [Theory]
    [MemberData(nameof(Parts))]
    public void ReadsWhatTheGeneratedParserReads(string kind)
    {
        byte[] bytes = Encode(kind);
        var expected = UploadPart.Parser.ParseFrom(bytes);
        // Split across segments, as a frame arrives from the connection.
        var pooled = PooledUploadParts.Parse(Segmented(bytes, 97));
        Assert.Equal(expected, pooled);
        Assert.Equal(kind is "tensor" or "message" or "offset after values" or "negative offset", pooled.Pooled is not null);
    }

    [Fact]
    public void RefusesATruncatedChunkAsTheGeneratedParserDoes()
    {
        byte[] bytes = new UploadPart { Tensor = new TensorChunk { Offset = 5, Values = ByteString.CopyFrom(Values) } }.ToByteArray()[..^10];
        Assert.Throws<InvalidProtocolBufferException>(() => UploadPart.Parser.ParseFrom(bytes));
        Assert.Throws<InvalidProtocolBufferException>(() => PooledUploadParts.Parse(new ReadOnlySequence<byte>(bytes)));
    }

    private static byte[] Encode(string kind) => kind switch
    {
        "tensor" => new UploadPart { Tensor = new TensorChunk { Offset = 262144, Values = ByteString.CopyFrom(Values) } }.ToByteArray(),
        "message" => new UploadPart { Message = new MessageChunk { Offset = 3, Data = ByteString.CopyFrom(Values) } }.ToByteArray(),
        "header" => new UploadPart { Header = new UpdateHeader { TaskId = "t", Round = 2, Length = 1000 } }.ToByteArray(),
        "empty tensor" => new UploadPart { Tensor = new TensorChunk() }.ToByteArray(),
        "negative offset" => new UploadPart { Tensor = new TensorChunk { Offset = -1, Values = ByteString.CopyFrom(Values) } }.ToByteArray(),
        // Fields in another order than the generated writer's: values first, then the offset (field 3, 2: values; 1: offset 9).
        "offset after values" => Field(3, [.. Field(2, Values), 0x08, 9]),
        // A field the message does not define (field 7, varint): the generated parser keeps it among unknown fields.
        "unknown field" => Field(3, [0x08, 1, .. Field(2, Values), 0x38, 1]),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static byte[] Field(int number, byte[] bytes)
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        output.WriteTag(number, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(bytes));
        output.Flush();
        return stream.ToArray();
    }

    private static ReadOnlySequence<byte> Segmented(byte[] bytes, int size)
    {
        Segment? first = null, last = null;
        for (int start = 0; start < bytes.Length; start += size)
        {
            var piece = bytes.AsMemory(start, Math.Min(size, bytes.Length - start));
            last = last is null ? first = new Segment(piece, 0) : last.Append(piece);
        }
        return first is null ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(first, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long index)
        {
            Memory = memory;
            RunningIndex = index;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
