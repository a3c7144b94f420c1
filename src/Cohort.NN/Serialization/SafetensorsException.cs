namespace Cohort.NN.Serialization;

/// <summary>A safetensors file that is malformed, or whose tensors do not fit what the caller expects.</summary>
internal sealed class SafetensorsException : IOException
{
    public SafetensorsException(string message)
        : base(message)
    {
    }

    public SafetensorsException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
