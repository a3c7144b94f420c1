using Cohort.Federated.State;
using Cohort.Tensors.Random;

namespace Cohort.Federated.Tests;

public class SpillingStoreTests
{
    [Fact]
    public void TenThousandClientsRoundTripExactly()
    {
        const int clients = 10_000, length = 33;
        using var folder = new Outputs.TempFolder();
        // A budget of 100 clients' vectors: nearly all spill.
        using var store = new SpillingStateStore(100 * 4 * length, folder.Path);
        var value = new float[length];
        for (int k = 0; k < clients; k++)
        {
            Fill(k, value);
            store.Write(k, "scaffold.c_i", value);
        }
        Assert.True(store.SpilledCount > clients - 200, $"{store.SpilledCount} spilled");
        Assert.True(store.BytesInMemory <= 100 * 4 * length);
        var expected = new float[length];
        var read = new float[length];
        for (int k = clients - 1; k >= 0; k--)
        {
            Fill(k, expected);
            Assert.True(store.TryRead(k, "scaffold.c_i", read));
            Assert.Equal(Bits(expected), Bits(read));
        }
        Assert.False(store.TryRead(clients, "scaffold.c_i", read));
        Assert.False(store.TryRead(0, "feddyn.grad", read));
    }

    [Fact]
    public void DisposeRemovesOnlyWhatTheStoreMade()
    {
        using var folder = new Outputs.TempFolder();
        File.WriteAllText(folder.Combine("keep.txt"), "mine");
        var store = new SpillingStateStore(8, folder.Path);
        store.Write(0, "a", [1f, 2f]);
        store.Write(1, "a", [3f, 4f]);
        Assert.Equal(1, store.SpilledCount);
        // Rewritten after spilling: read back the newest value, from memory or its slot.
        store.Write(0, "a", [5f, 6f]);
        var read = new float[2];
        Assert.True(store.TryRead(1, "a", read));
        Assert.Equal([3f, 4f], read);
        Assert.True(store.TryRead(0, "a", read));
        Assert.Equal([5f, 6f], read);
        Assert.Equal(2, Directory.GetFiles(folder.Path).Length);
        store.Dispose();
        Assert.Equal([folder.Combine("keep.txt")], Directory.GetFiles(folder.Path));
    }

    private static void Fill(int client, float[] value)
    {
        var random = RandomStream.Create(3, client);
        random.FillNormal(value, 0, 1);
        // Values whose bits a lossy path would change.
        value[0] = float.Epsilon * client;
        value[1] = client % 2 == 0 ? -0f : float.MaxValue;
    }

    private static int[] Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();
}
