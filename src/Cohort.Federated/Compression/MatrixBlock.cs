namespace Cohort.Federated.Compression;

/// <summary>A weight matrix inside the flat vector: its offset and shape (a convolution kernel as out × in·kh·kw, as PowerSGD reshapes it).</summary>
internal readonly record struct MatrixBlock(int Offset, int Rows, int Columns)
{
    public int Size => Rows * Columns;

    /// <summary>The model's tensors of rank 2 or more, as matrices; vectors (biases, norms) are left out.</summary>
    public static MatrixBlock[] Of(NN.Modules.Model model)
    {
        var blocks = new List<MatrixBlock>();
        int offset = 0;
        foreach (var tensor in model.NamedParameters)
        {
            if (tensor.Shape.Rank >= 2)
            {
                blocks.Add(new MatrixBlock(offset, tensor.Shape[0], tensor.Size / tensor.Shape[0]));
            }
            offset += tensor.Size;
        }
        return [.. blocks];
    }
}
