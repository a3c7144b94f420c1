using Cohort.Federated.Algorithms;
using Cohort.Federated.Compression;
using Cohort.Federated.Stages;
using Cohort.Federated.State;

namespace Cohort.Federated.Tests.Compression;

public class ErrorFeedbackTests
{
    private const int N = 300;

    [Fact]
    public void EfKeepsSentPlusNewResidualEqualToUpdatePlusOldResidual()
    {
        using var states = new SpillingStateStore(1 << 20);
        var stage = new CompressionStage(new TopK(new SparseCount(0.05)), ErrorFeedback.Ef, states);
        var residual = new float[N];
        double sentNorm = 0;
        for (int round = 1; round <= 4; round++)
        {
            var update = Codes.Normal(N, (ulong)round);
            var original = (float[])update.Clone();
            long bytes = stage.OnClient(new StageContext(round, 7, 3), update);
            Assert.True(bytes < 4 * N);
            var next = new float[N];
            Assert.True(states.TryRead(7, stage.StateName, next));
            for (int i = 0; i < N; i++)
            {
                Assert.Equal(original[i] + residual[i], update[i] + next[i], 1e-5f);
            }
            Assert.Equal(15, update.Count(v => v != 0));
            sentNorm += System.Numerics.Tensors.TensorPrimitives.Norm(update);
            residual = next;
        }
        Assert.True(sentNorm > 0);
    }

    [Fact]
    public void Ef21SendsTheCompressedChangeOfItsEstimate()
    {
        using var states = new SpillingStateStore(1 << 20);
        var stage = new CompressionStage(new TopK(new SparseCount(30)), ErrorFeedback.Ef21, states);
        var estimate = new float[N];
        var fixedUpdate = Codes.Normal(N, 9);
        for (int round = 1; round <= 12; round++)
        {
            var update = (float[])fixedUpdate.Clone();
            stage.OnClient(new StageContext(round, 2, 3), update);
            // c = top-k(u − g) goes out; g ← g + c.
            Assert.True(update.Count(v => v != 0) <= 30);
            var stored = new float[N];
            states.TryRead(2, stage.StateName, stored);
            Assert.Equal(estimate.Zip(update, (g, c) => g + c), stored);
            estimate = stored;
        }
        // A fixed update is reached in N/30 rounds: the estimate converges to it exactly.
        Assert.Equal(fixedUpdate, estimate);
    }

    [Fact]
    public void Ef21UnderPartialParticipationMovesTheServerEstimateByTheCohortsMessagesOverAllClients()
    {
        // EF21-PP (Fatkhullin et al. 2021): participants send cᵢ = C(uᵢ − gᵢ) and set gᵢ ← gᵢ + cᵢ; the others
        // keep gᵢ; the server sets g ← g + (1/n)·Σ_{i∈S} cᵢ, n = 4 clients of equal weight, C = top-1.
        using var states = new SpillingStateStore(1 << 20);
        var stage = new CompressionStage(new TopK(new SparseCount(0.5)), ErrorFeedback.Ef21, states);
        var server = new ServerState(new float[2], [], new Cohort.NN.Optimizers.Sgd(1f));
        float[] Round(int round, params (int Client, float[] Update)[] cohort)
        {
            var mean = new float[2];
            foreach (var (client, update) in cohort)
            {
                stage.OnClient(new StageContext(round, client, 3), update);
                for (int j = 0; j < 2; j++)
                {
                    mean[j] += update[j] / cohort.Length;
                }
            }
            stage.OnServer(new StageContext(round, -1, 3) { Participation = cohort.Length / 4.0, Server = server }, mean);
            return mean;
        }
        // Round 1, clients 0 and 1: c₀ = top-1(4, 1) = (4, 0), c₁ = top-1(2, −6) = (0, −6); g = (4 + 0, 0 − 6)/4 = (1, −1.5).
        Assert.Equal([1f, -1.5f], Round(1, (0, [4, 1]), (1, [2, -6])));
        // Round 2, clients 0 and 2: c₀ = top-1((4, 2) − (4, 0)) = (0, 2), c₂ = top-1(8, 0) = (8, 0);
        // g = (1, −1.5) + (8, 2)/4 = (3, −1). It is the mean of g₀ = (4, 2), g₁ = (0, −6), g₂ = (8, 0), g₃ = 0.
        Assert.Equal([3f, -1f], Round(2, (0, [4, 2]), (2, [8, 0])));
        var g0 = new float[2];
        Assert.True(states.TryRead(0, stage.StateName, g0));
        Assert.Equal([4f, 2f], g0);
        Assert.Equal([3f, -1f], server.Vector(CompressionStage.ServerEstimate));
    }

    [Fact]
    public void ClientsKeepSeparateResiduals()
    {
        using var states = new SpillingStateStore(1 << 20);
        var stage = new CompressionStage(new ScaledSymbols<SignSymbol>(CompressorIds.Sign, "sign", false, Segments.Whole), ErrorFeedback.Ef, states);
        stage.OnClient(new StageContext(1, 0, 3), Codes.Normal(N, 1));
        Assert.False(states.TryRead(1, stage.StateName, new float[N]));
        Assert.True(states.TryRead(0, stage.StateName, new float[N]));
    }

    [Fact]
    public void DownlinkViewFollowsTheModelWithTheErrorCarried()
    {
        var model = Codes.Normal(N, 4);
        var downlink = new DownlinkCompression(new TopK(new SparseCount(30)));
        var view = (float[])model.Clone();
        var target = Codes.Normal(N, 5);
        int bytes = 0;
        for (int round = 1; round <= 10; round++)
        {
            bytes = downlink.Broadcast(target, view, view, 1, round);
            Assert.Equal(bytes, downlink.Message.Length);
        }
        for (int i = 0; i < N; i++)
        {
            Assert.Equal(target[i], view[i], 1e-6f);
        }
        Assert.True(bytes < 4 * N, $"{bytes} bytes");
    }

    [Fact]
    public void LazyClientSendsAHeaderWhenItsUpdateBarelyMoved()
    {
        using var states = new SpillingStateStore(1 << 20);
        var stage = new LazyUploadStage(0.1, states);
        var first = Codes.Normal(N, 1);
        Assert.Equal(Codes.Framed(N, 4 * N), stage.OnClient(new StageContext(1, 0, 3), (float[])first.Clone()));
        var close = first.Select(v => v * 1.01f).ToArray();
        long skipped = stage.OnClient(new StageContext(2, 0, 3), close);
        Assert.Equal(Codes.Framed(N, 0), skipped);
        Assert.Equal(first, close);
        var far = Codes.Normal(N, 2);
        var sent = (float[])far.Clone();
        Assert.Equal(Codes.Framed(N, 4 * N), stage.OnClient(new StageContext(3, 0, 3), sent));
        Assert.Equal(far, sent);
    }
}
