using Cohort.Tensors.Random;
using Cohort.Federated.Config;

namespace Cohort.Federated.Compression;

/// <summary>
/// PowerSGD's math on flat spans (Vogels et al. 2019): each weight matrix M (n × m) of an update is sent
/// as rank-r factors in two exchanges. First every client sends P = M·Q (n × r) with the shared Q; the
/// server averages and orthonormalizes them into P̂ (Gram–Schmidt). Then every client sends Q = Mᵀ·P̂
/// (m × r); the server averages them into Q̂, and the aggregate is P̂·Q̂ᵀ; Q̂ warm-starts the next round's Q.
/// Values outside the matrices go uncompressed with P. A matrix's rank is min(r, n, m): beyond that
/// the factors are larger than the matrix, so every message fits in a model-sized buffer.
/// </summary>
internal sealed class PowerSgd
{
    public static CompressorDeclaration Declaration { get; } = new("powersgd", "PowerSGD (Vogels et al. 2019): rank-r factors of each weight matrix, in two exchanges a round (uplink only)", _ => null)
    {
        Keys = [Key.Integer("rank", "2", "rank r of each weight matrix's factors", 1, 1024)],
    };

    private readonly MatrixBlock[] _matrices;
    private readonly int[] _ranks;
    private readonly bool[] _inMatrix;

