using Cohort.Transport.Wire;
using Google.Protobuf;

namespace Cohort.Transport.Tests;

public class WireTests
{
    [Fact]
    public async Task HandEncodedChunksAreStandardProtobufBothWays()
    {
        var values = Enumerable.Range(0, VectorChunks.ChunkValues + 1000).Select(i => i * 0.25f - 7).ToArray();
        using var stream = new MemoryStream();
        using (var writer = new StreamChunks(stream))
        {
            await VectorChunks.WriteAsync(writer, [values], CancellationToken.None);
        }

        // The generated parser reads what the codec wrote.
        stream.Position = 0;
        var first = TensorChunk.Parser.ParseDelimitedFrom(stream);
        var second = TensorChunk.Parser.ParseDelimitedFrom(stream);
        Assert.Equal((0L, 4 * VectorChunks.ChunkValues), (first.Offset, first.Values.Length));
        Assert.Equal((VectorChunks.ChunkValues, 4000), (second.Offset, second.Values.Length));
        Assert.Equal(values[^1], BitConverter.ToSingle(second.Values.Span[^4..]));

        // And the codec reads what the generated code writes.
        using var generated = new MemoryStream();
        new TensorChunk { Offset = 0, Values = ByteString.CopyFrom(first.Values.Span) }.WriteDelimitedTo(generated);
        new TensorChunk { Offset = VectorChunks.ChunkValues, Values = ByteString.CopyFrom(second.Values.Span) }.WriteDelimitedTo(generated);
        generated.Position = 0;
        var read = new float[values.Length];
        using var reader = new StreamChunks(generated);
        await VectorChunks.ReadAsync(reader, read, requireFinite: true, "test", CancellationToken.None);
        Assert.Equal(values, read);
    }
}
