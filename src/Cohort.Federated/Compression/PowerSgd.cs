using Cohort.Tensors.Random;

namespace Cohort.Federated.Compression;

/// <summary>
/// PowerSGD (Vogels et al. 2019): each weight matrix M (n × m) of the update is sent as rank-r factors
/// in two exchanges. First every client sends P = M·Q (n × r) with the shared Q; the server averages
/// and orthonormalizes them into P̂ (Gram–Schmidt) and broadcasts it. Then every client sends
/// Q = Mᵀ·P̂ (m × r); the server averages them into Q̂, and the aggregate is P̂·Q̂ᵀ. Q̂ warm-starts the
/// next round's Q (one power-iteration step a round). Vectors outside the matrices go uncompressed in
/// the first exchange. With error feedback the client keeps M − P̂·Q̂ᵀ for its next round.
/// This class is the math on flat spans; a round runs it as two client passes.
/// </summary>
public sealed class PowerSgd
{
    private readonly MatrixBlock[] _matrices;
    private readonly bool[] _inMatrix;
    private readonly float[] _q;

    public PowerSgd(IReadOnlyList<MatrixBlock> matrices, int length, int rank, ulong seed)
    {
        if (rank < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(rank), $"PowerSGD rank must be at least 1; got {rank}.");
        }
        _matrices = [.. matrices];
        Rank = rank;
        Length = length;
        _inMatrix = new bool[length];
        foreach (var b in _matrices)
        {
            _inMatrix.AsSpan(b.Offset, b.Size).Fill(true);
        }
        VectorLength = _inMatrix.Count(x => !x);
        PLength = _matrices.Sum(b => b.Rows * rank);
        QLength = _matrices.Sum(b => b.Columns * rank);
        _q = new float[QLength];
        // Every replica draws the same initial Q from the seed.
        var random = RandomStream.Create(seed, RandomStream.Purpose("powersgd-q"));
        random.FillNormal(_q, 0, 1);
    }

    public int Rank { get; }

    public int Length { get; }

    /// <summary>Values outside the matrices (sent dense in the first exchange).</summary>
    public int VectorLength { get; }

    public int PLength { get; }

    public int QLength { get; }

    /// <summary>The shared Q of this round (the previous round's Q̂).</summary>
    public ReadOnlySpan<float> Q => _q;

    /// <summary>Exchange 1, client: P = M·Q for every matrix, then the other values; <paramref name="message"/> holds PLength + VectorLength values.</summary>
    public void ClientP(ReadOnlySpan<float> update, Span<float> message)
    {
        int p = 0, q = 0;
        foreach (var b in _matrices)
        {
            MultiplyInto(update.Slice(b.Offset, b.Size), b.Rows, b.Columns, _q.AsSpan(q, b.Columns * Rank), message.Slice(p, b.Rows * Rank));
            p += b.Rows * Rank;
            q += b.Columns * Rank;
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
        foreach (var b in _matrices)
        {
            GramSchmidt(meanP.Slice(p, b.Rows * Rank), b.Rows, Rank);
            p += b.Rows * Rank;
        }
    }

    /// <summary>Exchange 2, client: Q = Mᵀ·P̂ for every matrix.</summary>
    public void ClientQ(ReadOnlySpan<float> update, ReadOnlySpan<float> pHat, Span<float> message)
    {
        int p = 0, q = 0;
        foreach (var b in _matrices)
        {
            TransposeMultiplyInto(update.Slice(b.Offset, b.Size), b.Rows, b.Columns, pHat.Slice(p, b.Rows * Rank), message.Slice(q, b.Columns * Rank));
            p += b.Rows * Rank;
            q += b.Columns * Rank;
        }
    }

    /// <summary>Exchange 2, server: the aggregate P̂·Q̂ᵀ on the matrices and the mean of the other values; Q̂ becomes the next round's Q.</summary>
    public void Finish(ReadOnlySpan<float> meanFirst, ReadOnlySpan<float> meanQ, Span<float> aggregate)
    {
        int p = 0, q = 0;
        foreach (var b in _matrices)
        {
            var pHat = meanFirst.Slice(p, b.Rows * Rank);
            var qHat = meanQ.Slice(q, b.Columns * Rank);
            var m = aggregate.Slice(b.Offset, b.Size);
            for (int i = 0; i < b.Rows; i++)
            {
                for (int j = 0; j < b.Columns; j++)
                {
                    float sum = 0;
                    for (int k = 0; k < Rank; k++)
                    {
                        sum += pHat[i * Rank + k] * qHat[j * Rank + k];
                    }
                    m[i * b.Columns + j] = sum;
                }
            }
            p += b.Rows * Rank;
            q += b.Columns * Rank;
        }
        for (int i = 0; i < Length; i++)
        {
            if (!_inMatrix[i])
            {
                aggregate[i] = meanFirst[p++];
            }
        }
        meanQ.CopyTo(_q);
    }

    /// <summary>Zeroes the values outside the matrices.</summary>
    public void ClearOutsideMatrices(Span<float> values)
    {
        for (int i = 0; i < Length; i++)
        {
            if (!_inMatrix[i])
            {
                values[i] = 0;
            }
        }
    }

    private void MultiplyInto(ReadOnlySpan<float> m, int rows, int columns, ReadOnlySpan<float> q, Span<float> p)
    {
        p.Clear();
        for (int i = 0; i < rows; i++)
        {
            var row = m.Slice(i * columns, columns);
            for (int j = 0; j < columns; j++)
            {
                float v = row[j];
                for (int k = 0; k < Rank; k++)
                {
                    p[i * Rank + k] += v * q[j * Rank + k];
                }
            }
        }
    }

    private void TransposeMultiplyInto(ReadOnlySpan<float> m, int rows, int columns, ReadOnlySpan<float> p, Span<float> q)
    {
        q.Clear();
        for (int i = 0; i < rows; i++)
        {
            var row = m.Slice(i * columns, columns);
            for (int j = 0; j < columns; j++)
            {
                float v = row[j];
                for (int k = 0; k < Rank; k++)
                {
                    q[j * Rank + k] += v * p[i * Rank + k];
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