    public PowerSgd(IReadOnlyList<MatrixBlock> matrices, int length, int rank)
    {
        if (rank < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(rank), $"PowerSGD rank must be at least 1; got {rank}.");
        }
        _matrices = [.. matrices];
        _ranks = [.. _matrices.Select(b => Math.Min(rank, Math.Min(b.Rows, b.Columns)))];
        Length = length;
        _inMatrix = new bool[length];
        foreach (var b in _matrices)
        {
            _inMatrix.AsSpan(b.Offset, b.Size).Fill(true);
        }
        VectorLength = _inMatrix.Count(x => !x);
        PLength = _matrices.Select((b, i) => b.Rows * _ranks[i]).Sum();
        QLength = _matrices.Select((b, i) => b.Columns * _ranks[i]).Sum();
    }

    public int Length { get; }

    /// <summary>Values outside the matrices (sent dense with P).</summary>
    public int VectorLength { get; }

    public int PLength { get; }

    public int QLength { get; }

    /// <summary>The first round's Q, the same on every replica: standard normal values from <c>(seed, "powersgd-q")</c>.</summary>
    public float[] InitialQ(ulong seed)
    {
        var q = new float[QLength];
        RandomStream.Create(seed, RandomStream.Purpose("powersgd-q")).FillNormal(q, 0, 1);
        return q;
    }

    /// <summary>Exchange 1, client: P = M·Q for every matrix, then the other values; <paramref name="message"/> holds PLength + VectorLength values.</summary>
    public void ClientP(ReadOnlySpan<float> update, ReadOnlySpan<float> q, Span<float> message)
    {
        int p = 0, qo = 0;
        for (int i = 0; i < _matrices.Length; i++)
        {
            var (b, r) = (_matrices[i], _ranks[i]);
            Multiply(update.Slice(b.Offset, b.Size), b.Rows, b.Columns, r, q.Slice(qo, b.Columns * r), message.Slice(p, b.Rows * r));
            p += b.Rows * r;
            qo += b.Columns * r;
        }
        for (int i = 0; i < Length; i++)
        {
            if (!_inMatrix[i])
            {
                message[p++] = update[i];
            }
        }
    }

    /// <summary>Exchange 1, server: orthonormalizes the columns of each mean P in place (this is P̂, broadcast to the cohort).</summary>
    public void Orthonormalize(Span<float> meanP)
    {
        int p = 0;
        for (int i = 0; i < _matrices.Length; i++)
        {
            var (b, r) = (_matrices[i], _ranks[i]);
            GramSchmidt(meanP.Slice(p, b.Rows * r), b.Rows, r);
            p += b.Rows * r;
        }
    }

    /// <summary>Exchange 2, client: Q = Mᵀ·P̂ for every matrix.</summary>
    public void ClientQ(ReadOnlySpan<float> update, ReadOnlySpan<float> pHat, Span<float> message)
    {
        int p = 0, q = 0;
        for (int i = 0; i < _matrices.Length; i++)
        {
            var (b, r) = (_matrices[i], _ranks[i]);
            TransposeMultiply(update.Slice(b.Offset, b.Size), b.Rows, b.Columns, r, pHat.Slice(p, b.Rows * r), message.Slice(q, b.Columns * r));
            p += b.Rows * r;
            q += b.Columns * r;
        }
    }

    /// <summary>Exchange 2, server: the aggregate P̂·Q̂ᵀ on the matrices and <paramref name="rest"/> (the mean of the other values) outside them.</summary>
    public void Reconstruct(ReadOnlySpan<float> pHat, ReadOnlySpan<float> qHat, ReadOnlySpan<float> rest, Span<float> aggregate)
    {
        Expand(pHat, qHat, aggregate);
        int k = 0;
        for (int i = 0; i < Length; i++)
        {
            if (!_inMatrix[i])
            {
                aggregate[i] = rest[k++];
            }
        }
    }

    /// <summary>
    /// A client's error-feedback residual: M − P̂·Qᵢᵀ on the matrices, with its own Qᵢ = Mᵀ·P̂ (all it knows at
    /// the end of its round), and 0 outside them (sent dense). Qᵢ enters the mean linearly, so the weighted
    /// mean of the residuals plus the aggregate is the weighted mean of the updates.
    /// </summary>
    public void Residual(ReadOnlySpan<float> update, ReadOnlySpan<float> pHat, ReadOnlySpan<float> ownQ, Span<float> residual)
    {
        Expand(pHat, ownQ, residual);
        System.Numerics.Tensors.TensorPrimitives.Subtract(update, residual, residual);
        for (int i = 0; i < Length; i++)
        {
            if (!_inMatrix[i])
            {
                residual[i] = 0;
            }
        }
    }

    /// <summary>P̂·Q̂ᵀ into each matrix's place; values outside the matrices are left as they are.</summary>
    private void Expand(ReadOnlySpan<float> pHat, ReadOnlySpan<float> qHat, Span<float> into)
    {
        int p = 0, q = 0;
        for (int n = 0; n < _matrices.Length; n++)
        {
            var (b, r) = (_matrices[n], _ranks[n]);
            var ps = pHat.Slice(p, b.Rows * r);
            var qs = qHat.Slice(q, b.Columns * r);
            var m = into.Slice(b.Offset, b.Size);
            for (int i = 0; i < b.Rows; i++)
            {
                for (int j = 0; j < b.Columns; j++)
                {
                    float sum = 0;
                    for (int k = 0; k < r; k++)
                    {
                        sum += ps[i * r + k] * qs[j * r + k];
                    }
                    m[i * b.Columns + j] = sum;
                }
            }
            p += b.Rows * r;
            q += b.Columns * r;
        }
    }

    private static void Multiply(ReadOnlySpan<float> m, int rows, int columns, int rank, ReadOnlySpan<float> q, Span<float> p)
    {
        p.Clear();
        for (int i = 0; i < rows; i++)
        {
            var row = m.Slice(i * columns, columns);
            for (int j = 0; j < columns; j++)
            {
                float v = row[j];
                for (int k = 0; k < rank; k++)
                {
                    p[i * rank + k] += v * q[j * rank + k];
                }
            }
        }
    }

    private static void TransposeMultiply(ReadOnlySpan<float> m, int rows, int columns, int rank, ReadOnlySpan<float> p, Span<float> q)
    {
        q.Clear();
        for (int i = 0; i < rows; i++)
        {
            var row = m.Slice(i * columns, columns);
            for (int j = 0; j < columns; j++)
            {
                float v = row[j];
                for (int k = 0; k < rank; k++)
                {
                    q[j * rank + k] += v * p[i * rank + k];
                }
            }
        }
    }

    /// <summary>Modified Gram–Schmidt on the r columns of a row-major n × r matrix; a column that vanishes stays zero.</summary>
    private static void GramSchmidt(Span<float> p, int rows, int rank)
    {
        for (int k = 0; k < rank; k++)
        {
            for (int prior = 0; prior < k; prior++)
            {
                double dot = 0;
                for (int i = 0; i < rows; i++)
                {
                    dot += p[i * rank + k] * p[i * rank + prior];
                }
                for (int i = 0; i < rows; i++)
                {
                    p[i * rank + k] -= (float)dot * p[i * rank + prior];
                }
            }
            double norm = 0;
            for (int i = 0; i < rows; i++)
            {
                norm += p[i * rank + k] * p[i * rank + k];
            }
            float inverse = norm > 1e-30 ? (float)(1 / Math.Sqrt(norm)) : 0f;
            for (int i = 0; i < rows; i++)
            {
                p[i * rank + k] *= inverse;
            }
        }
    }
}
