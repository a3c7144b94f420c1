namespace Cohort.Reporting;

/// <summary>Serialized tensorflow <c>Event</c> messages (event.proto): the file-version header and a summary of scalars.</summary>
internal static class TensorBoardEvent
{
    /// <summary>The version string TensorBoard expects in a file's first event.</summary>
    public const string FileVersion = "brain.Event:2";

    // Field numbers from tensorflow/core/util/event.proto and tensorflow/core/framework/summary.proto.
    private const int WallTimeField = 1, StepField = 2, FileVersionField = 3, SummaryField = 5;
    private const int SummaryValueField = 1, TagField = 1, SimpleValueField = 2;

    public static byte[] Header(double wallTime) =>
        new ProtobufWriter().Double(WallTimeField, wallTime).Int64(StepField, 0).String(FileVersionField, FileVersion).ToArray();

    /// <summary>One event at <paramref name="step"/> whose summary holds a simple_value per tag.</summary>
    public static byte[] Scalars(double wallTime, long step, IEnumerable<(string Tag, float Value)> scalars)
    {
        var summary = new ProtobufWriter();
        foreach (var (tag, value) in scalars)
        {
            summary.Bytes(SummaryValueField, new ProtobufWriter().String(TagField, tag).Float(SimpleValueField, value).ToArray());
        }
        return new ProtobufWriter().Double(WallTimeField, wallTime).Int64(StepField, step).Bytes(SummaryField, summary.ToArray()).ToArray();
    }
}
