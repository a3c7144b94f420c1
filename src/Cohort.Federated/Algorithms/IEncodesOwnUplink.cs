using Cohort.Federated.Compression;

namespace Cohort.Federated.Algorithms;

/// <summary>A method that compresses its own messages (DIANA, MARINA): a deployed server decodes them with these compressors.</summary>
internal interface IEncodesOwnUplink
{
    /// <summary>The compressors its messages may be encoded with, each named by its id in the frame.</summary>
    IReadOnlyList<ICompressor> UplinkCompressors { get; }
}
