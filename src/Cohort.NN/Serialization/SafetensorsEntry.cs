using Cohort.Tensors;

namespace Cohort.NN.Serialization;

/// <summary>One tensor of a safetensors header: its type, shape and byte range relative to the data start.</summary>
internal sealed record SafetensorsEntry(string Name, SafetensorsDType DType, Shape Shape, long Begin, long End)
{
    public long ByteLength => End - Begin;

    public override string ToString() => $"{Name} {DType.Name()} {Shape}";
}
