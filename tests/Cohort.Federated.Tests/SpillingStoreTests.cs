using Cohort.Federated.State;
using Cohort.Tensors.Random;

namespace Cohort.Federated.Tests;

public class SpillingStoreTests
{
    /// <summary>A vector of a test component.</summary>
    private static ClientVector V(string name) => new("test", name);

    /// <summary>Named vectors of different lengths, as SCAFFOLD's c_i beside a residual and a momentum would be.</summary>
    private static readonly (string Name, int Length)[] Vectors = [("scaffold.c_i", 33), ("ef.residual", 7), ("momentum", 101)];

    private const int Clients = 10_000;

    /// <summary>A budget of 100 clients' vectors: nearly all spill.</summary>
    private static readonly long Budget = 100 * 4 * Vectors.Sum(v => v.Length);

    [Fact]
    public void TenThousandClientsRoundTripExactlyThroughRewrites()
    {
        using var folder = new Outputs.TempFolder();
        var store = new SpillingStateStore(Budget, folder.Path);
        WriteAll(store, generation: 0);
        Assert.True(store.SpilledCount > Clients * Vectors.Length - 300, $"{store.SpilledCount} spilled");
        Assert.True(store.SpillFileBytes >= store.SpillSlotBytes && store.SpillSlotBytes > 0);
        AssertAll(store, generation: 0);

        // Rewritten: the vectors that stayed in memory spill too; then every vector has one slot.
        WriteAll(store, generation: 1);
        AssertAll(store, generation: 1);
        long oneSlotEach = 4L * Clients * Vectors.Sum(v => v.Length);
        Assert.Equal(oneSlotEach, store.SpillSlotBytes);
        // Rewritten again: overwritten in place, the file does not grow.
        long file = store.SpillFileBytes;
        WriteAll(store, generation: 2);
        AssertAll(store, generation: 2);
        Assert.Equal(oneSlotEach, store.SpillSlotBytes);
        Assert.Equal(file, store.SpillFileBytes);

        var read = new float[33];
        Assert.False(store.TryRead(Clients, V("scaffold.c_i"), read));
        Assert.False(store.TryRead(0, V("feddyn.grad"), read));
        Assert.Single(Directory.GetFiles(folder.Path));
        store.Dispose();
        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void SavedStoreRestoresEveryVectorIncludingSpilledOnes()
    {
        using var folder = new Outputs.TempFolder();
        using var saved = new MemoryStream();
        using (var store = new SpillingStateStore(Budget, folder.Combine("first")))
        {
            WriteAll(store, generation: 2);
            store.Save(saved);
        }
        Assert.False(Directory.Exists(folder.Combine("first")));
        // Another budget: what was in memory may now spill, and the other way round.
        using var restored = new SpillingStateStore(Budget / 3, folder.Combine("second"));
        restored.Write(5, V("stale"), [1f, 2f]);
        saved.Position = 0;
        restored.Restore(saved, "test.bin");
        AssertAll(restored, generation: 2);
        Assert.False(restored.TryRead(5, V("stale"), new float[2]));
        Assert.True(restored.BytesInMemory <= Budget / 3);
    }

    [Fact]
    public void DamagedOrCutSavesAreRefusedByName()
    {
        using var store = new SpillingStateStore(16);
        store.Write(0, V("a"), [1f, 2f, 3f]);
        store.Write(1, V("a"), [4f, 5f, 6f]);
        using var saved = new MemoryStream();
        store.Save(saved);
        byte[] bytes = saved.ToArray();

        var flipped = (byte[])bytes.Clone();
        flipped[^6] ^= 1;
        var damaged = Assert.Throws<InvalidDataException>(() => Restore(flipped));
        Assert.Contains("state.bin", damaged.Message);
        Assert.Contains("checksum", damaged.Message);

        var cut = Assert.Throws<InvalidDataException>(() => Restore(bytes[..^5]));
        Assert.Contains("state.bin", cut.Message);

        var other = Assert.Throws<InvalidDataException>(() => Restore("not a state file at all"u8.ToArray()));
        Assert.Contains("state.bin", other.Message);

        // A refused file leaves the store as it was.
        using var target = new SpillingStateStore(1 << 20);
        target.Write(9, V("kept"), [7f]);
        Assert.Throws<InvalidDataException>(() => target.Restore(new MemoryStream(flipped), "state.bin"));
        var kept = new float[1];
        Assert.True(target.TryRead(9, V("kept"), kept));
        Assert.Equal(7f, kept[0]);

        static void Restore(byte[] file)
        {
            using var target = new SpillingStateStore(1 << 20);
            target.Restore(new MemoryStream(file), "state.bin");
        }
    }

    [Fact]
    public void WorkersWritingAndReadingAtOnceSeeTheirOwnVectors()
    {
        using var store = new SpillingStateStore(50 * 4 * 33);
        Parallel.For(0, 2_000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, k =>
        {
            var value = new float[33];
            var read = new float[33];
            for (int generation = 0; generation < 3; generation++)
            {
                Fill(k, generation, value);
                store.Write(k, V("c"), value);
                Assert.True(store.TryRead(k, V("c"), read));
                Assert.Equal(Bits(value), Bits(read));
            }
        });
        Assert.True(store.BytesInMemory <= 50 * 4 * 33);
    }

    [Fact]
    public void AVectorThatChangesLengthGetsAFreshSlotAndItsOldOneIsReused()
    {
        // No budget: each write spills the vector written before it.
        using var store = new SpillingStateStore(0);
        store.Write(0, V("a"), [1f, 2f]);
        store.Write(1, V("a"), [3f, 4f]);
        store.Write(0, V("a"), [5f, 6f, 7f]);
        store.Write(2, V("a"), [8f, 9f]);
        // Client 0 spilled with three floats: a new slot, its two-float one freed.
        Assert.Equal(4 * (2 + 2 + 3), store.SpillSlotBytes);
        store.Write(3, V("a"), [1f]);
        // Client 2's two floats took the freed slot.
        Assert.Equal(4 * (2 + 2 + 3), store.SpillSlotBytes);
        Assert.Equal([5f, 6f, 7f], Read(0, 3));
        Assert.Equal([3f, 4f], Read(1, 2));
        Assert.Equal([8f, 9f], Read(2, 2));
        Assert.Equal([1f], Read(3, 1));

        float[] Read(int client, int length)
        {
            var values = new float[length];
            Assert.True(store.TryRead(client, V("a"), values));
            return values;
        }
    }

    [Fact]
    public void DisposeRemovesOnlyWhatTheStoreMade()
    {
        using var folder = new Outputs.TempFolder();
        File.WriteAllText(folder.Combine("keep.txt"), "mine");
        var store = new SpillingStateStore(8, folder.Path);
        store.Write(0, V("a"), [1f, 2f]);
        store.Write(1, V("a"), [3f, 4f]);
        Assert.Equal(1, store.SpilledCount);
        // Rewritten after spilling: read back the newest value, from memory or its slot.
        store.Write(0, V("a"), [5f, 6f]);
        var read = new float[2];
        Assert.True(store.TryRead(1, V("a"), read));
        Assert.Equal([3f, 4f], read);
        Assert.True(store.TryRead(0, V("a"), read));
        Assert.Equal([5f, 6f], read);
        Assert.Equal(2, Directory.GetFiles(folder.Path).Length);
        store.Dispose();
        Assert.Equal([folder.Combine("keep.txt")], Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void ChecksumInPiecesEqualsTheWholeFilesChecksum()
    {
        var bytes = new byte[1001];
        new Random(4).NextBytes(bytes);
        uint pieces = Federated.Outputs.Crc32C.Append(Federated.Outputs.Crc32C.Append(Federated.Outputs.Crc32C.Append(0, bytes.AsSpan(0, 3)), bytes.AsSpan(3, 500)), bytes.AsSpan(503));
        Assert.Equal(Federated.Outputs.Crc32C.Compute(bytes), pieces);
        Assert.Equal(0xE3069283u, Federated.Outputs.Crc32C.Append(0, "123456789"u8));
    }

    private static void WriteAll(SpillingStateStore store, int generation)
    {
        foreach (var (name, length) in Vectors)
        {
            var value = new float[length];
            for (int k = 0; k < Clients; k++)
            {
                Fill(k * 7 + name.Length, generation, value);
                store.Write(k, V(name), value);
                Assert.True(store.BytesInMemory <= Budget);
            }
        }
    }

    [Theory]
    [InlineData(1L << 20)]
    [InlineData(0L)]
    public void ASavedVectorOfAnotherLengthThanItsDeclarationIsAnErrorNamingTheClientAndVector(long budget)
    {
        using var folder = new Outputs.TempFolder();
        var saved = new MemoryStream();
        using (var first = new SpillingStateStore(budget, folder.Path))
        {
            first.Write(4, new ClientVector("scaffold", "scaffold.c_i"), [1, 2, 3]);
            first.Write(5, new ClientVector("scaffold", "scaffold.c_i"), [4, 5, 6]);
            first.Save(saved);
        }
        using var store = new SpillingStateStore(budget, folder.Path);
        saved.Position = 0;
        store.Restore(saved, "checkpoint/client-state.bin");
        // Budget 0: the restored vectors are read back from the spill file; either way the declared length decides.
        var error = Assert.Throws<InvalidDataException>(() => store.TryRead(4, new ClientVector("scaffold", "scaffold.c_i"), new float[5]));
        Assert.Equal("Client 4's vector scaffold.c_i (scaffold) restored from checkpoint/client-state.bin holds 3 values, but scaffold declares 5: the saved state is not this run's.", error.Message);
        var read = new float[3];
        Assert.True(store.TryRead(5, new ClientVector("scaffold", "scaffold.c_i"), read));
        Assert.Equal([4f, 5f, 6f], read);
    }

    private static void AssertAll(SpillingStateStore store, int generation)
    {
        foreach (var (name, length) in Vectors)
        {
            var expected = new float[length];
            var read = new float[length];
            for (int k = Clients - 1; k >= 0; k--)
            {
                Fill(k * 7 + name.Length, generation, expected);
                Assert.True(store.TryRead(k, V(name), read));
                Assert.Equal(Bits(expected), Bits(read));
            }
        }
    }

    private static void Fill(int key, int generation, float[] value)
    {
        var random = RandomStream.Create(3, key, generation);
        random.FillNormal(value, 0, 1);
        // Values whose bits a lossy path would change.
        value[0] = float.Epsilon * key;
        value[1] = key % 2 == 0 ? -0f : float.MaxValue;
        value[^1] = BitConverter.Int32BitsToSingle(0x7FC00000 | key);
    }

    private static int[] Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();
}
