using Cohort.Federated.Compression;
using Cohort.Federated.Config;
using Cohort.Federated.Engine;

namespace Cohort.Federated.Tests.Compression;

public class PowerSgdTests
{
    /// <summary>
    /// Both exchanges over in-memory client updates (uniform weights); returns the aggregate, moves
    /// <paramref name="q"/> to Q̂ (the warm start) and, when given, fills each client's residual.
    /// </summary>
    private static float[] Round(PowerSgd power, float[] q, float[][] updates, float[][]? residuals = null)
    {
        int first = power.PLength + power.VectorLength;
        var meanFirst = new float[first];
        foreach (var u in updates)
        {
            var message = new float[first];
            power.ClientP(u, q, message);
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(message, 1f / updates.Length, meanFirst, meanFirst);
        }
        var pHat = meanFirst.AsSpan(0, power.PLength).ToArray();
        power.Orthonormalize(pHat);
        var meanQ = new float[power.QLength];
        for (int c = 0; c < updates.Length; c++)
        {
            var message = new float[power.QLength];
            power.ClientQ(updates[c], pHat, message);
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(message, 1f / updates.Length, meanQ, meanQ);
            if (residuals is not null)
            {
                residuals[c] = new float[power.Length];
                power.Residual(updates[c], pHat, message, residuals[c]);
            }
        }
        var aggregate = new float[power.Length];
        power.Reconstruct(pHat, meanQ, meanFirst.AsSpan(power.PLength), aggregate);
        meanQ.CopyTo(q, 0);
        return aggregate;
    }

    [Fact]
    public void RankOneUpdatesAreRecoveredExactlyAndVectorsPassUncompressed()
    {
        // A 6 × 4 matrix at offset 2, a bias of 2 before it and 3 after: clients send aᵢ·u·vᵀ.
        var power = new PowerSgd([new MatrixBlock(2, 6, 4)], 29, rank: 1);
        var u = Codes.Normal(6, 1);
        var v = Codes.Normal(4, 2);
        var updates = new float[3][];
        for (int c = 0; c < 3; c++)
        {
            updates[c] = Codes.Normal(29, (ulong)c + 10);
            for (int i = 0; i < 6; i++)
            {
                for (int j = 0; j < 4; j++)
                {
                    updates[c][2 + i * 4 + j] = (c + 1) * u[i] * v[j];
                }
            }
        }
        var aggregate = Round(power, power.InitialQ(3), updates);
        for (int i = 0; i < 29; i++)
        {
            Assert.Equal(updates.Average(x => x[i]), aggregate[i], 1e-5f);
        }
        Assert.Equal(6 + 4 + 5, power.PLength + power.QLength + power.VectorLength);
    }

    [Fact]
    public void FullRankRecoversTheMeanAndAggregatePlusResidualIsTheOriginal()
    {
        var power = new PowerSgd([new MatrixBlock(0, 5, 8)], 40, rank: 5);
        var updates = Enumerable.Range(0, 4).Select(c => Codes.Normal(40, (ulong)c)).ToArray();
        var aggregate = Round(power, power.InitialQ(4), updates);
        for (int i = 0; i < 40; i++)
        {
            Assert.Equal(updates.Average(x => x[i]), aggregate[i], 1e-4f);
        }
        // At rank 1 the aggregate loses something, and each client's residual M − P̂Qᵢᵀ keeps it: their mean plus the aggregate is the mean update.
        var low = new PowerSgd([new MatrixBlock(0, 5, 8)], 40, rank: 1);
        var residuals = new float[updates.Length][];
        var approximate = Round(low, low.InitialQ(4), updates, residuals);
        var residualMean = new float[40];
        foreach (var r in residuals)
        {
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(r, 1f / updates.Length, residualMean, residualMean);
        }
        Assert.True(System.Numerics.Tensors.TensorPrimitives.Norm(residualMean) > 0.1f);
        for (int i = 0; i < 40; i++)
        {
            Assert.Equal(updates.Average(x => x[i]), approximate[i] + residualMean[i], 1e-5f);
        }
        // Each residual is what the client's own factors miss, so it never outgrows its update.
        Assert.All(updates.Zip(residuals), p => Assert.True(System.Numerics.Tensors.TensorPrimitives.Norm(p.Second) <= System.Numerics.Tensors.TensorPrimitives.Norm(p.First)));
    }

    [Fact]
    public void ARankAboveAMatrixsSmallerSideIsThatSide()
    {
        // 5 × 8 at rank 7: P is 5 × 5 and Q 8 × 5, never larger than the matrix.
        var power = new PowerSgd([new MatrixBlock(0, 5, 8)], 42, rank: 7);
        Assert.Equal((25, 40, 2), (power.PLength, power.QLength, power.VectorLength));
        var updates = Enumerable.Range(0, 3).Select(c => Codes.Normal(42, (ulong)c + 20)).ToArray();
        var aggregate = Round(power, power.InitialQ(1), updates);
        for (int i = 0; i < 42; i++)
        {
            Assert.Equal(updates.Average(x => x[i]), aggregate[i], 1e-4f);
        }
    }

    [Fact]
    public void WarmStartedQConvergesToTheTopSingularPair()
    {
        // M = 3·a·bᵀ + 1·c·dᵀ with orthonormal pairs: the best rank-1 approximation is 3·a·bᵀ.
        float[] a = [0.6f, 0.8f, 0, 0], c = [0, 0, 1, 0], b = [1, 0, 0], d = [0, 0.6f, 0.8f];
        var m = new float[12];
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                m[i * 3 + j] = 3 * a[i] * b[j] + c[i] * d[j];
            }
        }
        var power = new PowerSgd([new MatrixBlock(0, 4, 3)], 12, rank: 1);
        var q = power.InitialQ(9);
        float[] aggregate = [];
        for (int round = 0; round < 30; round++)
        {
            aggregate = Round(power, q, [m]);
        }
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                Assert.Equal(3 * a[i] * b[j], aggregate[i * 3 + j], 1e-4f);
            }
        }
    }

    [Theory]
    [InlineData("algorithm.name=mime")]
    [InlineData("attack.name=sign-flip", "attack.byzantine=1")]
    [InlineData("algorithm.name=scaffold")]
    [InlineData("robust.worker_momentum=0.9")]
    public void PowerSgdRefusesMethodsAndStagesItCannotCarry(params string[] settings)
    {
        var data = TestExperiments.MnistSubset(200, 50);
        var config = TestExperiments.Config(["model=logreg", "partition.clients=4", "clients_per_round=4", "rounds=1", "compression.uplink.name=powersgd", .. settings]);
        var error = Assert.Throws<ConfigException>(() => new FederatedRun(Experiment.From(config), TestExperiments.Partitioned(data, config)));
        Assert.StartsWith("compression.uplink.name: powersgd adds its two exchanges to a method that sends only its update in one exchange; it cannot run with ", error.Message, StringComparison.Ordinal);
        Assert.Contains(settings[0][..settings[0].IndexOf('=', StringComparison.Ordinal)], error.Message, StringComparison.Ordinal);
    }
}
